// Files the program opened before the fork point (its first thread), which every schedule's
// process inherits from the fork server. An inherited descriptor shares its open file
// description, and a pipe end also stays open in the server: without care the first schedule
// moves a file's offset for all later ones (they read nothing), leftover bytes in a pipe leak into
// the next schedule, and closing a pipe's write end never gives its reader EOF. So the server
// notes that state once and each schedule starts with its own copy:
//  - regular files are reopened (a new description) at the offset they had at the fork point;
//  - pipes whose two ends the program holds are recreated, with the bytes they held;
//  - eventfds are recreated with their counter, epoll instances with their interest lists (after
//    the descriptors they watch were recreated).
// Sockets, pipes with only one end in the program (fed from outside, stdin from a shell pipe),
// timerfds and other descriptors are left as they are.
#pragma once

namespace threadcheck::rt::forkpoint {

// In the fork server, once, before the first schedule; `keep` is a descriptor of the runtime's
// own that is left alone.
void capture(int keep);
// In each schedule's process, before the schedule starts.
void restore();

} // namespace threadcheck::rt::forkpoint
