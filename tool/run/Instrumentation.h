// Recognises programs built for the instrumented mode (compiled with -fsanitize=thread and linked
// with threadcheck's runtime, as `threadcheck cc` does) and rejects the ones that cannot work.
#pragma once

#include <string>

namespace threadcheck::run {

struct InstrumentationCheck {
  bool instrumented = false;
  // Built by `threadcheck cc` / `threadcheck c++`: the runtime is inside the program, so nothing
  // is preloaded (a second copy would only sit between the program and the C library).
  bool runtimeInside = false;
  std::string error; // why the program cannot run instrumented; empty when it can
};

// `runtime` is the runtime library `threadcheck run` preloads; the program's __tsan_* imports
// must all be among its exports, or among its own definitions when the runtime is inside it. A
// stock TSan runtime in LD_PRELOAD is refused for any program.
InstrumentationCheck checkInstrumentation(const std::string& program, const std::string& runtime);

} // namespace threadcheck::run
