// Waiting and waking: condition variables (pthread, C11), semaphores, barriers, raw futexes
// (libstdc++'s atomic::wait, counting_semaphore, latch and barrier), yields and sleeps.
#include "RaceDetector.h"
#include "Raw.h"
#include "Real.h"
#include "Scheduler.h"

#include <cerrno>
#include <cstdarg>
#include <pthread.h>
#include <semaphore.h>
#include <threads.h>
#include <time.h>

using namespace threadcheck::rt;

namespace {

int32_t me() {
  return Scheduler::self();
}
uint64_t g_waitSeq = 0;

int condWait(void* cond, void* mutex, bool timed) {
  Object* c = Scheduler::object(cond, ObjKind::Cond);
  Object* m = Scheduler::object(mutex, ObjKind::Mutex);
  int32_t self = me();
  if (m->owner != self)
    Scheduler::fail(FindingKind::LockMisuse, &self, 1,
                    "lock misuse: thread %d '%s' waits on condition variable #%u with mutex #%u "
                    "(%p) which it does not hold",
                    self, Scheduler::name(self), c->id, m->id, reinterpret_cast<void*>(m->addr));
  Scheduler::point(Op::CondWait, c);
  uint32_t depth = m->depth;
  Race::release(syncKey(mutex));
  m->owner = -1;
  m->depth = 0;
  Scheduler::released(m);
  Thread& t = Scheduler::thread(self);
  t.condMutex = m;
  t.waitSeq = ++g_waitSeq;
  Mode woken = Scheduler::block(Block::Cond, c, timed);
  // Signalled waiters were moved to the mutex; timeouts and spurious wake-ups are only offered
  // while the mutex is free. Either way it is free now.
  m->owner = self;
  m->depth = depth;
  Scheduler::acquired(m);
  Race::acquire(syncKey(mutex));
  Race::acquire(syncKey(cond));
  t.condMutex = nullptr;
  return woken == Mode::Timeout ? ETIMEDOUT : 0;
}

uint32_t wakeWaiters(Object* o, Block how, uint32_t max) {
  uint32_t woken = 0;
  while (woken < max) {
    int32_t best = -1;
    for (uint32_t t = 0; t < kMaxThreads; ++t) {
      Thread& th = Scheduler::thread(static_cast<int32_t>(t));
      if (!th.used)
        break;
      if (th.block == how && th.waitObj == o &&
          (best < 0 || th.waitSeq < Scheduler::thread(best).waitSeq))
        best = static_cast<int32_t>(t);
    }
    if (best < 0)
      break;
    Thread& th = Scheduler::thread(best);
    if (how == Block::Cond) {
      // Signalled: the wait can no longer time out, it only waits for its mutex.
      th.block = Block::Mutex;
      th.waitObj = th.condMutex;
      th.timed = false;
    } else {
      th.block = Block::None;
    }
    ++woken;
  }
  return woken;
}

int condSignal(void* cond, bool all) {
  Object* c = Scheduler::object(cond, ObjKind::Cond);
  Scheduler::point(all ? Op::CondBroadcast : Op::CondSignal, c);
  Race::release(syncKey(cond));
  wakeWaiters(c, Block::Cond, all ? ~0u : 1u);
  return 0;
}

int semWait(sem_t* s, bool timed, bool tryOnly) {
  Object* o = Scheduler::lookup(s);
  if (!o || o->kind != ObjKind::Sem)
    o = Scheduler::object(s, ObjKind::Sem); // not from sem_init: starts at zero
  Scheduler::point(Op::SemWait, o);
  if (o->count == 0) {
    if (tryOnly) {
      errno = EAGAIN;
      return -1;
    }
    if (Scheduler::block(Block::Sem, o, timed) == Mode::Timeout) {
      errno = ETIMEDOUT;
      return -1;
    }
  }
  --o->count;
  Race::acquire(syncKey(s));
  return 0;
}

long futexOp(uint32_t* addr, int op, uint32_t val, const timespec* timeout) {
  int cmd = op & FUTEX_CMD_MASK;
  Object* o = Scheduler::object(addr, ObjKind::Futex);
  if (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET) {
    Scheduler::point(Op::FutexWait, o);
    if (__atomic_load_n(addr, __ATOMIC_SEQ_CST) != val) {
      errno = EAGAIN;
      return -1;
    }
    Thread& t = Scheduler::thread(me());
    t.waitSeq = ++g_waitSeq;
    if (Scheduler::block(Block::Futex, o, timeout != nullptr) == Mode::Timeout) {
      errno = ETIMEDOUT;
      return -1;
    }
    Race::acquire(syncKey(addr, SyncTag::Futex));
    return 0;
  }
  // FUTEX_WAKE / FUTEX_WAKE_BITSET (libstdc++ wakes every bit)
  Scheduler::point(Op::FutexWake, o);
  Race::release(syncKey(addr, SyncTag::Futex));
  return wakeWaiters(o, Block::Futex, val);
}

int sleepPoint() {
  Scheduler::yield(Op::Sleep, nullptr);
  return 0;
}

} // namespace

TC_REAL(int, pthread_cond_wait, (pthread_cond_t*, pthread_mutex_t*))
TC_REAL(int, pthread_cond_timedwait, (pthread_cond_t*, pthread_mutex_t*, const timespec*))
TC_REAL(int, pthread_cond_clockwait,
        (pthread_cond_t*, pthread_mutex_t*, clockid_t, const timespec*))
TC_REAL(int, pthread_cond_signal, (pthread_cond_t*))
TC_REAL(int, pthread_cond_broadcast, (pthread_cond_t*))
TC_REAL(int, pthread_cond_destroy, (pthread_cond_t*))
TC_REAL(int, cnd_wait, (cnd_t*, mtx_t*))
TC_REAL(int, cnd_timedwait, (cnd_t*, mtx_t*, const timespec*))
TC_REAL(int, cnd_signal, (cnd_t*))
TC_REAL(int, cnd_broadcast, (cnd_t*))
TC_REAL(int, sem_init, (sem_t*, int, unsigned))
TC_REAL(int, sem_wait, (sem_t*))
TC_REAL(int, sem_trywait, (sem_t*))
TC_REAL(int, sem_timedwait, (sem_t*, const timespec*))
TC_REAL(int, sem_clockwait, (sem_t*, clockid_t, const timespec*))
TC_REAL(int, sem_post, (sem_t*))
TC_REAL(int, sem_getvalue, (sem_t*, int*))
TC_REAL(int, sem_destroy, (sem_t*))
TC_REAL(int, pthread_barrier_init, (pthread_barrier_t*, const pthread_barrierattr_t*, unsigned))
TC_REAL(int, pthread_barrier_wait, (pthread_barrier_t*))
TC_REAL(int, pthread_barrier_destroy, (pthread_barrier_t*))

#define TC_MODELLED (Scheduler::enabled())

extern "C" {

int pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  return TC_MODELLED ? condWait(c, m, false) : real_pthread_cond_wait()(c, m);
}
int pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m, const timespec* t) {
  return TC_MODELLED ? condWait(c, m, true) : real_pthread_cond_timedwait()(c, m, t);
}
int pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t k, const timespec* t) {
  return TC_MODELLED ? condWait(c, m, true) : real_pthread_cond_clockwait()(c, m, k, t);
}
int pthread_cond_signal(pthread_cond_t* c) {
  return TC_MODELLED ? condSignal(c, false) : real_pthread_cond_signal()(c);
}
int pthread_cond_broadcast(pthread_cond_t* c) {
  return TC_MODELLED ? condSignal(c, true) : real_pthread_cond_broadcast()(c);
}
int pthread_cond_destroy(pthread_cond_t* c) {
  if (TC_MODELLED)
    Scheduler::forget(c);
  return real_pthread_cond_destroy()(c);
}

int cnd_wait(cnd_t* c, mtx_t* m) {
  if (!TC_MODELLED)
    return real_cnd_wait()(c, m);
  return condWait(c, m, false) == 0 ? thrd_success : thrd_error;
}
int cnd_timedwait(cnd_t* c, mtx_t* m, const timespec* t) {
  if (!TC_MODELLED)
    return real_cnd_timedwait()(c, m, t);
  int rc = condWait(c, m, true);
  return rc == 0 ? thrd_success : rc == ETIMEDOUT ? thrd_timedout : thrd_error;
}
int cnd_signal(cnd_t* c) {
  return TC_MODELLED ? (condSignal(c, false), thrd_success) : real_cnd_signal()(c);
}
int cnd_broadcast(cnd_t* c) {
  return TC_MODELLED ? (condSignal(c, true), thrd_success) : real_cnd_broadcast()(c);
}

int sem_init(sem_t* s, int shared, unsigned value) {
  int rc = real_sem_init()(s, shared, value);
  if (TC_MODELLED && rc == 0) {
    Scheduler::forget(s);
    Object* o = Scheduler::object(s, ObjKind::Sem);
    o->count = value;
    o->bound = value;
  }
  return rc;
}
int sem_wait(sem_t* s) {
  return TC_MODELLED ? semWait(s, false, false) : real_sem_wait()(s);
}
int sem_trywait(sem_t* s) {
  return TC_MODELLED ? semWait(s, false, true) : real_sem_trywait()(s);
}
int sem_timedwait(sem_t* s, const timespec* t) {
  return TC_MODELLED ? semWait(s, true, false) : real_sem_timedwait()(s, t);
}
int sem_clockwait(sem_t* s, clockid_t c, const timespec* t) {
  return TC_MODELLED ? semWait(s, true, false) : real_sem_clockwait()(s, c, t);
}
int sem_post(sem_t* s) {
  if (!TC_MODELLED)
    return real_sem_post()(s);
  Object* o = Scheduler::lookup(s);
  if (!o || o->kind != ObjKind::Sem)
    o = Scheduler::object(s, ObjKind::Sem);
  Scheduler::point(Op::SemPost, o);
  // A semaphore created with N > 0 permits counts resources (Python's BoundedSemaphore): more
  // releases than acquisitions are a bug. One created empty is a signal and has no bound.
  if (o->bound > 0 && o->count + 1 > o->bound) {
    int32_t self = me();
    Scheduler::fail(FindingKind::SemaphoreOverRelease, &self, 1,
                    "semaphore over-release: thread %d '%s' posts semaphore #%u (%p) beyond its "
                    "initial value %lld (more releases than acquisitions)",
                    self, Scheduler::name(self), o->id, reinterpret_cast<void*>(o->addr),
                    static_cast<long long>(o->bound));
  }
  ++o->count;
  Race::release(syncKey(s));
  return 0;
}
int sem_getvalue(sem_t* s, int* v) {
  if (!TC_MODELLED)
    return real_sem_getvalue()(s, v);
  Object* o = Scheduler::object(s, ObjKind::Sem);
  *v = static_cast<int>(o->count);
  return 0;
}
int sem_destroy(sem_t* s) {
  if (TC_MODELLED)
    Scheduler::forget(s);
  return real_sem_destroy()(s);
}

int pthread_barrier_init(pthread_barrier_t* b, const pthread_barrierattr_t* a, unsigned n) {
  int rc = real_pthread_barrier_init()(b, a, n);
  if (TC_MODELLED && rc == 0) {
    Scheduler::forget(b);
    Object* o = Scheduler::object(b, ObjKind::Barrier);
    o->bound = n;
    o->count = 0;
  }
  return rc;
}
int pthread_barrier_wait(pthread_barrier_t* b) {
  if (!TC_MODELLED)
    return real_pthread_barrier_wait()(b);
  Object* o = Scheduler::object(b, ObjKind::Barrier);
  Scheduler::point(Op::BarrierWait, o);
  // Everything before any arrival happens before everything after the barrier. Arrivals gather
  // in one clock; the completed generation's clock is kept apart, because the next generation's
  // arrivals may come before a slow waiter of this one leaves.
  Race::release(syncKey(b));
  if (++o->count >= o->bound) {
    o->count = 0;
    ++o->generation;
    Race::copy(syncKey(b, SyncTag::BarrierDone), syncKey(b));
    Race::forget(syncKey(b));
    Race::acquire(syncKey(b, SyncTag::BarrierDone));
    return PTHREAD_BARRIER_SERIAL_THREAD;
  }
  Scheduler::thread(me()).barrierGen = o->generation;
  Scheduler::block(Block::Barrier, o, false);
  Race::acquire(syncKey(b, SyncTag::BarrierDone));
  return 0;
}
int pthread_barrier_destroy(pthread_barrier_t* b) {
  if (TC_MODELLED)
    Scheduler::forget(b);
  return real_pthread_barrier_destroy()(b);
}

long syscall(long n, ...) {
  va_list ap;
  va_start(ap, n);
  long a[6];
  for (long& x : a)
    x = va_arg(ap, long);
  va_end(ap);
  if (n == SYS_futex && Scheduler::active()) {
    int cmd = static_cast<int>(a[1]) & FUTEX_CMD_MASK;
    if (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAKE ||
        cmd == FUTEX_WAKE_BITSET)
      return futexOp(reinterpret_cast<uint32_t*>(a[0]), static_cast<int>(a[1]),
                     static_cast<uint32_t>(a[2]), reinterpret_cast<const timespec*>(a[3]));
  }
  long r = rawSyscall6(n, a[0], a[1], a[2], a[3], a[4], a[5]);
  if (r < 0 && r > -4096) {
    errno = static_cast<int>(-r);
    return -1;
  }
  return r;
}

int sched_yield() {
  if (Scheduler::active())
    Scheduler::yield(Op::Yield, nullptr);
  else
    rawSyscall(SYS_sched_yield);
  return 0;
}

int nanosleep(const timespec* req, timespec* rem) {
  if (Scheduler::active())
    return sleepPoint();
  long r = rawSyscall(SYS_nanosleep, reinterpret_cast<long>(req), reinterpret_cast<long>(rem));
  if (r < 0) {
    errno = static_cast<int>(-r);
    return -1;
  }
  return 0;
}

int clock_nanosleep(clockid_t clock, int flags, const timespec* req, timespec* rem) {
  if (Scheduler::active())
    return sleepPoint();
  return static_cast<int>(-rawSyscall(SYS_clock_nanosleep, clock, flags,
                                      reinterpret_cast<long>(req), reinterpret_cast<long>(rem)));
}

int usleep(useconds_t us) {
  timespec ts{static_cast<time_t>(us / 1000000), static_cast<long>(us % 1000000) * 1000};
  return nanosleep(&ts, nullptr);
}

unsigned sleep(unsigned s) {
  timespec ts{static_cast<time_t>(s), 0};
  timespec rem{};
  if (nanosleep(&ts, &rem) != 0)
    return static_cast<unsigned>(rem.tv_sec);
  return 0;
}

void thrd_yield() {
  sched_yield();
}

int thrd_sleep(const timespec* req, timespec* rem) {
  if (Scheduler::active())
    return sleepPoint();
  return nanosleep(req, rem) == 0 ? 0 : -1;
}

} // extern "C"
