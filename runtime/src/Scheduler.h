// The core scheduler: a thread table, exactly-one-runs hand-off through raw futex words, and the
// blocking model (who owns which lock, who waits on which object). It knows nothing of pthreads:
// the interposers translate library calls into the operations declared here.
#pragma once

#include "Finding.h"
#include "Record.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

struct pollfd;

namespace threadcheck::rt {

enum class Op : uint8_t {
  ThreadStart,
  ThreadExit,
  Create,
  Join,
  Detach,
  Lock,
  TryLock,
  Unlock,
  ReadLock,
  WriteLock,
  RwUnlock,
  CondWait,
  CondSignal,
  CondBroadcast,
  Yield,
  Sleep,
  FutexWait,
  FutexWake,
  SemWait,
  SemPost,
  BarrierWait,
  Once,
  Destroy,
  AtomicLoad,
  AtomicStore,
  AtomicRmw,
  Read,
  Write,
  TryReadLock,
  TryWriteLock,
  IoWait,
  Preempt, // the thread's time slice ran out before it reached a scheduling point
};
const char* opName(Op op);

enum class ObjKind : uint8_t {
  None,
  Mutex,
  RwLock,
  Cond,
  Futex,
  Sem,
  Barrier,
  Once,
  Thread,
  Atomic
};
const char* objKindName(ObjKind k);

enum class MutexType : uint8_t { Normal, Recursive, ErrorCheck };

struct Object {
  uintptr_t addr = 0;
  uint32_t id = 0; // order of first use: stable across replays, unlike addresses
  ObjKind kind = ObjKind::None;
  MutexType mtype = MutexType::Normal;
  int32_t owner = -1;      // mutex, rwlock writer
  uint32_t depth = 0;      // recursive mutex
  int32_t readers = 0;     // rwlock
  int64_t count = 0;       // semaphore value; barrier arrivals
  int64_t bound = 0;       // semaphore initial value; barrier size
  uint64_t generation = 0; // barrier
  uint32_t onceState = 0;  // 0 new, 1 running, 2 done
};

enum class Block : uint8_t {
  None,
  Mutex,
  ReadLock,
  WriteLock,
  Cond,
  Join,
  Futex,
  Sem,
  Barrier,
  Once,
  Io, // a read/write/poll/accept/... that would block: ready when the kernel says so
  Finished
};

inline constexpr uint32_t kMaxHeld = 16;

struct Thread {
  alignas(64) std::atomic<uint32_t> turn{0};
  std::atomic<uint32_t> cmd{0};
  bool used = false;
  bool started = false;
  bool detached = false;
  bool joined = false;
  bool yielded = false; // the thread is yielding now (sched_yield, sleep, spin, time slice)
  bool timed = false;   // the current wait may time out
  Mode wokenBy = Mode::Run;
  Block block = Block::None;
  Object* waitObj = nullptr;
  Object* condMutex = nullptr; // mutex to re-acquire after a condition wait
  uint64_t waitSeq = 0;        // fifo order of condition / futex waiters
  uint64_t barrierGen = 0;
  Op pendingOp = Op::ThreadStart;
  Object* pendingObj = nullptr;
  uint32_t nheld = 0;
  Object* held[kMaxHeld] = {};
  int32_t joinTarget = -1;
  int32_t requester = -1; // who asked this thread to capture its stack
  uintptr_t osHandle = 0;
  struct pollfd* ioFds = nullptr; // Block::Io: what the call waits for (on the caller's stack)
  uint32_t ioNfds = 0;
  // Fair scheduling (CHESS): the threads that were enabled when this thread last yielded and
  // have not been scheduled since; this thread does not run while one of them can.
  uint64_t after[kMaxThreads / 64] = {};
  uint64_t sliceSteps = 0; // time slices: the schedule's step count at the last timer tick
  int timer = -1;          // time slices: the thread's CPU-time timer (kernel id)
  uint64_t lastEvent = 0;  // the thread's latest event: its index in the ring plus one
  InvolvedThread* captureInto = nullptr; // where a requested stack goes
};

// Scheduler entry points; all are called by the running thread only.
class Scheduler {
public:
  static bool enabled();               // the runtime models this process's operations
  static bool active();                // a controlled schedule is running in this process
  static bool member();                // the calling thread is one of the explored program's
  static void setBypass(bool on);      // the runtime's own library calls go straight to glibc
  // This process is not explored (the child of the program's own fork before its first thread):
  // every interceptor passes straight through from now on.
  static void disable();
  static void init(SharedRecord* rec); // at load, when run under threadcheck
  static void startSchedule();         // in the forked child: exploration starts
  static int32_t self();
  static Thread& thread(int32_t tid);
  static Object* object(const void* addr, ObjKind kind);
  // The object at `addr` whatever its kind (an atomic used as a futex word stays one object).
  static Object* objectAny(const void* addr, ObjKind kindIfNew);
  static Object* lookup(const void* addr);
  static void forget(const void* addr);
  // The program freed [addr, addr + size): objects there are gone, and memory allocated there
  // again holds new ones (a std::promise's once flag, a mutex with other lock-order edges).
  static void memoryFreed(const void* addr, size_t size);
  static bool holdsObjects(); // memoryFreed has anything to do for the caller

  // A visible operation: control may pass to another thread before it takes effect.
  static void point(Op op, Object* obj);
  // Blocks the caller until `ready` holds for it or the strategy times the wait out (if timed).
  // Returns how the thread was woken.
  static Mode block(Block how, Object* obj, bool timed);
  // sched_yield, sleeps, spins: every thread enabled now runs before the caller runs again.
  // A yield makes no progress (the livelock window counts only such steps).
  static void yield(Op op, Object* obj);
  // From the time-slice signal handler: the running thread ran a whole slice without a
  // scheduling point; it is preempted as if it yielded. False when it was not.
  // `pc`: the interrupted instruction (the spinner's stack starts there).
  static bool timeSlice(uintptr_t pc);
  // Blocks the caller until one of `fds` is ready (as poll(2) says) or, if timed, the strategy
  // times the wait out; the caller then makes its call, which no longer blocks. A thread waiting
  // for I/O lets the others run; when nobody else can, the runtime waits for the kernel.
  static Mode waitIo(struct pollfd* fds, uint32_t n, bool timed);
  static bool ioReady(struct pollfd* fds, uint32_t n); // poll(2) with a zero timeout

  static int32_t registerThread(); // parent side of thread creation
  // The new thread's entry function and where the caller creates it, for reports.
  static void setEntry(int32_t tid, uintptr_t fn);
  // exit() with a non-zero status: records the stacks of the exiting thread and the live ones.
  static void exitStatus();
  // In the time-slice signal handler: the fork server asks for this thread's stack (a timeout);
  // `pc` is the interrupted instruction. Async-signal-safe.
  static void captureForServer(uintptr_t pc);
  static void threadStarted(int32_t tid, uint32_t epoch);
  static void threadFinished(); // hands control away for good
  static void wakeJoiners(int32_t tid);

  // What the caller's latest operation came to (a try-lock's result, a lock that waits), shown
  // with its event in reports; `other` is the thread it concerns (the holder), -1 for none.
  static void noteResult(EventResult result, int32_t other = -1);

  // Locks held by the caller, for misuse and lock-order detection.
  static void acquired(Object* m, bool viaTry = false);
  static void released(Object* m);

  // Ends the schedule with a finding naming `tids` (the first one is the reporting thread).
  [[noreturn]] static void fail(FindingKind kind, const int32_t* tids, uint32_t n, const char* fmt,
                                ...) __attribute__((format(printf, 4, 5)));
  static void recordFinding(FindingKind kind, const int32_t* tids, uint32_t n, const char* msg);
  static void checkExit(); // thread leaks at process exit
  // Records a thread-leak finding (message starting with `prefix`) if a thread other than the
  // caller is still running, or finished without being joined or detached.
  static bool checkLeaks(const char* prefix);
  static void exitLeakRecheck(); // after a join or thread end while the process exits
  static SharedRecord* record();
  static void setName(int32_t tid, const char* name);
  static const char* name(int32_t tid);
  static uint64_t steps();
  static uint32_t threadCount();

  // In-process exploration (threadcheck::explore); see InProcess.h.
  static bool inProcess();
  static void setInProcess(SharedRecord* rec); // null: back to inert
  static void resetSchedule();                 // by the controller, before each schedule
  static void adoptBodyThread();               // on the thread that runs the body: thread 0
  static void leaveBodyThread();
  static void bodyDone(); // the body returned: threads it leaves behind are a thread leak
  static uint32_t epoch();
  static bool stale(); // the caller belongs to a schedule that is over
  // By the controller once the schedule ended: tells every thread still waiting for its turn to
  // park for good (all but `ending`, and the running one if it is `stuck`). Returns how many.
  static uint32_t abandon(int32_t ending, bool stuck);
  static int32_t current();
};

} // namespace threadcheck::rt
