#include "Exploration.h"

#include "ScheduleFile.h"
#include "Symbolizer.h"

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

namespace threadcheck::run {
namespace {

class Progress {
public:
  Progress() : enabled_(isatty(2)) {}
  ~Progress() {
    if (shown_)
      fputs("\r\033[K", stderr);
  }
  void update(uint64_t n, size_t findings, double elapsed) {
    if (!enabled_ || elapsed - last_ < 0.1)
      return;
    last_ = elapsed;
    fprintf(stderr, "\r[threadcheck] %llu schedules, %.0f/s, %.1fs, %zu finding%s   ",
            static_cast<unsigned long long>(n), elapsed > 0 ? static_cast<double>(n) / elapsed : 0,
            elapsed, findings, findings == 1 ? "" : "s");
    shown_ = true;
  }

private:
  bool enabled_;
  bool shown_ = false;
  double last_ = -1;
};

// 8 hex digits of FNV-1a over the program's path and arguments: runs of two programs with one
// name, or of one program with other arguments, keep apart in one output directory.
std::string argvHash(const std::vector<std::string>& argv) {
  uint32_t h = 2166136261u;
  for (const auto& a : argv) {
    for (unsigned char c : a)
      h = (h ^ c) * 16777619u;
    h = (h ^ 0u) * 16777619u; // the separator: ("ab","c") is not ("a","bc")
  }
  char buf[9];
  snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

// Names stay far below NAME_MAX (255) whatever the program or test is called; the hash keeps
// shortened names apart.
constexpr size_t kMaxBaseLength = 80;

} // namespace

Exploration exploreAndSave(const ExploreOptions& o, const std::string& outputDir,
                           const std::string& fileBase) {
  Exploration e;
  {
    Progress progress;
    ExploreCallbacks cb;
    cb.onProgress = [&](uint64_t n, size_t f, double t) { progress.update(n, f, t); };
    cb.onFinding = [&](Finding& f) {
      // Saved before anything is printed: an interrupted run never loses a found bug.
      Schedule s;
      s.argv = o.argv;
      s.strategy = o.strategy;
      s.seed = o.seed;
      s.scheduleIndex = f.index;
      s.scheduleSeed = f.seed;
      s.maxSteps = o.maxSteps;
      s.livelockSteps = o.livelockSteps;
      s.timeSliceUs = o.timeSliceUs;
      s.decisions = f.decisions;
      s.steps = f.steps;
      s.traceHash = f.traceHash;
      s.kind = f.kind;
      s.message = f.message;
      s.accessPoints = f.accessPoints;
      s.racyPcs = f.racyPcs;
      std::string path = outputDir + "/" + fileBase.substr(0, kMaxBaseLength) + "-" +
                         argvHash(o.argv) + "-" + f.kind + "-seed" + std::to_string(o.seed) + "-" +
                         std::to_string(f.index) + ".json";
      std::string err = writeSchedule(path, s, f);
      if (err.empty())
        f.scheduleFile = path;
      else
        e.saveError = err;
    };
    e.result = explore(o, cb);
  }
  std::vector<Finding*> all;
  for (auto& f : e.result.findings)
    all.push_back(&f);
  symbolize(all);
  return e;
}

bool makeDirectories(const std::string& dir) {
  std::string cur;
  size_t start = 0;
  while (start <= dir.size()) {
    size_t slash = dir.find('/', start);
    if (slash == std::string::npos)
      slash = dir.size();
    cur = dir.substr(0, slash);
    if (!cur.empty() && mkdir(cur.c_str(), 0777) != 0 && errno != EEXIST)
      return false;
    start = slash + 1;
  }
  struct stat st{};
  return stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string fileNamePart(const std::string& s) {
  std::string out;
  for (char c : s)
    out += isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
  return out;
}

} // namespace threadcheck::run
