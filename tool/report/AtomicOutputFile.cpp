#include "report/AtomicOutputFile.h"

#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

namespace threadcheck::report {
namespace {

llvm::Error cannotWrite(const std::string& path, const llvm::Twine& why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), path + ": cannot write: " + why);
}

llvm::Error validate(const std::string& path) {
  if (path.empty())
    return cannotWrite(path, "empty file name");
  if (llvm::sys::fs::is_directory(path))
    return cannotWrite(path, "is a directory");
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  if (!dir.empty() && llvm::sys::fs::exists(dir) && !llvm::sys::fs::is_directory(dir))
    return cannotWrite(path, "'" + dir + "' is not a directory");
  if (!dir.empty() && !llvm::sys::fs::is_directory(dir))
    return cannotWrite(path, "directory '" + dir + "' does not exist");
  if (llvm::sys::fs::access(dir.empty() ? "." : dir, llvm::sys::fs::AccessMode::Write))
    return cannotWrite(path, "directory '" + (dir.empty() ? llvm::StringRef(".") : dir) +
                                 "' is not writable");
  return llvm::Error::success();
}

llvm::Expected<llvm::sys::fs::TempFile> makeTemp(const std::string& path) {
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%%%");
  if (!temp)
    return cannotWrite(path, llvm::toString(temp.takeError()));
  return temp;
}

} // namespace

llvm::Expected<AtomicOutputFile> AtomicOutputFile::create(const std::string& path) {
  if (llvm::Error e = validate(path))
    return std::move(e);
  llvm::Expected<llvm::sys::fs::TempFile> temp = makeTemp(path);
  if (!temp)
    return temp.takeError();
  return AtomicOutputFile(path, std::move(*temp));
}

llvm::Expected<AtomicOutputFile> AtomicOutputFile::reserve(const std::string& path) {
  if (llvm::Error e = validate(path))
    return std::move(e);
  return AtomicOutputFile(path);
}

AtomicOutputFile::~AtomicOutputFile() {
  if (temp_)
    llvm::consumeError(temp_->discard());
}

llvm::Error AtomicOutputFile::commit(std::string_view contents,
                                     std::optional<llvm::sys::fs::perms> permissions) {
  if (committed_)
    return cannotWrite(path_, "already committed");
  committed_ = true;
  if (!temp_) {
    llvm::Expected<llvm::sys::fs::TempFile> temp = makeTemp(path_);
    if (!temp)
      return temp.takeError();
    temp_.emplace(std::move(*temp));
  }
  {
    llvm::raw_fd_ostream os(temp_->FD, /*shouldClose=*/false);
    os << contents;
    os.flush();
    if (os.has_error()) {
      std::string why = os.error().message();
      os.clear_error();
      return cannotWrite(path_, why);
    }
  }
  if (permissions)
    if (std::error_code ec = llvm::sys::fs::setPermissions(temp_->FD, *permissions))
      return cannotWrite(path_, ec.message());
  llvm::Error kept = temp_->keep(path_);
  if (kept) {
    // keep() leaves the temporary in place on failure; discard it so nothing partial remains.
    llvm::consumeError(temp_->discard());
    temp_.reset();
    return cannotWrite(path_, llvm::toString(std::move(kept)));
  }
  temp_.reset();
  return llvm::Error::success();
}

} // namespace threadcheck::report
