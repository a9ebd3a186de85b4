#include "Symbolizer.h"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

namespace threadcheck::run {
namespace {

std::string findSymbolizer() {
  if (const char* env = getenv("THREADCHECK_SYMBOLIZER"); env && *env)
    return env;
  for (const char* c : {"/usr/bin/llvm-symbolizer-19", "/usr/lib/llvm-19/bin/llvm-symbolizer",
                        "/usr/bin/llvm-symbolizer"})
    if (access(c, X_OK) == 0)
      return c;
  return "";
}

bool isRuntimeFrame(const Frame& f) {
  auto slash = f.module.rfind('/');
  std::string base = slash == std::string::npos ? f.module : f.module.substr(slash + 1);
  // A runtime linked into the program (threadcheck::runtime) is told apart by its sources.
  return base.rfind("libthreadcheck_rt", 0) == 0 ||
         f.function.find("threadcheck::rt::") != std::string::npos ||
         f.file.find("/runtime/src/") != std::string::npos;
}

// Runs the symboliser on `input` (one query per line) and returns its output; empty on failure.
std::string runSymbolizer(const std::string& tool, const std::string& input) {
  std::string result;
  char inPath[] = "/tmp/threadcheck-sym-XXXXXX";
  int in = mkstemp(inPath);
  char outPath[] = "/tmp/threadcheck-sym-out-XXXXXX";
  int out = mkstemp(outPath);
  if (in >= 0 && out >= 0 &&
      write(in, input.data(), input.size()) == static_cast<ssize_t>(input.size())) {
    lseek(in, 0, SEEK_SET);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(in, 0);
      dup2(out, 1);
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 2);
      execl(tool.c_str(), tool.c_str(), "--demangle", static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    if (pid > 0)
      waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      lseek(out, 0, SEEK_SET);
      char buf[4096];
      ssize_t n;
      while ((n = read(out, buf, sizeof buf)) > 0)
        result.append(buf, static_cast<size_t>(n));
    }
  }
  for (int fd : {in, out})
    if (fd >= 0)
      close(fd);
  unlink(inPath);
  unlink(outPath);
  return result;
}

// Names the global variable of each data race: "DATA" queries answer with the symbol, its start
// and size, and (with debug info) where it is declared.
void nameRaceVariables(const std::string& tool, std::vector<Finding*>& findings) {
  for (Finding* f : findings) {
    if (f->raceModule.empty())
      continue;
    char query[64];
    snprintf(query, sizeof query, " 0x%llx\n", static_cast<unsigned long long>(f->raceOffset));
    std::string out = runSymbolizer(tool, "DATA \"" + f->raceModule + "\"" + query);
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < out.size()) {
      size_t nl = out.find('\n', start);
      if (nl == std::string::npos)
        nl = out.size();
      lines.push_back(out.substr(start, nl - start));
      start = nl + 1;
    }
    if (lines.empty() || lines[0].empty() || lines[0] == "??")
      continue;
    f->raceVariable = "global '" + lines[0] + "'";
    if (lines.size() > 2 && !lines[2].empty() && lines[2].compare(0, 2, "??") != 0)
      f->raceVariable += " declared at " + lines[2];
    f->message += " (on " + f->raceVariable + ")";
  }
}

} // namespace

void symbolize(std::vector<Finding*> findings) {
  std::string tool = findSymbolizer();
  std::vector<Frame*> frames;
  for (Finding* f : findings)
    for (auto& t : f->threads) {
      for (auto& fr : t.stack)
        frames.push_back(&fr);
      for (auto& fr : t.created)
        frames.push_back(&fr);
    }
  if (!tool.empty() && !frames.empty()) {
    char inPath[] = "/tmp/threadcheck-sym-XXXXXX";
    int in = mkstemp(inPath);
    char outPath[] = "/tmp/threadcheck-sym-out-XXXXXX";
    int out = mkstemp(outPath);
    if (in >= 0 && out >= 0) {
      std::string input;
      for (Frame* fr : frames) {
        char buf[64];
        snprintf(buf, sizeof buf, " 0x%llx\n", static_cast<unsigned long long>(fr->offset));
        input += "\"" + fr->module + "\"" + buf;
      }
      if (write(in, input.data(), input.size()) == static_cast<ssize_t>(input.size())) {
        lseek(in, 0, SEEK_SET);
        pid_t pid = fork();
        if (pid == 0) {
          dup2(in, 0);
          dup2(out, 1);
          int devnull = open("/dev/null", O_WRONLY);
          dup2(devnull, 2);
          execl(tool.c_str(), tool.c_str(), "--demangle", "--functions=linkage", "--inlines",
                static_cast<char*>(nullptr));
          _exit(127);
        }
        int status = 0;
        if (pid > 0)
          waitpid(pid, &status, 0);
        FILE* f = fopen(outPath, "r");
        if (f && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
          // One block per address, ended by a blank line: a function line and a location line
          // per inlined frame, innermost first. Inlined frames become frames of their own.
          std::vector<std::vector<Frame>> answers(frames.size());
          char line[4096];
          size_t i = 0;
          Frame cur;
          bool haveFunction = false;
          while (fgets(line, sizeof line, f) && i < frames.size()) {
            std::string s(line);
            while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
              s.pop_back();
            if (s.empty()) {
              ++i;
              haveFunction = false;
              continue;
            }
            if (!haveFunction) {
              cur = *frames[i];
              cur.function = s == "??" ? "" : s;
              haveFunction = true;
              continue;
            }
            auto c2 = s.rfind(':');
            auto c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : s.rfind(':', c2 - 1);
            if (c1 != std::string::npos && s.compare(0, 2, "??") != 0) {
              cur.file = s.substr(0, c1);
              cur.line = static_cast<unsigned>(atoi(s.substr(c1 + 1).c_str()));
            }
            answers[i].push_back(cur);
            haveFunction = false;
          }
          auto expand = [&](std::vector<Frame>& stack) {
            std::vector<Frame> expanded;
            for (auto& fr : stack) {
              size_t k = 0;
              while (k < frames.size() && frames[k] != &fr)
                ++k;
              if (k < frames.size() && !answers[k].empty())
                expanded.insert(expanded.end(), answers[k].begin(), answers[k].end());
              else
                expanded.push_back(fr);
            }
            stack = std::move(expanded);
          };
          for (Finding* fd : findings)
            for (auto& t : fd->threads) {
              expand(t.stack);
              expand(t.created);
            }
        }
        if (f)
          fclose(f);
      }
    }
    if (in >= 0)
      close(in);
    if (out >= 0)
      close(out);
    unlink(inPath);
    unlink(outPath);
  }
  if (!tool.empty())
    nameRaceVariables(tool, findings);
  // The runtime's frames are dropped wherever they are: a thread asked for its stack where it
  // waits has them inside (its thread start, the entry function put in front of them).
  for (Finding* f : findings)
    for (auto& t : f->threads) {
      std::erase_if(t.stack, [](const Frame& fr) { return isRuntimeFrame(fr); });
      std::erase_if(t.created, [](const Frame& fr) { return isRuntimeFrame(fr); });
    }
}

} // namespace threadcheck::run
