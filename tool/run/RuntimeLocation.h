// Where the runtime libraries are: what `threadcheck run` preloads and `threadcheck cc` links.
#pragma once

#include <string>

namespace threadcheck::run {

// The absolute path of libthreadcheck_rt.so: $THREADCHECK_RUNTIME, else ../lib next to the
// threadcheck executable. Sets `error` when it cannot be found.
std::string findRuntime(std::string& error);

// What `threadcheck cc` links into an executable: the static runtime and the list of symbols the
// executable exports, beside the shared runtime `sharedRuntime`. Empty when either is missing.
struct StaticRuntime {
  std::string archive; // libthreadcheck_rt_instrumented.a
  std::string exports; // its --dynamic-list
};
StaticRuntime findStaticRuntime(const std::string& sharedRuntime);

} // namespace threadcheck::run
