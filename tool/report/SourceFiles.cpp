#include "report/SourceFiles.h"

#include <llvm/Support/MemoryBuffer.h>

namespace threadcheck::report {

std::vector<std::string> splitLines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (line.ends_with('\r'))
      line.remove_suffix(1);
    lines.emplace_back(line);
    if (nl == std::string_view::npos)
      break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

const std::vector<std::string>* SourceFiles::lines(const std::string& path) {
  auto it = cache_.find(path);
  if (it == cache_.end()) {
    std::optional<std::vector<std::string>> contents;
    if (auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/true))
      contents = splitLines((*buf)->getBuffer());
    it = cache_.emplace(path, std::move(contents)).first;
  }
  return it->second ? &*it->second : nullptr;
}

std::optional<std::string_view> SourceFiles::line(const std::string& path, unsigned line) {
  const std::vector<std::string>* all = lines(path);
  if (!all || line == 0 || line > all->size())
    return std::nullopt;
  return (*all)[line - 1];
}

void SourceFiles::setContents(const std::string& path, std::string_view text) {
  cache_[path] = splitLines(text);
}

} // namespace threadcheck::report
