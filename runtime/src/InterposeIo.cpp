// Calls that may block in the kernel: reads, writes and accepts on pipes and sockets, and the
// readiness waits (poll, ppoll, select, pselect, epoll_wait, epoll_pwait). In a serialised
// schedule a thread that blocked for real would stop every other thread, the one that would
// have written what it waits for included. So a call that would block first waits in the
// scheduler (Scheduler::waitIo) until poll(2) says it can go ahead, while the others run; then
// the real call runs and no longer blocks. A call on a non-blocking descriptor, or one that is
// ready, goes straight to glibc. Timeouts are virtual: a timed wait that is not ready may time
// out at any scheduling decision, as a timed condition wait may.
#include "Raw.h"
#include "Real.h"
#include "Scheduler.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>

using namespace threadcheck::rt;

namespace {

bool nonBlocking(int fd) {
  long flags = rawSyscall(SYS_fcntl, fd, F_GETFL);
  // A bad descriptor is the call's to report, at once.
  return flags < 0 || (flags & O_NONBLOCK) != 0;
}

// Before a call that blocks until `fd` is ready for `events`.
void awaitFd(int fd, short events) {
  if (!Scheduler::active() || nonBlocking(fd))
    return;
  pollfd p{fd, events, 0};
  if (!Scheduler::ioReady(&p, 1))
    Scheduler::waitIo(&p, 1, false);
}

void awaitFd(int fd, short events, int msgFlags) {
  if ((msgFlags & MSG_DONTWAIT) == 0)
    awaitFd(fd, events);
}

// Before a readiness wait with `timeoutMs` (negative: none): true when the wait timed out in
// the schedule, so the call returns 0 without asking the kernel.
bool awaitAny(pollfd* fds, uint32_t n, long long timeoutMs) {
  if (Scheduler::ioReady(fds, n))
    return false;
  if (n == 0) {
    // No descriptor: poll(NULL, 0, ms) is a sleep.
    Scheduler::yield(Op::Sleep, nullptr);
    return true;
  }
  return Scheduler::waitIo(fds, n, timeoutMs >= 0) == Mode::Timeout;
}

long long timespecMs(const timespec* ts) {
  return ts ? static_cast<long long>(ts->tv_sec) * 1000 + ts->tv_nsec / 1000000 : -1;
}

bool zero(const timespec* ts) {
  return ts && ts->tv_sec == 0 && ts->tv_nsec == 0;
}

constexpr uint32_t kSelectCap = 256;

// The descriptors of a select() as poll entries; false when there are more than fit (the call
// then runs as it is).
bool selectFds(int nfds, fd_set* r, fd_set* w, fd_set* e, pollfd* out, uint32_t& n) {
  n = 0;
  for (int fd = 0; fd < nfds && fd < FD_SETSIZE; ++fd) {
    short ev = 0;
    if (r && FD_ISSET(fd, r))
      ev |= POLLIN;
    if (w && FD_ISSET(fd, w))
      ev |= POLLOUT;
    if (e && FD_ISSET(fd, e))
      ev |= POLLPRI;
    if (ev == 0)
      continue;
    if (n == kSelectCap)
      return false;
    out[n++] = pollfd{fd, ev, 0};
  }
  return true;
}

void clearSets(int nfds, fd_set* r, fd_set* w, fd_set* e) {
  for (fd_set* s : {r, w, e})
    if (s)
      for (int fd = 0; fd < nfds && fd < FD_SETSIZE; ++fd)
        FD_CLR(fd, s);
}

// The epoll descriptor is readable when one of its events is ready.
bool awaitEpoll(int epfd, int timeoutMs) {
  pollfd p{epfd, POLLIN, 0};
  return awaitAny(&p, 1, timeoutMs);
}

} // namespace

TC_REAL(ssize_t, read, (int, void*, size_t))
TC_REAL(ssize_t, readv, (int, const iovec*, int))
TC_REAL(ssize_t, write, (int, const void*, size_t))
TC_REAL(ssize_t, writev, (int, const iovec*, int))
TC_REAL(ssize_t, recv, (int, void*, size_t, int))
TC_REAL(ssize_t, recvfrom, (int, void*, size_t, int, sockaddr*, socklen_t*))
TC_REAL(ssize_t, recvmsg, (int, msghdr*, int))
TC_REAL(ssize_t, send, (int, const void*, size_t, int))
TC_REAL(ssize_t, sendto, (int, const void*, size_t, int, const sockaddr*, socklen_t))
TC_REAL(ssize_t, sendmsg, (int, const msghdr*, int))
TC_REAL(int, accept, (int, sockaddr*, socklen_t*))
TC_REAL(int, accept4, (int, sockaddr*, socklen_t*, int))
TC_REAL(int, poll, (pollfd*, nfds_t, int))
TC_REAL(int, ppoll, (pollfd*, nfds_t, const timespec*, const sigset_t*))
TC_REAL(int, select, (int, fd_set*, fd_set*, fd_set*, timeval*))
TC_REAL(int, pselect, (int, fd_set*, fd_set*, fd_set*, const timespec*, const sigset_t*))
TC_REAL(int, epoll_wait, (int, epoll_event*, int, int))
TC_REAL(int, epoll_pwait, (int, epoll_event*, int, int, const sigset_t*))
TC_REAL(ssize_t, __read_chk, (int, void*, size_t, size_t))
TC_REAL(ssize_t, __recv_chk, (int, void*, size_t, size_t, int))
TC_REAL(ssize_t, __recvfrom_chk, (int, void*, size_t, size_t, int, sockaddr*, socklen_t*))
TC_REAL(int, __poll_chk, (pollfd*, nfds_t, int, size_t))

extern "C" {

ssize_t read(int fd, void* buf, size_t n) {
  awaitFd(fd, POLLIN);
  return real_read()(fd, buf, n);
}
ssize_t __read_chk(int fd, void* buf, size_t n, size_t buflen) {
  awaitFd(fd, POLLIN);
  return real___read_chk()(fd, buf, n, buflen);
}
ssize_t readv(int fd, const iovec* iov, int n) {
  awaitFd(fd, POLLIN);
  return real_readv()(fd, iov, n);
}
ssize_t write(int fd, const void* buf, size_t n) {
  awaitFd(fd, POLLOUT);
  return real_write()(fd, buf, n);
}
ssize_t writev(int fd, const iovec* iov, int n) {
  awaitFd(fd, POLLOUT);
  return real_writev()(fd, iov, n);
}
ssize_t recv(int fd, void* buf, size_t n, int flags) {
  awaitFd(fd, POLLIN, flags);
  return real_recv()(fd, buf, n, flags);
}
ssize_t __recv_chk(int fd, void* buf, size_t n, size_t buflen, int flags) {
  awaitFd(fd, POLLIN, flags);
  return real___recv_chk()(fd, buf, n, buflen, flags);
}
ssize_t recvfrom(int fd, void* buf, size_t n, int flags, sockaddr* from, socklen_t* len) {
  awaitFd(fd, POLLIN, flags);
  return real_recvfrom()(fd, buf, n, flags, from, len);
}
ssize_t __recvfrom_chk(int fd, void* buf, size_t n, size_t buflen, int flags, sockaddr* from,
                       socklen_t* len) {
  awaitFd(fd, POLLIN, flags);
  return real___recvfrom_chk()(fd, buf, n, buflen, flags, from, len);
}
ssize_t recvmsg(int fd, msghdr* msg, int flags) {
  awaitFd(fd, POLLIN, flags);
  return real_recvmsg()(fd, msg, flags);
}
ssize_t send(int fd, const void* buf, size_t n, int flags) {
  awaitFd(fd, POLLOUT, flags);
  return real_send()(fd, buf, n, flags);
}
ssize_t sendto(int fd, const void* buf, size_t n, int flags, const sockaddr* to, socklen_t len) {
  awaitFd(fd, POLLOUT, flags);
  return real_sendto()(fd, buf, n, flags, to, len);
}
ssize_t sendmsg(int fd, const msghdr* msg, int flags) {
  awaitFd(fd, POLLOUT, flags);
  return real_sendmsg()(fd, msg, flags);
}
int accept(int fd, sockaddr* addr, socklen_t* len) {
  awaitFd(fd, POLLIN);
  return real_accept()(fd, addr, len);
}
int accept4(int fd, sockaddr* addr, socklen_t* len, int flags) {
  awaitFd(fd, POLLIN);
  return real_accept4()(fd, addr, len, flags);
}

int poll(pollfd* fds, nfds_t n, int timeoutMs) {
  if (!Scheduler::active() || timeoutMs == 0)
    return real_poll()(fds, n, timeoutMs);
  if (awaitAny(fds, static_cast<uint32_t>(n), timeoutMs))
    return 0;
  return real_poll()(fds, n, 0);
}
int __poll_chk(pollfd* fds, nfds_t n, int timeoutMs, size_t fdslen) {
  if (!Scheduler::active() || timeoutMs == 0)
    return real___poll_chk()(fds, n, timeoutMs, fdslen);
  if (awaitAny(fds, static_cast<uint32_t>(n), timeoutMs))
    return 0;
  return real___poll_chk()(fds, n, 0, fdslen);
}
int ppoll(pollfd* fds, nfds_t n, const timespec* timeout, const sigset_t* mask) {
  if (!Scheduler::active() || zero(timeout))
    return real_ppoll()(fds, n, timeout, mask);
  if (awaitAny(fds, static_cast<uint32_t>(n), timespecMs(timeout)))
    return 0;
  timespec now{};
  return real_ppoll()(fds, n, &now, mask);
}

int select(int nfds, fd_set* r, fd_set* w, fd_set* e, timeval* timeout) {
  bool zeroTimeout = timeout && timeout->tv_sec == 0 && timeout->tv_usec == 0;
  pollfd fds[kSelectCap];
  uint32_t n = 0;
  if (!Scheduler::active() || zeroTimeout || !selectFds(nfds, r, w, e, fds, n))
    return real_select()(nfds, r, w, e, timeout);
  long long ms =
      timeout ? static_cast<long long>(timeout->tv_sec) * 1000 + timeout->tv_usec / 1000 : -1;
  if (awaitAny(fds, n, ms)) {
    clearSets(nfds, r, w, e);
    if (timeout)
      *timeout = timeval{0, 0}; // Linux leaves the time not slept
    return 0;
  }
  timeval now{0, 0};
  return real_select()(nfds, r, w, e, &now);
}
int pselect(int nfds, fd_set* r, fd_set* w, fd_set* e, const timespec* timeout,
            const sigset_t* mask) {
  pollfd fds[kSelectCap];
  uint32_t n = 0;
  if (!Scheduler::active() || zero(timeout) || !selectFds(nfds, r, w, e, fds, n))
    return real_pselect()(nfds, r, w, e, timeout, mask);
  if (awaitAny(fds, n, timespecMs(timeout))) {
    clearSets(nfds, r, w, e);
    return 0;
  }
  timespec now{};
  return real_pselect()(nfds, r, w, e, &now, mask);
}

int epoll_wait(int epfd, epoll_event* events, int max, int timeoutMs) {
  if (!Scheduler::active() || timeoutMs == 0)
    return real_epoll_wait()(epfd, events, max, timeoutMs);
  if (awaitEpoll(epfd, timeoutMs))
    return 0;
  return real_epoll_wait()(epfd, events, max, 0);
}
int epoll_pwait(int epfd, epoll_event* events, int max, int timeoutMs, const sigset_t* mask) {
  if (!Scheduler::active() || timeoutMs == 0)
    return real_epoll_pwait()(epfd, events, max, timeoutMs, mask);
  if (awaitEpoll(epfd, timeoutMs))
    return 0;
  return real_epoll_pwait()(epfd, events, max, 0, mask);
}

} // extern "C"
