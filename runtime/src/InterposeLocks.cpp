// Mutexes (pthread, spin, C11), rwlocks and once flags, modelled entirely by the scheduler: the
// program's lock objects are never locked in the kernel while the runtime is in control.
#include "RaceDetector.h"
#include "Real.h"
#include "Scheduler.h"

#include <cerrno>
#include <ctime>
#include <pthread.h>
#include <threads.h>

using namespace threadcheck::rt;

namespace {

int32_t me() {
  return Scheduler::self();
}

Object* mutexObject(const void* addr, int kindHint) {
  Object* o = Scheduler::object(addr, ObjKind::Mutex);
  if (o->depth == 0 && o->owner < 0 && kindHint >= 0) {
    switch (kindHint & 3) {
    case PTHREAD_MUTEX_RECURSIVE:
      o->mtype = MutexType::Recursive;
      break;
    case PTHREAD_MUTEX_ERRORCHECK:
      o->mtype = MutexType::ErrorCheck;
      break;
    default:
      o->mtype = MutexType::Normal;
      break;
    }
  }
  return o;
}

// glibc keeps the mutex type in the object, also for static initialisers such as
// PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP (std::recursive_mutex), so it is read on every use.
int pthreadKind(pthread_mutex_t* m) {
  return m->__data.__kind;
}

enum class LockHow { Block, Try, Timed };

int lockMutex(Object* o, LockHow how) {
  Scheduler::point(how == LockHow::Try ? Op::TryLock : Op::Lock, o);
  int32_t self = me();
  if (o->owner == self) {
    if (o->mtype == MutexType::Recursive) {
      ++o->depth;
      if (how == LockHow::Try)
        Scheduler::noteResult(EventResult::Acquired);
      Race::acquire(syncKey(reinterpret_cast<void*>(o->addr)));
      return 0;
    }
    if (how == LockHow::Try) {
      Scheduler::noteResult(EventResult::Busy, self);
      return EBUSY;
    }
    if (o->mtype == MutexType::ErrorCheck)
      return EDEADLK;
    Scheduler::fail(FindingKind::LockMisuse, &self, 1,
                    "lock misuse: thread %d '%s' locks mutex #%u (%p) which it already holds "
                    "(a non-recursive mutex: this self-deadlocks)",
                    self, Scheduler::name(self), o->id, reinterpret_cast<void*>(o->addr));
  }
  if (o->owner >= 0) {
    if (how == LockHow::Try) {
      Scheduler::noteResult(EventResult::Busy, o->owner);
      return EBUSY;
    }
    // Marked before waiting: a deadlock is found inside the wait.
    Scheduler::noteResult(EventResult::Waits, o->owner);
    int32_t holder = o->owner;
    if (Scheduler::block(Block::Mutex, o, how == LockHow::Timed) == Mode::Timeout) {
      Scheduler::noteResult(EventResult::TimedOut, holder);
      return ETIMEDOUT;
    }
    Scheduler::noteResult(EventResult::WaitedAcquired, holder);
  } else if (how == LockHow::Try) {
    Scheduler::noteResult(EventResult::Acquired);
  }
  o->owner = self;
  o->depth = 1;
  Scheduler::acquired(o, how == LockHow::Try);
  Race::acquire(syncKey(reinterpret_cast<void*>(o->addr)));
  return 0;
}

int unlockMutex(Object* o) {
  Scheduler::point(Op::Unlock, o);
  int32_t self = me();
  if (o->owner != self) {
    if (o->owner < 0)
      Scheduler::fail(FindingKind::LockMisuse, &self, 1,
                      "lock misuse: thread %d '%s' unlocks mutex #%u (%p) which is not locked",
                      self, Scheduler::name(self), o->id, reinterpret_cast<void*>(o->addr));
    int32_t ids[] = {self, o->owner};
    Scheduler::fail(FindingKind::LockMisuse, ids, 2,
                    "lock misuse: thread %d '%s' unlocks mutex #%u (%p) held by thread %d '%s'",
                    self, Scheduler::name(self), o->id, reinterpret_cast<void*>(o->addr), o->owner,
                    Scheduler::name(o->owner));
  }
  Race::release(syncKey(reinterpret_cast<void*>(o->addr)));
  if (--o->depth == 0) {
    o->owner = -1;
    Scheduler::released(o);
  }
  return 0;
}

int destroyMutex(const void* addr) {
  if (Object* o = Scheduler::lookup(addr)) {
    if (o->kind == ObjKind::Mutex && o->owner >= 0 && Scheduler::active()) {
      int32_t self = me();
      int32_t ids[] = {self, o->owner};
      Scheduler::fail(FindingKind::LockMisuse, ids, 2,
                      "lock misuse: thread %d '%s' destroys mutex #%u (%p) while thread %d '%s' "
                      "holds it",
                      self, Scheduler::name(self), o->id, reinterpret_cast<void*>(o->addr),
                      o->owner, Scheduler::name(o->owner));
    }
    Scheduler::forget(addr);
    Race::forget(syncKey(addr));
  }
  return 0;
}

} // namespace

TC_REAL(int, pthread_mutex_init, (pthread_mutex_t*, const pthread_mutexattr_t*))
TC_REAL(int, pthread_mutex_lock, (pthread_mutex_t*))
TC_REAL(int, pthread_mutex_trylock, (pthread_mutex_t*))
TC_REAL(int, pthread_mutex_timedlock, (pthread_mutex_t*, const timespec*))
TC_REAL(int, pthread_mutex_clocklock, (pthread_mutex_t*, clockid_t, const timespec*))
TC_REAL(int, pthread_mutex_unlock, (pthread_mutex_t*))
TC_REAL(int, pthread_mutex_destroy, (pthread_mutex_t*))
TC_REAL(int, pthread_spin_lock, (pthread_spinlock_t*))
TC_REAL(int, pthread_spin_trylock, (pthread_spinlock_t*))
TC_REAL(int, pthread_spin_unlock, (pthread_spinlock_t*))
TC_REAL(int, pthread_rwlock_rdlock, (pthread_rwlock_t*))
TC_REAL(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t*))
TC_REAL(int, pthread_rwlock_timedrdlock, (pthread_rwlock_t*, const timespec*))
TC_REAL(int, pthread_rwlock_clockrdlock, (pthread_rwlock_t*, clockid_t, const timespec*))
TC_REAL(int, pthread_rwlock_wrlock, (pthread_rwlock_t*))
TC_REAL(int, pthread_rwlock_trywrlock, (pthread_rwlock_t*))
TC_REAL(int, pthread_rwlock_timedwrlock, (pthread_rwlock_t*, const timespec*))
TC_REAL(int, pthread_rwlock_clockwrlock, (pthread_rwlock_t*, clockid_t, const timespec*))
TC_REAL(int, pthread_rwlock_unlock, (pthread_rwlock_t*))
TC_REAL(int, pthread_once, (pthread_once_t*, void (*)()))
TC_REAL(int, mtx_init, (mtx_t*, int))
TC_REAL(int, mtx_lock, (mtx_t*))
TC_REAL(int, mtx_trylock, (mtx_t*))
TC_REAL(int, mtx_timedlock, (mtx_t*, const timespec*))
TC_REAL(int, mtx_unlock, (mtx_t*))
TC_REAL(void, mtx_destroy, (mtx_t*))
TC_REAL(void, call_once, (once_flag*, void (*)()))

namespace {

int rwLock(pthread_rwlock_t* l, bool write, LockHow how) {
  Object* o = Scheduler::object(l, ObjKind::RwLock);
  bool tryOnly = how == LockHow::Try;
  Scheduler::point(write ? (tryOnly ? Op::TryWriteLock : Op::WriteLock)
                         : (tryOnly ? Op::TryReadLock : Op::ReadLock),
                   o);
  int32_t self = me();
  if (o->owner == self)
    Scheduler::fail(FindingKind::LockMisuse, &self, 1,
                    "lock misuse: thread %d '%s' locks rwlock #%u (%p) which it already holds for "
                    "writing (this self-deadlocks)",
                    self, Scheduler::name(self), o->id, reinterpret_cast<void*>(o->addr));
  bool free = write ? (o->owner < 0 && o->readers == 0) : o->owner < 0;
  if (!free) {
    int32_t holder = o->owner; // -1: readers hold it
    if (tryOnly) {
      Scheduler::noteResult(EventResult::Busy, holder);
      return EBUSY;
    }
    Scheduler::noteResult(EventResult::Waits, holder);
    if (Scheduler::block(write ? Block::WriteLock : Block::ReadLock, o, how == LockHow::Timed) ==
        Mode::Timeout) {
      Scheduler::noteResult(EventResult::TimedOut, holder);
      return ETIMEDOUT;
    }
    Scheduler::noteResult(EventResult::WaitedAcquired, holder);
  } else if (tryOnly) {
    Scheduler::noteResult(EventResult::Acquired);
  }
  if (write) {
    o->owner = self;
    Scheduler::acquired(o, tryOnly);
    Race::acquire(syncKey(l, SyncTag::RwReaders));
  } else {
    ++o->readers;
  }
  // Readers see what writers released; a writer also sees what readers did before unlocking.
  Race::acquire(syncKey(l));
  return 0;
}

int rwUnlock(pthread_rwlock_t* l) {
  Object* o = Scheduler::object(l, ObjKind::RwLock);
  Scheduler::point(Op::RwUnlock, o);
  int32_t self = me();
  if (o->owner == self) {
    Race::release(syncKey(l));
    o->owner = -1;
    Scheduler::released(o);
  } else if (o->readers > 0) {
    Race::release(syncKey(l, SyncTag::RwReaders));
    --o->readers;
  } else {
    Scheduler::fail(FindingKind::LockMisuse, &self, 1,
                    "lock misuse: thread %d '%s' unlocks rwlock #%u (%p) which it does not hold",
                    self, Scheduler::name(self), o->id, reinterpret_cast<void*>(o->addr));
  }
  return 0;
}

// glibc's pthread_once_t and once_flag: an int, PTHREAD_ONCE_INIT (0) when new, with this bit
// once the function has run.
constexpr int kOnceDone = 2;

void runOnce(const void* flag, void (*fn)()) {
  auto* word = static_cast<int*>(const_cast<void*>(flag));
  Object* o = Scheduler::object(flag, ObjKind::Once);
  // A flag initialised again (memory that is not the heap's, such as a stack or a pool, reused
  // for a new object) is a new flag.
  if (o->onceState == 2 && __atomic_load_n(word, __ATOMIC_RELAXED) == 0)
    o->onceState = 0;
  Scheduler::point(Op::Once, o);
  if (o->onceState == 1)
    Scheduler::block(Block::Once, o, false);
  if (o->onceState == 2) {
    Race::acquire(syncKey(flag));
    return;
  }
  o->onceState = 1;
  fn();
  o->onceState = 2;
  // As glibc marks it: calls the runtime does not model (after the schedule) see it done too.
  __atomic_store_n(word, kOnceDone, __ATOMIC_RELAXED);
  Race::release(syncKey(flag));
}

} // namespace

#define TC_MODELLED (Scheduler::enabled())

extern "C" {

int pthread_mutex_init(pthread_mutex_t* m, const pthread_mutexattr_t* a) {
  int rc = real_pthread_mutex_init()(m, a);
  if (TC_MODELLED) {
    Scheduler::forget(m);
    mutexObject(m, pthreadKind(m));
  }
  return rc;
}
int pthread_mutex_lock(pthread_mutex_t* m) {
  if (!TC_MODELLED)
    return real_pthread_mutex_lock()(m);
  return lockMutex(mutexObject(m, pthreadKind(m)), LockHow::Block);
}
int pthread_mutex_trylock(pthread_mutex_t* m) {
  if (!TC_MODELLED)
    return real_pthread_mutex_trylock()(m);
  return lockMutex(mutexObject(m, pthreadKind(m)), LockHow::Try);
}
int pthread_mutex_timedlock(pthread_mutex_t* m, const timespec* t) {
  if (!TC_MODELLED)
    return real_pthread_mutex_timedlock()(m, t);
  return lockMutex(mutexObject(m, pthreadKind(m)), LockHow::Timed);
}
int pthread_mutex_clocklock(pthread_mutex_t* m, clockid_t c, const timespec* t) {
  if (!TC_MODELLED)
    return real_pthread_mutex_clocklock()(m, c, t);
  return lockMutex(mutexObject(m, pthreadKind(m)), LockHow::Timed);
}
int pthread_mutex_unlock(pthread_mutex_t* m) {
  if (!TC_MODELLED)
    return real_pthread_mutex_unlock()(m);
  return unlockMutex(mutexObject(m, pthreadKind(m)));
}
int pthread_mutex_destroy(pthread_mutex_t* m) {
  if (TC_MODELLED)
    destroyMutex(m);
  return real_pthread_mutex_destroy()(m);
}

int pthread_spin_lock(pthread_spinlock_t* l) {
  if (!TC_MODELLED)
    return real_pthread_spin_lock()(l);
  return lockMutex(mutexObject(const_cast<int*>(l), PTHREAD_MUTEX_NORMAL), LockHow::Block);
}
int pthread_spin_trylock(pthread_spinlock_t* l) {
  if (!TC_MODELLED)
    return real_pthread_spin_trylock()(l);
  return lockMutex(mutexObject(const_cast<int*>(l), PTHREAD_MUTEX_NORMAL), LockHow::Try);
}
int pthread_spin_unlock(pthread_spinlock_t* l) {
  if (!TC_MODELLED)
    return real_pthread_spin_unlock()(l);
  return unlockMutex(mutexObject(const_cast<int*>(l), PTHREAD_MUTEX_NORMAL));
}

int pthread_rwlock_rdlock(pthread_rwlock_t* l) {
  return TC_MODELLED ? rwLock(l, false, LockHow::Block) : real_pthread_rwlock_rdlock()(l);
}
int pthread_rwlock_tryrdlock(pthread_rwlock_t* l) {
  return TC_MODELLED ? rwLock(l, false, LockHow::Try) : real_pthread_rwlock_tryrdlock()(l);
}
int pthread_rwlock_timedrdlock(pthread_rwlock_t* l, const timespec* t) {
  return TC_MODELLED ? rwLock(l, false, LockHow::Timed) : real_pthread_rwlock_timedrdlock()(l, t);
}
int pthread_rwlock_clockrdlock(pthread_rwlock_t* l, clockid_t c, const timespec* t) {
  return TC_MODELLED ? rwLock(l, false, LockHow::Timed)
                     : real_pthread_rwlock_clockrdlock()(l, c, t);
}
int pthread_rwlock_wrlock(pthread_rwlock_t* l) {
  return TC_MODELLED ? rwLock(l, true, LockHow::Block) : real_pthread_rwlock_wrlock()(l);
}
int pthread_rwlock_trywrlock(pthread_rwlock_t* l) {
  return TC_MODELLED ? rwLock(l, true, LockHow::Try) : real_pthread_rwlock_trywrlock()(l);
}
int pthread_rwlock_timedwrlock(pthread_rwlock_t* l, const timespec* t) {
  return TC_MODELLED ? rwLock(l, true, LockHow::Timed) : real_pthread_rwlock_timedwrlock()(l, t);
}
int pthread_rwlock_clockwrlock(pthread_rwlock_t* l, clockid_t c, const timespec* t) {
  return TC_MODELLED ? rwLock(l, true, LockHow::Timed) : real_pthread_rwlock_clockwrlock()(l, c, t);
}
int pthread_rwlock_unlock(pthread_rwlock_t* l) {
  return TC_MODELLED ? rwUnlock(l) : real_pthread_rwlock_unlock()(l);
}

int pthread_once(pthread_once_t* flag, void (*fn)()) {
  if (!TC_MODELLED)
    return real_pthread_once()(flag, fn);
  runOnce(flag, fn);
  return 0;
}

int mtx_init(mtx_t* m, int type) {
  int rc = real_mtx_init()(m, type);
  if (TC_MODELLED) {
    Scheduler::forget(m);
    mutexObject(m, (type & mtx_recursive) ? PTHREAD_MUTEX_RECURSIVE : PTHREAD_MUTEX_NORMAL);
  }
  return rc;
}
static int c11(int rc) {
  return rc == 0           ? thrd_success
         : rc == EBUSY     ? thrd_busy
         : rc == ETIMEDOUT ? thrd_timedout
                           : thrd_error;
}
int mtx_lock(mtx_t* m) {
  if (!TC_MODELLED)
    return real_mtx_lock()(m);
  return c11(lockMutex(mutexObject(m, -1), LockHow::Block));
}
int mtx_trylock(mtx_t* m) {
  if (!TC_MODELLED)
    return real_mtx_trylock()(m);
  return c11(lockMutex(mutexObject(m, -1), LockHow::Try));
}
int mtx_timedlock(mtx_t* m, const timespec* t) {
  if (!TC_MODELLED)
    return real_mtx_timedlock()(m, t);
  return c11(lockMutex(mutexObject(m, -1), LockHow::Timed));
}
int mtx_unlock(mtx_t* m) {
  if (!TC_MODELLED)
    return real_mtx_unlock()(m);
  return c11(unlockMutex(mutexObject(m, -1)));
}
void mtx_destroy(mtx_t* m) {
  if (TC_MODELLED)
    destroyMutex(m);
  real_mtx_destroy()(m);
}
void call_once(once_flag* flag, void (*fn)()) {
  if (!TC_MODELLED)
    return real_call_once()(flag, fn);
  runOnce(flag, fn);
}

} // extern "C"

// This copy's own pthread_mutex_lock, which symbol interposition cannot redirect: the runtime
// compares it with what the program resolves to find out whether this copy is the one in charge.
extern "C" __attribute__((visibility("hidden"), nonnull)) int
threadcheck_own_mutex_lock(pthread_mutex_t*) noexcept __attribute__((alias("pthread_mutex_lock")));
