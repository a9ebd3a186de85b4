// Where the runtime library is: what `threadcheck run` preloads and `threadcheck cc` links.
#pragma once

#include <string>

namespace threadcheck::run {

// The absolute path of libthreadcheck_rt.so: $THREADCHECK_RUNTIME, else ../lib next to the
// threadcheck executable. Sets `error` when it cannot be found.
std::string findRuntime(std::string& error);

} // namespace threadcheck::run
