#include "RuntimeLocation.h"

#include <climits>
#include <cstdlib>
#include <unistd.h>

namespace threadcheck::run {
namespace {

std::string exeDir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0)
    return ".";
  buf[n] = 0;
  std::string p(buf);
  return p.substr(0, p.rfind('/'));
}

} // namespace

std::string findRuntime(std::string& error) {
  if (const char* env = getenv("THREADCHECK_RUNTIME"); env && *env) {
    if (access(env, R_OK) != 0)
      error = std::string("THREADCHECK_RUNTIME names '") + env + "', which cannot be read";
    char real[PATH_MAX];
    return realpath(env, real) ? real : env;
  }
  for (const std::string& c :
       {exeDir() + "/../lib/libthreadcheck_rt.so", exeDir() + "/libthreadcheck_rt.so"})
    if (access(c.c_str(), R_OK) == 0) {
      char real[PATH_MAX];
      return realpath(c.c_str(), real) ? real : c;
    }
  error = "cannot find the runtime library libthreadcheck_rt.so next to threadcheck (set "
          "THREADCHECK_RUNTIME)";
  return "";
}

StaticRuntime findStaticRuntime(const std::string& sharedRuntime) {
  std::string dir = sharedRuntime.substr(0, sharedRuntime.rfind('/') + 1);
  StaticRuntime r{dir + "libthreadcheck_rt_instrumented.a",
                  dir + "libthreadcheck_rt_instrumented.exports"};
  if (access(r.archive.c_str(), R_OK) != 0 || access(r.exports.c_str(), R_OK) != 0)
    return {};
  return r;
}

} // namespace threadcheck::run
