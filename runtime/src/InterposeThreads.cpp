// Thread lifecycle: pthread_create/join/detach/exit, names, C11 thrd_*. Threads are real OS
// threads; the scheduler decides which one may run.
#include "ForkServer.h"
#include "InProcess.h"
#include "Instrument.h"
#include "RaceDetector.h"
#include "Real.h"
#include "Scheduler.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <threads.h>

using namespace threadcheck::rt;

TC_REAL(int, pthread_create, (pthread_t*, const pthread_attr_t*, void* (*)(void*), void*))
TC_REAL(int, pthread_join, (pthread_t, void**))
TC_REAL(int, pthread_detach, (pthread_t))
TC_REAL(int, pthread_setname_np, (pthread_t, const char*))

extern "C" int __cxa_thread_atexit_impl(void (*)(void*), void*, void*);
extern "C" void* __dso_handle;

namespace {

struct StartInfo {
  int32_t tid;
  uint32_t epoch; // in-process: the schedule the thread belongs to
  bool c11;
  void* (*fn)(void*);
  int (*c11fn)(void*);
  void* arg;
};
StartInfo g_start[kMaxThreads];

// Runs after every thread_local destructor of the thread (registered first, so called last):
// until then the thread may still run program code.
// A thread calling exit() runs its thread_local destructors inside exit() and must keep control.
// Other threads still end under control during exit (a library destructor joining its pool).
int32_t g_exitingThread = -1;

void onThreadExit(void*) {
  if (g_exitingThread < 0 || Scheduler::self() != g_exitingThread)
    Scheduler::threadFinished();
}

// on_exit, not atexit: the status tells an exit-status finding, whose report shows where every
// thread was (main returning 1, a worker calling exit(3)) before the process is gone.
void onProcessExit(int status, void*) {
  g_exitingThread = Scheduler::self();
  if (status != 0)
    Scheduler::exitStatus();
  Scheduler::checkExit();
}

void* trampoline(void* p) {
  auto* info = static_cast<StartInfo*>(p);
  Scheduler::threadStarted(info->tid, info->epoch);
  Race::threadStarted(info->tid);
  if (Race::on()) {
    // glibc reuses the stacks of finished threads: what an earlier thread did there is not racy.
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* stack = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attr, &stack, &size) == 0)
        Race::clear(reinterpret_cast<uintptr_t>(stack), size);
      pthread_attr_destroy(&attr);
    }
  }
  __cxa_thread_atexit_impl(onThreadExit, nullptr, &__dso_handle);
  Scheduler::point(Op::ThreadStart, nullptr);
  if (info->c11)
    return reinterpret_cast<void*>(static_cast<intptr_t>(info->c11fn(info->arg)));
  return info->fn(info->arg);
}

// glibc reuses a joined thread's handle for the next thread it creates: the latest thread with
// the handle is the one meant.
int32_t findThread(pthread_t th) {
  for (auto t = static_cast<int32_t>(Scheduler::threadCount()); t-- > 0;) {
    const Thread& x = Scheduler::thread(t);
    if (x.used && x.osHandle == static_cast<uintptr_t>(th))
      return t;
  }
  return -1;
}

int createThread(pthread_t* out, const pthread_attr_t* attr, StartInfo info) {
  if (!Scheduler::active()) {
    if (Scheduler::inProcess()) {
      // In-process: the schedule starts here, as a child would.
      Scheduler::startSchedule();
      Instrument::startSchedule(Scheduler::record());
    } else
      becomeForkServer(); // returns in a fresh child that runs one schedule
  }
  if (Scheduler::self() == 0)
    Scheduler::thread(0).osHandle = static_cast<uintptr_t>(pthread_self());
  int32_t tid = Scheduler::registerThread();
  info.tid = tid;
  info.epoch = Scheduler::epoch();
  g_start[tid] = info;
  Scheduler::setEntry(tid, info.c11 ? reinterpret_cast<uintptr_t>(info.c11fn)
                                    : reinterpret_cast<uintptr_t>(info.fn));
  Race::threadCreated(Scheduler::self(), tid);
  int detachState = PTHREAD_CREATE_JOINABLE;
  if (attr)
    pthread_attr_getdetachstate(attr, &detachState);
  Thread& t = Scheduler::thread(tid);
  t.detached = detachState == PTHREAD_CREATE_DETACHED;
  pthread_t handle;
  int rc = real_pthread_create()(&handle, attr, trampoline, &g_start[tid]);
  if (rc != 0) {
    t.used = false; // the slot stays unused; thread ids are never reused
    t.block = Block::Finished;
    return rc;
  }
  t.osHandle = static_cast<uintptr_t>(handle);
  *out = handle;
  Scheduler::point(Op::Create, nullptr);
  return 0;
}

int joinThread(pthread_t th, void** ret) {
  int32_t tid = findThread(th);
  if (tid < 0)
    return real_pthread_join()(th, ret);
  int32_t self = Scheduler::self();
  Thread& t = Scheduler::thread(tid);
  if (tid == self) {
    int32_t ids[] = {self};
    Scheduler::fail(FindingKind::Deadlock, ids, 1, "deadlock: thread %d '%s' joins itself", self,
                    Scheduler::name(self));
  }
  if (t.joined || t.detached) {
    int32_t ids[] = {self, tid};
    Scheduler::fail(FindingKind::LockMisuse, ids, 2,
                    "thread misuse: thread %d '%s' joins thread %d '%s', which was already %s",
                    self, Scheduler::name(self), tid, Scheduler::name(tid),
                    t.joined ? "joined" : "detached");
  }
  Scheduler::point(Op::Join, nullptr);
  if (t.block != Block::Finished) {
    Scheduler::thread(self).joinTarget = tid;
    Scheduler::block(Block::Join, nullptr, false);
  }
  t.joined = true;
  Scheduler::exitLeakRecheck();
  Race::threadJoined(self, tid);
  // The model says the thread is done; reap the OS thread (it is only finishing its exit path).
  return real_pthread_join()(th, ret);
}

} // namespace

namespace threadcheck::rt {
void registerProcessExit() {
  on_exit(onProcessExit, nullptr);
}
} // namespace threadcheck::rt

extern "C" {

int pthread_create(pthread_t* th, const pthread_attr_t* attr, void* (*fn)(void*), void* arg) {
  if (!Scheduler::enabled())
    ensureInitialised();
  if (!Scheduler::enabled())
    return real_pthread_create()(th, attr, fn, arg);
  return createThread(th, attr, StartInfo{0, 0, false, fn, nullptr, arg});
}

int pthread_join(pthread_t th, void** ret) {
  if (!Scheduler::active())
    return real_pthread_join()(th, ret);
  return joinThread(th, ret);
}

int pthread_detach(pthread_t th) {
  if (Scheduler::active()) {
    int32_t tid = findThread(th);
    if (tid >= 0) {
      Thread& t = Scheduler::thread(tid);
      if (t.detached || t.joined) {
        int32_t self = Scheduler::self();
        int32_t ids[] = {self, tid};
        Scheduler::fail(FindingKind::LockMisuse, ids, 2,
                        "thread misuse: thread %d '%s' detaches thread %d '%s', which was "
                        "already %s",
                        self, Scheduler::name(self), tid, Scheduler::name(tid),
                        t.joined ? "joined" : "detached");
      }
      Scheduler::point(Op::Detach, nullptr);
      t.detached = true;
    }
  }
  return real_pthread_detach()(th);
}

int pthread_setname_np(pthread_t th, const char* name) {
  if (Scheduler::enabled()) {
    int32_t tid = Scheduler::active() ? findThread(th) : 0;
    if (tid >= 0)
      Scheduler::setName(tid, name);
  }
  return real_pthread_setname_np()(th, name);
}

void pthread_exit(void* ret) {
  static auto* real = realFunction<void(void*)>(nullptr, "pthread_exit");
  // The main thread has no thread-exit hook of its own (exit() would run it too early).
  // In-process, thread 0 runs the body: leaving it is the body's end.
  if (Scheduler::inProcess() && Scheduler::member() && Scheduler::self() == 0)
    InProcess::bodyReturned();
  else if (Scheduler::active() && Scheduler::self() == 0)
    Scheduler::threadFinished();
  real(ret);
  __builtin_unreachable();
}

void exit(int status) {
  static auto* real = realFunction<void(int)>(nullptr, "exit");
  if (Scheduler::inProcess() && Scheduler::member()) {
    // The test process ends inside an explored schedule: report it before it is gone.
    int32_t self = Scheduler::self();
    char msg[256];
    snprintf(msg, sizeof msg,
             "exit status: thread %d '%s' called exit(%d) inside the explored body; the test "
             "process ends here",
             self, Scheduler::name(self), status);
    Scheduler::recordFinding(FindingKind::ExitStatus, &self, 1, msg);
    InProcess::fatal();
  }
  g_exitingThread = Scheduler::self();
  real(status);
  __builtin_unreachable();
}

void thrd_exit(int res) {
  pthread_exit(reinterpret_cast<void*>(static_cast<intptr_t>(res)));
}

int thrd_create(thrd_t* th, thrd_start_t fn, void* arg) {
  if (!Scheduler::enabled())
    ensureInitialised();
  if (!Scheduler::enabled()) {
    static auto* real = realFunction<int(thrd_t*, thrd_start_t, void*)>(nullptr, "thrd_create");
    return real(th, fn, arg);
  }
  pthread_t handle;
  int rc = createThread(&handle, nullptr, StartInfo{0, 0, true, nullptr, fn, arg});
  if (rc == 0)
    *th = handle;
  return rc == 0 ? thrd_success : rc == ENOMEM ? thrd_nomem : thrd_error;
}

int thrd_join(thrd_t th, int* res) {
  void* ret = nullptr;
  int rc;
  if (!Scheduler::active())
    rc = real_pthread_join()(th, &ret);
  else
    rc = joinThread(th, &ret);
  if (rc == 0 && res)
    *res = static_cast<int>(reinterpret_cast<intptr_t>(ret));
  return rc == 0 ? thrd_success : thrd_error;
}

int thrd_detach(thrd_t th) {
  return pthread_detach(th) == 0 ? thrd_success : thrd_error;
}

} // extern "C"
