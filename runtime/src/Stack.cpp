#include "Stack.h"

#include <unwind.h>

namespace threadcheck::rt {
namespace {

struct Walk {
  uintptr_t* out;
  uint32_t max;
  uint32_t n;
};

_Unwind_Reason_Code visit(_Unwind_Context* ctx, void* arg) {
  auto* w = static_cast<Walk*>(arg);
  int beforeInsn = 0;
  uintptr_t pc = _Unwind_GetIPInfo(ctx, &beforeInsn);
  if (pc == 0)
    return _URC_END_OF_STACK;
  // A return address points after the call; symbolise the call itself. Signal frames already
  // point at the faulting instruction.
  if (!beforeInsn && pc > 0)
    --pc;
  w->out[w->n++] = pc;
  return w->n < w->max ? _URC_NO_REASON : _URC_END_OF_STACK;
}

} // namespace

uint32_t captureStack(uintptr_t* out, uint32_t max) {
  Walk w{out, max, 0};
  _Unwind_Backtrace(visit, &w);
  return w.n;
}

} // namespace threadcheck::rt
