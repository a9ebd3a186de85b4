// `threadcheck cc` and `threadcheck c++`: compiler wrappers in the style of scan-build and
// afl-clang-fast. They add the ThreadSanitizer instrumentation flags to every compilation and link
// threadcheck's runtime (which provides the __tsan_* entry points) instead of stock TSan's: into
// an executable statically, as stock TSan does (the entry points are called on every memory
// access, and a call into a shared library costs a PLT jump and its TLS a GOT load); a shared
// library gets the shared runtime as a dependency, and in an instrumented executable its calls
// reach the executable's copy.
//
//   CC="threadcheck cc" CXX="threadcheck c++" cmake -S . -B build
//
// The compiler is clang-19 / clang++-19, or gcc / g++ with THREADCHECK_COMPILER=gcc; an explicit
// compiler command comes from THREADCHECK_CC / THREADCHECK_CXX (its family is told by its name).
#include "ElfSymbols.h"
#include "RuntimeLocation.h"
#include "common/ExitCodes.h"
#include "common/Subcommands.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace threadcheck {
namespace {

constexpr const char* kCcUsage =
    "usage: threadcheck cc|c++ [compiler arguments...]\n"
    "\n"
    "Compiles and links like the compiler, instrumented for 'threadcheck run': adds\n"
    "-fsanitize=thread to every compilation and links threadcheck's runtime instead of\n"
    "ThreadSanitizer's (into executables statically; shared libraries depend on\n"
    "libthreadcheck_rt.so). Use it as the project's compiler:\n"
    "  CC=\"threadcheck cc\" CXX=\"threadcheck c++\" cmake -S . -B build\n"
    "\n"
    "environment:\n"
    "  THREADCHECK_COMPILER=clang|gcc   compiler family (default clang: clang-19 / clang++-19)\n"
    "  THREADCHECK_CC, THREADCHECK_CXX  explicit compiler commands (family told by the name)\n"
    "  THREADCHECK_RUNTIME              the shared runtime library (the static one is\n"
    "                                   libthreadcheck_rt_instrumented.a beside it)\n";

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isSource(const std::string& a) {
  for (const char* ext : {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".cp", ".i", ".ii"})
    if (endsWith(a, ext))
      return true;
  return false;
}

// Options whose value is the next argument (so it is not mistaken for an input).
bool takesValue(const std::string& a) {
  static const char* const opts[] = {"-o",
                                     "-x",
                                     "-MF",
                                     "-MT",
                                     "-MQ",
                                     "-include",
                                     "-imacros",
                                     "-isystem",
                                     "-iquote",
                                     "-idirafter",
                                     "-I",
                                     "-L",
                                     "-D",
                                     "-U",
                                     "-Xlinker",
                                     "-Xassembler",
                                     "-Xpreprocessor",
                                     "-arch",
                                     "-target",
                                     "--sysroot",
                                     "-isysroot",
                                     "-z",
                                     "-T",
                                     "-u",
                                     "-e",
                                     "-soname"};
  for (const char* o : opts)
    if (a == o)
      return true;
  return false;
}

int fail(const char* cmd, const std::string& msg) {
  fprintf(stderr, "threadcheck %s: error: %s\n", cmd, msg.c_str());
  return kExitError;
}

// Objects on the link line compiled without instrumentation would make the program partly
// invisible to the race detector and the scheduler: warn about each; objects carrying stock
// ThreadSanitizer's runtime cannot be linked with threadcheck's at all.
int checkObjects(const char* cmd, const std::vector<std::string>& objects) {
  for (const auto& obj : objects) {
    std::string error;
    auto syms = run::readElfSymbols(obj, error);
    if (!syms || !syms->relocatable)
      continue;
    bool callsTsan = std::any_of(syms->undefined.begin(), syms->undefined.end(),
                                 [](const std::string& s) { return s.rfind("__tsan_", 0) == 0; });
    bool definesTsan = std::any_of(syms->defined.begin(), syms->defined.end(),
                                   [](const std::string& s) { return s.rfind("__tsan_", 0) == 0; });
    if (definesTsan)
      return fail(cmd, "'" + obj +
                           "' contains ThreadSanitizer runtime code (__tsan_* definitions); it "
                           "cannot be linked with threadcheck's runtime");
    if (!callsTsan && !syms->functions.empty())
      fprintf(stderr,
              "threadcheck %s: warning: '%s' was compiled without -fsanitize=thread: its memory "
              "accesses are invisible to the race detector and never scheduling points (rebuild "
              "it with 'threadcheck %s')\n",
              cmd, obj.c_str(), cmd);
  }
  return kExitClean;
}

// Runs a compiler command and returns its exit status (127 when it cannot be started).
int runCommand(std::vector<std::string> command) {
  std::vector<char*> cargv;
  for (auto& s : command)
    cargv.push_back(s.data());
  cargv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    execvp(cargv[0], cargv.data());
    fprintf(stderr, "threadcheck: error: cannot run '%s': %s\n", cargv[0], strerror(errno));
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0)
    return kExitError;
  return WIFEXITED(status) ? WEXITSTATUS(status) : kExitError;
}

// Checks the objects and appends the runtime to a link command: the static runtime, whole, for an
// executable (the shared one when the static one is not installed beside it).
int addRuntime(const char* cmd, const std::vector<std::string>& objects, bool sharedLink,
               std::vector<std::string>& full) {
  if (int rc = checkObjects(cmd, objects); rc != kExitClean)
    return rc;
  std::string error;
  std::string runtime = run::findRuntime(error);
  if (!error.empty())
    return fail(cmd, error);
  full.push_back("-pthread");
  if (run::StaticRuntime st = run::findStaticRuntime(runtime); !sharedLink && !st.archive.empty()) {
    full.insert(full.end(), {"-Wl,--whole-archive", st.archive, "-Wl,--no-whole-archive",
                             "-Wl,--dynamic-list=" + st.exports, "-lstdc++", "-ldl"});
    return kExitClean;
  }
  std::string dir = runtime.substr(0, runtime.rfind('/'));
  full.push_back("-Wl,--push-state,--no-as-needed");
  full.push_back(runtime);
  full.push_back("-Wl,--pop-state");
  full.push_back("-Wl,-rpath," + dir);
  return kExitClean;
}

int wrap(const char* cmd, bool cxx, int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    fputs(kCcUsage, stdout);
    return kExitClean;
  }
  const char* family = getenv("THREADCHECK_COMPILER");
  std::string fam = family && *family ? family : "clang";
  if (fam != "clang" && fam != "gcc")
    return fail(cmd, "THREADCHECK_COMPILER must be clang or gcc, not '" + fam + "'");
  std::string compiler = fam == "gcc" ? (cxx ? "g++" : "gcc") : (cxx ? "clang++-19" : "clang-19");
  if (const char* explicitCc = getenv(cxx ? "THREADCHECK_CXX" : "THREADCHECK_CC");
      explicitCc && *explicitCc) {
    compiler = explicitCc;
    std::string base = compiler.substr(compiler.rfind('/') + 1);
    fam = base.find("clang") != std::string::npos ? "clang" : "gcc";
  }
  bool gcc = fam == "gcc";

  bool link = true;
  bool sharedLink = false; // link the shared runtime: not an executable, or one with a runtime
  bool haveInput = false;
  std::vector<std::string> objects;
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-c" || a == "-S" || a == "-E" || a == "-M" || a == "-MM" || a == "-fsyntax-only")
      link = false;
    if (a == "-shared" || a == "-r")
      sharedLink = true;
    if (a == "-static" || a == "-static-pie")
      return fail(cmd, "'" + a +
                           "': an instrumented program must be linked dynamically (the runtime "
                           "finds the C library's functions through the dynamic linker)");
    // Our flags come once, from us; the user's sanitizer and runtime-linking flags would pull
    // in stock TSan's runtime.
    if (a == "-fsanitize=thread" || a == "-fno-sanitize-link-runtime" ||
        a == "-fsanitize-link-runtime")
      continue;
    out.push_back(a);
    if (takesValue(a) && i + 1 < args.size()) {
      out.push_back(args[++i]);
      continue;
    }
    if (a.empty() || a[0] == '-')
      continue;
    haveInput = true;
    if (endsWith(a, ".o"))
      objects.push_back(a);
    // A test executable that links the runtime in itself (threadcheck::runtime, for in-process
    // exploration) cannot take a second static copy: it gets the shared runtime, as before.
    if (endsWith(a, "libthreadcheck_rt_static.a"))
      sharedLink = true;
  }
  if (!haveInput)
    link = false; // --version, -v, -print-*: the compiler's own answer

  std::vector<std::string> full{compiler};
  if (haveInput) {
    full.push_back("-fsanitize=thread");
    if (!gcc)
      full.push_back("-fno-sanitize-link-runtime");
  }
  if (gcc && link) {
    // gcc links libtsan whenever -fsanitize=thread is on its link line: compile the sources of a
    // compile-and-link command first, then link without it.
    std::vector<std::string> flags;
    std::vector<std::string> linkArgs;
    std::vector<std::string> temps;
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i] == "-o" && i + 1 < out.size()) {
        linkArgs.push_back(out[i]);
        linkArgs.push_back(out[++i]);
        continue;
      }
      if (takesValue(out[i]) && i + 1 < out.size()) {
        flags.push_back(out[i]);
        flags.push_back(out[i + 1]);
        linkArgs.push_back(out[i]);
        linkArgs.push_back(out[++i]);
        continue;
      }
      if (!out[i].empty() && out[i][0] != '-' && isSource(out[i])) {
        char tmpl[] = "/tmp/threadcheck-cc-XXXXXX.o";
        int fd = mkstemps(tmpl, 2);
        if (fd < 0)
          return fail(cmd, std::string("cannot create a temporary object: ") + strerror(errno));
        close(fd);
        temps.push_back(tmpl);
        linkArgs.push_back(tmpl);
        std::vector<std::string> compile{compiler, "-fsanitize=thread"};
        compile.insert(compile.end(), flags.begin(), flags.end());
        for (size_t k = i + 1; k < out.size(); ++k) // flags after the source apply too
          if (!out[k].empty() && out[k][0] == '-' && out[k] != "-o")
            compile.push_back(out[k]);
        compile.insert(compile.end(), {"-c", out[i], "-o", tmpl});
        if (int rc = runCommand(compile); rc != 0) {
          for (auto& t : temps)
            unlink(t.c_str());
          return rc;
        }
        continue;
      }
      flags.push_back(out[i]);
      linkArgs.push_back(out[i]);
    }
    full = {compiler};
    full.insert(full.end(), linkArgs.begin(), linkArgs.end());
    if (int rc = addRuntime(cmd, objects, sharedLink, full); rc != kExitClean)
      return rc;
    int rc = runCommand(full);
    for (auto& t : temps)
      unlink(t.c_str());
    return rc;
  }
  full.insert(full.end(), out.begin(), out.end());
  if (link)
    if (int rc = addRuntime(cmd, objects, sharedLink, full); rc != kExitClean)
      return rc;
  std::vector<char*> cargv;
  for (auto& s : full)
    cargv.push_back(s.data());
  cargv.push_back(nullptr);
  execvp(cargv[0], cargv.data());
  return fail(cmd, "cannot run the compiler '" + compiler + "': " + strerror(errno) +
                       (fam == "gcc" ? "" : " (set THREADCHECK_COMPILER=gcc to use gcc)"));
}

} // namespace

int ccMain(int argc, char** argv) {
  return wrap("cc", false, argc, argv);
}

int cxxMain(int argc, char** argv) {
  return wrap("c++", true, argc, argv);
}

} // namespace threadcheck
