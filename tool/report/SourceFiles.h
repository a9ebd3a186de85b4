// Source text read back from disk after analysis, for NOLINT comments, the source line under a
// text diagnostic and fingerprints. Each file is read once; not thread-safe (used after the
// parallel part is over).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace threadcheck::report {

class SourceFiles {
public:
  // The lines of `path` without their line terminators, or nullptr when it cannot be read.
  const std::vector<std::string>* lines(const std::string& path);

  // Line `line` (1-based) of `path`, or nullopt when the file or the line does not exist.
  std::optional<std::string_view> line(const std::string& path, unsigned line);

  // The byte offset of byte column `column` (1-based, as Clang counts) of line `line`, or nullopt
  // when the file cannot be read or has no such line.
  std::optional<unsigned> offset(const std::string& path, unsigned line, unsigned column);

  // Lets tests and in-memory callers provide a file's text without touching the disk.
  void setContents(const std::string& path, std::string_view text);

private:
  std::map<std::string, std::optional<std::vector<std::string>>> cache_;
  // Where each line starts, terminators counted (lines above hold them stripped).
  std::map<std::string, std::optional<std::vector<unsigned>>> lineStarts_;
};

std::vector<std::string> splitLines(std::string_view text);

} // namespace threadcheck::report
