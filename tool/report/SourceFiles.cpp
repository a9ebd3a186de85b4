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

namespace {

std::vector<unsigned> lineStartsOf(std::string_view text) {
  std::vector<unsigned> starts{0};
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n')
      starts.push_back(static_cast<unsigned>(i + 1));
  return starts;
}

} // namespace

std::optional<unsigned> SourceFiles::offset(const std::string& path, unsigned line,
                                            unsigned column) {
  auto it = lineStarts_.find(path);
  if (it == lineStarts_.end()) {
    std::optional<std::vector<unsigned>> starts;
    if (auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false))
      starts = lineStartsOf((*buf)->getBuffer());
    it = lineStarts_.emplace(path, std::move(starts)).first;
  }
  if (!it->second || line == 0 || line > it->second->size())
    return std::nullopt;
  return (*it->second)[line - 1] + (column ? column - 1 : 0);
}

void SourceFiles::setContents(const std::string& path, std::string_view text) {
  cache_[path] = splitLines(text);
  lineStarts_[path] = lineStartsOf(text);
}

} // namespace threadcheck::report
