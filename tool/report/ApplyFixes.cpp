#include "report/ApplyFixes.h"

#include "report/AtomicOutputFile.h"

#include <algorithm>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>

namespace threadcheck::report {

bool conflicts(const checkers::Replacement& a, const checkers::Replacement& b) {
  if (a.file != b.file || a == b)
    return false;
  if (a.offset == b.offset)
    return true;
  size_t aEnd = size_t(a.offset) + a.length, bEnd = size_t(b.offset) + b.length;
  if (a.length == 0)
    return a.offset > b.offset && a.offset < bEnd;
  if (b.length == 0)
    return b.offset > a.offset && b.offset < aEnd;
  return a.offset < bEnd && b.offset < aEnd;
}

FixPlan planFixes(const std::vector<FixRequest>& requests,
                  const std::function<std::optional<size_t>(const std::string&)>& fileSize,
                  const std::function<bool(const std::string&)>& readOnly) {
  FixPlan plan;
  struct Accepted {
    checkers::Replacement replacement;
    size_t request;
  };
  std::vector<Accepted> accepted;
  std::map<std::string, std::optional<size_t>> sizes;
  for (size_t i = 0; i < requests.size(); ++i) {
    const checkers::Fix& fix = *requests[i].fix;
    std::string refusal;
    for (size_t a = 0; a < fix.replacements.size() && refusal.empty(); ++a) {
      const checkers::Replacement& r = fix.replacements[a];
      auto [it, inserted] = sizes.try_emplace(r.file);
      if (inserted)
        it->second = fileSize(r.file);
      if (!it->second)
        refusal = r.file + " cannot be read";
      else if (size_t(r.offset) + r.length > *it->second)
        refusal = r.file + " has changed since it was analysed";
      else if (readOnly && readOnly(r.file))
        refusal =
            r.file + " is read-only (its mode grants no write permission): it is left as it is";
      for (size_t b = 0; b < a && refusal.empty(); ++b)
        if (conflicts(r, fix.replacements[b]))
          refusal = "its own replacements overlap";
      for (const Accepted& prior : accepted)
        if (refusal.empty() && conflicts(r, prior.replacement))
          refusal =
              "it overlaps the fix for " + requests[prior.request].label + ", which was applied";
    }
    plan.refusals.push_back(refusal);
    if (!refusal.empty())
      continue;
    for (const checkers::Replacement& r : fix.replacements)
      accepted.push_back({r, i});
  }
  for (const Accepted& a : accepted)
    plan.edits[a.replacement.file].push_back(a.replacement);
  for (auto& [file, edits] : plan.edits) {
    std::sort(edits.begin(), edits.end());
    edits.erase(std::unique(edits.begin(), edits.end()), edits.end());
  }
  return plan;
}

std::string applyReplacements(std::string_view contents,
                              const std::vector<checkers::Replacement>& edits) {
  std::string out;
  out.reserve(contents.size());
  size_t at = 0;
  for (const checkers::Replacement& r : edits) {
    out.append(contents.substr(at, r.offset - at));
    out.append(r.text);
    at = size_t(r.offset) + r.length;
  }
  out.append(contents.substr(at));
  return out;
}

bool fileIsReadOnly(const std::string& path) {
  // The mode, not access(2): as root every file passes the access check, and a file made
  // read-only (generated code, a vendored copy, a checkout of another tool) says it is not to
  // be edited whoever runs the tool.
  llvm::sys::fs::file_status status;
  return !llvm::sys::fs::status(path, status) &&
         (status.permissions() & llvm::sys::fs::all_write) == 0;
}

std::optional<size_t> fileSizeOnDisk(const std::string& path) {
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(path, status) || !llvm::sys::fs::is_regular_file(status))
    return std::nullopt;
  return static_cast<size_t>(status.getSize());
}

llvm::Error applyFixPlan(const FixPlan& plan) {
  struct Pending {
    std::string target; // the file itself, symbolic links resolved
    std::string contents;
    llvm::sys::fs::perms permissions;
  };
  auto error = [](const std::string& file, const llvm::Twine& why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "--fix: " + file + ": " + why);
  };
  std::vector<Pending> pending;
  for (const auto& [file, edits] : plan.edits) {
    llvm::SmallString<256> real;
    if (std::error_code ec = llvm::sys::fs::real_path(file, real))
      return error(file, "cannot resolve: " + ec.message());
    llvm::sys::fs::file_status status;
    if (std::error_code ec = llvm::sys::fs::status(real, status))
      return error(file, "cannot stat: " + ec.message());
    auto buffer = llvm::MemoryBuffer::getFile(real, /*IsText=*/false);
    if (!buffer)
      return error(file, "cannot read: " + buffer.getError().message());
    llvm::StringRef text = (*buffer)->getBuffer();
    if (!edits.empty() && size_t(edits.back().offset) + edits.back().length > text.size())
      return error(file, "has changed since it was analysed");
    pending.push_back({std::string(real), applyReplacements(text, edits), status.permissions()});
  }
  // Create every temporary file before replacing any, so an unwritable directory is found
  // before the first file changes.
  std::vector<AtomicOutputFile> outputs;
  for (const Pending& p : pending) {
    auto out = AtomicOutputFile::create(p.target);
    if (!out)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "--fix: " + llvm::toString(out.takeError()));
    outputs.push_back(std::move(*out));
  }
  for (size_t i = 0; i < pending.size(); ++i)
    if (llvm::Error e = outputs[i].commit(pending[i].contents, pending[i].permissions))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "--fix: " + llvm::toString(std::move(e)));
  return llvm::Error::success();
}

} // namespace threadcheck::report
