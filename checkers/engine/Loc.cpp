#include "engine/Model.h"

#include <deque>
#include <mutex>
#include <unordered_map>

namespace threadcheck::checkers::model {
namespace {

struct FileTable {
  std::mutex mu;
  std::deque<std::string> paths{""}; // deque: references stay valid while it grows
  std::unordered_map<std::string, uint32_t> index;
};

FileTable& table() {
  static FileTable t;
  return t;
}

} // namespace

uint32_t internFile(const std::string& path) {
  FileTable& t = table();
  std::lock_guard<std::mutex> g(t.mu);
  auto [it, inserted] = t.index.try_emplace(path, static_cast<uint32_t>(t.paths.size()));
  if (inserted)
    t.paths.push_back(path);
  return it->second;
}

Location toLocation(const Loc& loc) {
  FileTable& t = table();
  std::lock_guard<std::mutex> g(t.mu);
  Location out;
  if (loc.file < t.paths.size())
    out.file = t.paths[loc.file];
  out.line = loc.line;
  out.column = loc.col;
  return out;
}

} // namespace threadcheck::checkers::model
