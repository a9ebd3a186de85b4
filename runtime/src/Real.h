// The next definition of an intercepted function (glibc's), for pass-through when the runtime is
// not in control and for the few operations the runtime must really perform (creating a thread).
#pragma once

#include <dlfcn.h>

namespace threadcheck::rt {

template <typename Fn> Fn* realFunction(Fn*, const char* name, const char* version = nullptr) {
  void* p = version ? dlvsym(RTLD_NEXT, name, version) : dlsym(RTLD_NEXT, name);
  return reinterpret_cast<Fn*>(p);
}

} // namespace threadcheck::rt

// Declares `real_<name>`, looked up once on first use.
#define TC_REAL(ret, name, params)                                                                 \
  static ret(*real_##name()) params {                                                              \
    static ret(*fn) params = ::threadcheck::rt::realFunction<ret params>(nullptr, #name);          \
    return fn;                                                                                     \
  }
