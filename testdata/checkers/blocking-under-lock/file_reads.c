// blocking-under-lock and read() on descriptors of files opened by path: a regular file returns
// what it has at once, as fread() on a FILE does, so reading one under a lock waits for nobody.
// A descriptor that may also be a socket, a pipe or standard input is still reported.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static pthread_mutex_t config_mutex = PTHREAD_MUTEX_INITIALIZER;
static char config[256];

// case: support
// libuv's uv__open_cloexec: the returned variable only ever holds open()'s result.
static int open_cloexec(const char* path, int flags) {
  int fd = open(path, flags | O_CLOEXEC);
  if (fd == -1)
    return -errno;
  return fd;
}

// case: good
// libuv's uv__slurp, called under a lock: the file's bytes are there to read.
int slurp_locked(const char* path) {
  pthread_mutex_lock(&config_mutex);
  int fd = open_cloexec(path, O_RDONLY);
  if (fd < 0) {
    pthread_mutex_unlock(&config_mutex);
    return fd;
  }
  ssize_t n;
  do
    n = read(fd, config, sizeof config - 1);
  while (n == -1 && errno == EINTR);
  close(fd);
  pthread_mutex_unlock(&config_mutex);
  return n < 0 ? -1 : 0;
}

// case: good
int reload_direct(const char* path) {
  pthread_mutex_lock(&config_mutex);
  int fd = open(path, O_RDONLY);
  ssize_t n = fd < 0 ? -1 : pread(fd, config, sizeof config, 0);
  if (fd >= 0)
    close(fd);
  pthread_mutex_unlock(&config_mutex);
  return n < 0 ? -1 : 0;
}

// case: bad
// The same variable may hold standard input: a person may never type.
int reload_or_stdin(const char* path) {
  int fd = path ? open(path, O_RDONLY) : STDIN_FILENO;
  pthread_mutex_lock(&config_mutex);
  ssize_t n = read(fd, config, sizeof config); // expect: blocking-under-lock
  pthread_mutex_unlock(&config_mutex);
  return n < 0 ? -1 : 0;
}

// case: support
static int listen_fd;

// case: bad
// A descriptor from accept() waits for the peer.
int read_client(void) {
  int fd = accept(listen_fd, NULL, NULL);
  if (fd < 0)
    return -1;
  pthread_mutex_lock(&config_mutex);
  ssize_t n = read(fd, config, sizeof config); // expect: blocking-under-lock
  pthread_mutex_unlock(&config_mutex);
  close(fd);
  return n < 0 ? -1 : 0;
}

// case: support
// Returns a descriptor that is a file or a socket, depending on the argument.
static int open_source(const char* path) {
  if (path)
    return open(path, O_RDONLY);
  return accept(listen_fd, NULL, NULL);
}

// case: bad
int read_source(const char* path) {
  int fd = open_source(path);
  pthread_mutex_lock(&config_mutex);
  ssize_t n = read(fd, config, sizeof config); // expect: blocking-under-lock
  pthread_mutex_unlock(&config_mutex);
  close(fd);
  return n < 0 ? -1 : 0;
}

// case: support
static int open_config(void) {
  return open("/etc/example.conf", O_RDONLY | O_CLOEXEC);
}

// case: good
int reload_default(void) {
  pthread_mutex_lock(&config_mutex);
  int fd = open_config();
  ssize_t n = fd < 0 ? -1 : read(fd, config, sizeof config);
  if (fd >= 0)
    close(fd);
  pthread_mutex_unlock(&config_mutex);
  return n < 0 ? -1 : 0;
}
