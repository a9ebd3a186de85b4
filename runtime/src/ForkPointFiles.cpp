#include "ForkPointFiles.h"

#include "Raw.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

namespace threadcheck::rt::forkpoint {
namespace {

enum class Kind : uint8_t { File, PipeRead, PipeWrite, EventFd, Epoll, UnixSocket };

struct Entry {
  int fd = -1;
  Kind kind = Kind::File;
  int statusFlags = 0; // F_GETFL
  bool cloexec = false;
  long long offset = 0;   // File
  uint64_t pipeIno = 0;   // PipeRead, PipeWrite; UnixSocket: the socket's inode
  uint64_t peerIno = 0;   // UnixSocket
  int sockType = 0;       // UnixSocket
  uint64_t count = 0;     // EventFd
  bool semaphore = false; // EventFd
  int sameAs = -1;        // index of an earlier entry for the same open file (a dup)
};

// What a pipe (keyed by its inode) or a socket end (by the socket's inode) held: for sockets a
// sequence of chunks, each as one recv() returned it (a datagram stays a datagram).
struct PipeData {
  uint64_t ino = 0;
  char* bytes = nullptr;
  uint32_t len = 0;
  uint32_t chunkEnd[64] = {};
  uint32_t nchunks = 0;
};

struct Watch {
  int epfd;
  int tfd;
  uint32_t events;
  uint64_t data;
};

constexpr uint32_t kMaxEntries = 256;
constexpr uint32_t kMaxPipes = 64;
constexpr uint32_t kMaxWatches = 1024;
constexpr uint32_t kPipeBytes = 1u << 16; // a pipe's default capacity

Entry g_entries[kMaxEntries];
uint32_t g_nentries = 0;
PipeData g_pipes[kMaxPipes];
uint32_t g_npipes = 0;
Watch g_watches[kMaxWatches];
uint32_t g_nwatches = 0;

long sys(long n, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0) {
  return rawSyscall6(n, a, b, c, d, e, 0);
}

int fcntlRaw(int fd, int cmd, long arg = 0) {
  return static_cast<int>(sys(SYS_fcntl, fd, cmd, arg));
}

// The text of /proc/self/fdinfo/<fd> (or of the link /proc/self/fd/<fd>), NUL-terminated.
bool readProc(const char* dir, int fd, char* buf, size_t cap, bool link) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/%s/%d", dir, fd);
  if (link) {
    long n = sys(SYS_readlinkat, AT_FDCWD, reinterpret_cast<long>(path),
                 reinterpret_cast<long>(buf), static_cast<long>(cap - 1));
    if (n < 0)
      return false;
    buf[n] = 0;
    return true;
  }
  long f = sys(SYS_openat, AT_FDCWD, reinterpret_cast<long>(path), O_RDONLY | O_CLOEXEC);
  if (f < 0)
    return false;
  size_t len = 0;
  for (;;) {
    long n = sys(SYS_read, f, reinterpret_cast<long>(buf + len), static_cast<long>(cap - 1 - len));
    if (n <= 0)
      break;
    len += static_cast<size_t>(n);
    if (len == cap - 1)
      break;
  }
  sys(SYS_close, f);
  buf[len] = 0;
  return true;
}

// The value after "<key>" in fdinfo text, in `base`.
bool field(const char* text, const char* key, int base, unsigned long long& out) {
  const char* p = strstr(text, key);
  if (!p)
    return false;
  out = strtoull(p + strlen(key), nullptr, base);
  return true;
}

// Two descriptors of the same open file (one dup'ed from the other). Without kcmp (seccomp,
// CONFIG_KCMP off) every descriptor counts as its own file.
bool sameFile(int a, int b) {
  long pid = sys(SYS_getpid);
  return rawSyscall6(SYS_kcmp, pid, pid, KCMP_FILE, a, b, 0) == 0;
}

void note(int fd, int keep) {
  if (fd == keep || g_nentries == kMaxEntries)
    return;
  char link[256];
  if (!readProc("fd", fd, link, sizeof link, true))
    return;
  Entry e;
  e.fd = fd;
  e.statusFlags = fcntlRaw(fd, F_GETFL);
  int fdFlags = fcntlRaw(fd, F_GETFD);
  if (e.statusFlags < 0 || fdFlags < 0)
    return;
  e.cloexec = (fdFlags & FD_CLOEXEC) != 0;
  static char info[16384];
  if (strncmp(link, "pipe:[", 6) == 0) {
    int mode = e.statusFlags & O_ACCMODE;
    if (mode != O_RDONLY && mode != O_WRONLY)
      return;
    e.kind = mode == O_RDONLY ? Kind::PipeRead : Kind::PipeWrite;
    e.pipeIno = strtoull(link + 6, nullptr, 10);
  } else if (strcmp(link, "anon_inode:[eventfd]") == 0) {
    unsigned long long v = 0;
    if (!readProc("fdinfo", fd, info, sizeof info, false) || !field(info, "eventfd-count:", 16, v))
      return;
    e.kind = Kind::EventFd;
    e.count = v;
    unsigned long long sem = 0;
    e.semaphore = field(info, "eventfd-semaphore:", 10, sem) && sem != 0;
  } else if (strcmp(link, "anon_inode:[eventpoll]") == 0) {
    if (!readProc("fdinfo", fd, info, sizeof info, false))
      return;
    e.kind = Kind::Epoll;
    for (const char* p = strstr(info, "tfd:"); p && g_nwatches < kMaxWatches;
         p = strstr(p + 4, "tfd:")) {
      int tfd = 0;
      unsigned events = 0;
      unsigned long long data = 0;
      if (sscanf(p, "tfd: %d events: %x data: %llx", &tfd, &events, &data) == 3)
        g_watches[g_nwatches++] = Watch{fd, tfd, events, data};
    }
  } else if (strncmp(link, "socket:[", 8) == 0) {
    int domain = 0, type = 0;
    socklen_t len = sizeof domain;
    if (sys(SYS_getsockopt, fd, SOL_SOCKET, SO_DOMAIN, reinterpret_cast<long>(&domain),
            reinterpret_cast<long>(&len)) != 0 ||
        domain != AF_UNIX)
      return;
    len = sizeof type;
    if (sys(SYS_getsockopt, fd, SOL_SOCKET, SO_TYPE, reinterpret_cast<long>(&type),
            reinterpret_cast<long>(&len)) != 0)
      return;
    e.kind = Kind::UnixSocket;
    e.pipeIno = strtoull(link + 8, nullptr, 10);
    e.sockType = type;
  } else if (link[0] == '/') {
    struct stat st{};
    if (sys(SYS_fstat, fd, reinterpret_cast<long>(&st)) != 0 || !S_ISREG(st.st_mode))
      return;
    long long off = sys(SYS_lseek, fd, 0, SEEK_CUR);
    if (off < 0)
      return;
    e.kind = Kind::File;
    e.offset = off;
  } else {
    return; // sockets, timerfds, ttys, devices: as they are
  }
  g_entries[g_nentries++] = e;
}

bool hasEnd(uint64_t ino, Kind end) {
  for (uint32_t i = 0; i < g_nentries; ++i)
    if (g_entries[i].kind == end && g_entries[i].pipeIno == ino)
      return true;
  return false;
}

// The peer of every Unix socket the program holds, from the kernel's socket diagnostics
// (what ss -x shows): a socketpair's two ends are both the program's.
void findPeers() {
  bool any = false;
  for (uint32_t i = 0; i < g_nentries; ++i)
    any |= g_entries[i].kind == Kind::UnixSocket;
  if (!any)
    return;
  long nl = sys(SYS_socket, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (nl < 0)
    return;
  struct {
    nlmsghdr nlh;
    unix_diag_req req;
  } q{};
  q.nlh.nlmsg_len = sizeof q;
  q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  q.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  q.req.sdiag_family = AF_UNIX;
  q.req.udiag_states = ~0u;
  q.req.udiag_show = UDIAG_SHOW_PEER;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (rawSyscall6(SYS_sendto, nl, reinterpret_cast<long>(&q), sizeof q, 0,
                  reinterpret_cast<long>(&kernel), sizeof kernel) < 0) {
    sys(SYS_close, nl);
    return;
  }
  alignas(nlmsghdr) static char buf[32768];
  for (bool done = false; !done;) {
    long n = rawSyscall6(SYS_recvfrom, nl, reinterpret_cast<long>(buf), sizeof buf, 0, 0, 0);
    if (n <= 0)
      break;
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, static_cast<unsigned>(n));
         h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
        done = true;
        break;
      }
      auto* m = static_cast<unix_diag_msg*>(NLMSG_DATA(h));
      int left = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
      for (auto* a = reinterpret_cast<rtattr*>(m + 1); RTA_OK(a, left); a = RTA_NEXT(a, left))
        if (a->rta_type == UNIX_DIAG_PEER)
          for (uint32_t i = 0; i < g_nentries; ++i)
            if (g_entries[i].kind == Kind::UnixSocket && g_entries[i].pipeIno == m->udiag_ino)
              g_entries[i].peerIno = *static_cast<uint32_t*>(RTA_DATA(a));
    }
  }
  sys(SYS_close, nl);
}

bool hasSocket(uint64_t ino) {
  for (uint32_t i = 0; i < g_nentries; ++i)
    if (g_entries[i].kind == Kind::UnixSocket && g_entries[i].pipeIno == ino)
      return true;
  return false;
}

// A pipe with one end in the program is fed or drained from outside, and so is a socket whose
// peer is not the program's: they stay as they are.
void dropOutsidePipes() {
  uint32_t kept = 0;
  for (uint32_t i = 0; i < g_nentries; ++i) {
    const Entry& e = g_entries[i];
    bool pipe = e.kind == Kind::PipeRead || e.kind == Kind::PipeWrite;
    if (pipe && !(hasEnd(e.pipeIno, Kind::PipeRead) && hasEnd(e.pipeIno, Kind::PipeWrite)))
      continue;
    if (e.kind == Kind::UnixSocket && (e.peerIno == 0 || !hasSocket(e.peerIno)))
      continue;
    g_entries[kept++] = e;
  }
  g_nentries = kept;
}

// Marks descriptors that are dups of an earlier one: they get a dup of its replacement.
void findDups() {
  for (uint32_t i = 0; i < g_nentries; ++i) {
    Entry& e = g_entries[i];
    for (uint32_t j = 0; j < i && e.sameAs < 0; ++j) {
      const Entry& f = g_entries[j];
      if (f.kind != e.kind || f.sameAs >= 0)
        continue;
      bool byIno =
          e.kind == Kind::PipeRead || e.kind == Kind::PipeWrite || e.kind == Kind::UnixSocket;
      if (byIno ? f.pipeIno == e.pipeIno : sameFile(f.fd, e.fd))
        e.sameAs = static_cast<int>(j);
    }
  }
}

// The bytes a program's pipe holds at the fork point, taken out once (the server never reads it
// again) and written into each schedule's new pipe.
void drainPipes() {
  for (uint32_t i = 0; i < g_nentries && g_npipes < kMaxPipes; ++i) {
    const Entry& e = g_entries[i];
    if ((e.kind != Kind::PipeRead && e.kind != Kind::UnixSocket) || e.sameAs >= 0)
      continue;
    PipeData& p = g_pipes[g_npipes++];
    p.ino = e.pipeIno;
    long buf = rawSyscall6(SYS_mmap, 0, kPipeBytes, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf < 0 && buf > -4096)
      continue;
    p.bytes = reinterpret_cast<char*>(buf);
    fcntlRaw(e.fd, F_SETFL, e.statusFlags | O_NONBLOCK);
    while (p.len < kPipeBytes && p.nchunks < 64) {
      long n = sys(SYS_read, e.fd, reinterpret_cast<long>(p.bytes + p.len), kPipeBytes - p.len);
      if (n <= 0)
        break;
      p.len += static_cast<uint32_t>(n);
      p.chunkEnd[p.nchunks++] = p.len;
    }
    fcntlRaw(e.fd, F_SETFL, e.statusFlags);
  }
}

const PipeData* pipeData(uint64_t ino) {
  for (uint32_t i = 0; i < g_npipes; ++i)
    if (g_pipes[i].ino == ino)
      return &g_pipes[i];
  return nullptr;
}

// Puts `fresh` where `e` was, with e's flags, and closes `fresh`.
void install(int fresh, const Entry& e) {
  if (fresh < 0)
    return;
  if (fresh != e.fd) {
    sys(SYS_dup3, fresh, e.fd, e.cloexec ? O_CLOEXEC : 0);
    sys(SYS_close, fresh);
  }
  fcntlRaw(e.fd, F_SETFL, e.statusFlags & (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME));
  fcntlRaw(e.fd, F_SETFD, e.cloexec ? FD_CLOEXEC : 0);
}

void restoreFile(const Entry& e) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", e.fd);
  int flags = e.statusFlags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY);
  install(static_cast<int>(sys(SYS_openat, AT_FDCWD, reinterpret_cast<long>(path), flags)), e);
  sys(SYS_lseek, e.fd, e.offset, SEEK_SET);
}

// The pipe of `ino` anew, every descriptor of either end on its end, with the bytes it held.
void restorePipe(uint64_t ino) {
  int fds[2];
  if (sys(SYS_pipe2, reinterpret_cast<long>(fds), O_CLOEXEC) != 0)
    return;
  for (uint32_t i = 0; i < g_nentries; ++i) {
    const Entry& d = g_entries[i];
    if ((d.kind == Kind::PipeRead || d.kind == Kind::PipeWrite) && d.pipeIno == ino)
      install(static_cast<int>(
                  sys(SYS_fcntl, fds[d.kind == Kind::PipeRead ? 0 : 1], F_DUPFD_CLOEXEC, 0)),
              d);
  }
  if (const PipeData* p = pipeData(ino); p && p->len > 0)
    rawWrite(fds[1], p->bytes, p->len);
  sys(SYS_close, fds[0]);
  sys(SYS_close, fds[1]);
}

struct Dirent { // linux_dirent64
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[1];
};

// Both ends of the socketpair anew, with what each end had to read.
void restoreSocketPair(const Entry& e) {
  int fds[2];
  if (sys(SYS_socketpair, AF_UNIX, e.sockType | SOCK_CLOEXEC, 0, reinterpret_cast<long>(fds)) != 0)
    return;
  const uint64_t ends[2] = {e.pipeIno, e.peerIno};
  for (int k = 0; k < 2; ++k)
    for (uint32_t i = 0; i < g_nentries; ++i)
      if (g_entries[i].kind == Kind::UnixSocket && g_entries[i].pipeIno == ends[k])
        install(static_cast<int>(sys(SYS_fcntl, fds[k], F_DUPFD_CLOEXEC, 0)), g_entries[i]);
  for (int k = 0; k < 2; ++k)
    if (const PipeData* p = pipeData(ends[k]))
      for (uint32_t c = 0, start = 0; c < p->nchunks; start = p->chunkEnd[c++])
        sys(SYS_write, fds[1 - k], reinterpret_cast<long>(p->bytes + start),
            p->chunkEnd[c] - start); // what end k reads, its peer writes
  sys(SYS_close, fds[0]);
  sys(SYS_close, fds[1]);
}

} // namespace

void capture(int keep) {
  long dir = sys(SYS_openat, AT_FDCWD, reinterpret_cast<long>("/proc/self/fd"),
                 O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    return;
  int fds[kMaxEntries];
  uint32_t nfds = 0;
  alignas(8) char buf[4096];
  for (;;) {
    long n = sys(SYS_getdents64, dir, reinterpret_cast<long>(buf), sizeof buf);
    if (n <= 0)
      break;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<const Dirent*>(buf + off);
      if (d->name[0] >= '0' && d->name[0] <= '9' && nfds < kMaxEntries) {
        int fd = atoi(d->name);
        if (fd != dir)
          fds[nfds++] = fd;
      }
      off += d->reclen;
    }
  }
  sys(SYS_close, dir);
  for (uint32_t i = 0; i < nfds; ++i)
    note(fds[i], keep);
  findPeers();
  dropOutsidePipes();
  findDups();
  drainPipes();
}

void restore() {
  // Pipes and eventfds first: the epoll instances watch the descriptors they become.
  for (uint32_t i = 0; i < g_nentries; ++i) {
    const Entry& e = g_entries[i];
    if (e.sameAs >= 0) {
      if (e.kind == Kind::File || e.kind == Kind::EventFd) // pipes: done with their pipe
        install(static_cast<int>(sys(SYS_fcntl, g_entries[e.sameAs].fd, F_DUPFD_CLOEXEC, 0)), e);
      continue;
    }
    switch (e.kind) {
    case Kind::File:
      restoreFile(e);
      break;
    case Kind::PipeRead:
      restorePipe(e.pipeIno); // both ends, and their dups
      break;
    case Kind::PipeWrite:
      break;
    case Kind::UnixSocket: // once a pair: by the end with the lower inode
      if (e.pipeIno < e.peerIno)
        restoreSocketPair(e);
      break;
    case Kind::EventFd: {
      int fresh =
          static_cast<int>(sys(SYS_eventfd2, 0, EFD_CLOEXEC | (e.semaphore ? EFD_SEMAPHORE : 0)));
      if (fresh >= 0 && e.count > 0)
        sys(SYS_write, fresh, reinterpret_cast<long>(&e.count), sizeof e.count);
      install(fresh, e);
      break;
    }
    case Kind::Epoll:
      break;
    }
  }
  for (uint32_t i = 0; i < g_nentries; ++i) {
    const Entry& e = g_entries[i];
    if (e.kind != Kind::Epoll)
      continue;
    if (e.sameAs >= 0) {
      install(static_cast<int>(sys(SYS_fcntl, g_entries[e.sameAs].fd, F_DUPFD_CLOEXEC, 0)), e);
      continue;
    }
    install(static_cast<int>(sys(SYS_epoll_create1, EPOLL_CLOEXEC)), e);
    for (uint32_t w = 0; w < g_nwatches; ++w) {
      if (g_watches[w].epfd != e.fd)
        continue;
      epoll_event ev{};
      ev.events = g_watches[w].events;
      ev.data.u64 = g_watches[w].data;
      sys(SYS_epoll_ctl, e.fd, EPOLL_CTL_ADD, g_watches[w].tfd, reinterpret_cast<long>(&ev));
    }
  }
}

} // namespace threadcheck::rt::forkpoint
