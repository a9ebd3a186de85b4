#include "ChildProcess.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace threadcheck::run {

ChildResult runChild(const std::vector<std::string>& argv, uint64_t timeoutMs) {
  ChildResult r;
  int out[2], err[2], exec[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(exec, O_CLOEXEC) != 0) {
    r.error = std::string("cannot create a pipe: ") + strerror(errno);
    return r;
  }
  std::vector<char*> cargv;
  for (const auto& a : argv)
    cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0); // so a timeout also kills whatever the program started
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      dup2(devnull, 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    signal(SIGINT, SIG_DFL);
    execvp(cargv[0], cargv.data());
    int e = errno;
    (void)!write(exec[1], &e, sizeof e); // the parent learns why exec failed
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  close(exec[1]);
  if (pid < 0) {
    r.error = std::string("cannot start '") + argv[0] + "': " + strerror(errno);
    close(out[0]);
    close(err[0]);
    close(exec[0]);
    return r;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  bool outOpen = true, errOpen = true;
  while (outOpen || errOpen) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      r.timedOut = true;
      kill(-pid, SIGKILL);
      break;
    }
    pollfd pfds[2] = {{outOpen ? out[0] : -1, POLLIN, 0}, {errOpen ? err[0] : -1, POLLIN, 0}};
    int pr = poll(pfds, 2, static_cast<int>(left < 100 ? left : 100));
    if (pr < 0 && errno != EINTR)
      break;
    for (int k = 0; k < 2; ++k) {
      if (!(pfds[k].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char buf[65536];
      ssize_t n = read(pfds[k].fd, buf, sizeof buf);
      if (n > 0)
        (k == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      else if (n == 0 || errno != EINTR)
        (k == 0 ? outOpen : errOpen) = false;
    }
  }
  close(out[0]);
  close(err[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  int execErrno = 0;
  if (read(exec[0], &execErrno, sizeof execErrno) == sizeof execErrno)
    r.error = std::string("cannot execute '") + argv[0] + "': " + strerror(execErrno);
  close(exec[0]);
  if (WIFEXITED(status))
    r.exitCode = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    r.signal = WTERMSIG(status);
  return r;
}

std::string describeEnd(const ChildResult& r, uint64_t timeoutMs) {
  if (!r.error.empty())
    return r.error;
  if (r.timedOut) {
    char secs[32];
    snprintf(secs, sizeof secs, "%g", static_cast<double>(timeoutMs) / 1000);
    return std::string("timed out after ") + secs + "s";
  }
  if (r.signal)
    return "killed by signal " + std::to_string(r.signal) + " (" + strsignal(r.signal) + ")";
  return "exit status " + std::to_string(r.exitCode);
}

} // namespace threadcheck::run
