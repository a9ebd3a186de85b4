// An output file that appears complete or not at all: content goes to a temporary file in the
// destination's directory, renamed over the destination on commit. create() makes the temporary
// up front (ApplyFixes needs every file's before replacing any); reserve() only validates the
// destination (not a directory, its directory exists and is writable) and makes the temporary at
// commit(), so a run that is killed (SIGKILL) or crashes during a long analysis leaves no 0-byte
// temporary next to the destination.
#pragma once

#include <llvm/Support/Error.h>
#include <llvm/Support/FileSystem.h>
#include <optional>
#include <string>
#include <string_view>

namespace threadcheck::report {

class AtomicOutputFile {
public:
  // Errors name `path`.
  static llvm::Expected<AtomicOutputFile> create(const std::string& path);
  static llvm::Expected<AtomicOutputFile> reserve(const std::string& path);

  AtomicOutputFile(AtomicOutputFile&&) = default;
  AtomicOutputFile& operator=(AtomicOutputFile&&) = default;
  // Removes the temporary file unless commit() succeeded.
  ~AtomicOutputFile();

  // `permissions`, when given, are set before the rename (a rewritten source file keeps its own).
  llvm::Error commit(std::string_view contents,
                     std::optional<llvm::sys::fs::perms> permissions = std::nullopt);
  const std::string& path() const { return path_; }

private:
  explicit AtomicOutputFile(std::string path) : path_(std::move(path)) {}
  AtomicOutputFile(std::string path, llvm::sys::fs::TempFile temp)
      : path_(std::move(path)), temp_(std::move(temp)) {}

  std::string path_;
  bool committed_ = false;
  std::optional<llvm::sys::fs::TempFile> temp_;
};

} // namespace threadcheck::report
