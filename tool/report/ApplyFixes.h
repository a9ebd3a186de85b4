// --fix: choosing the fixes that can be applied together, then rewriting each file atomically.
// Like clang-tidy, a fix is applied whole or not at all, and a fix that overlaps one accepted
// before it (in report order) is refused with a message rather than merged.
#pragma once

#include "threadcheck/checkers/Finding.h"

#include <functional>
#include <llvm/Support/Error.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace threadcheck::report {

struct FixRequest {
  const checkers::Fix* fix = nullptr;
  std::string label; // names the finding in another request's refusal: "double-lock at a.cpp:4"
};

struct FixPlan {
  // One per request, in order: empty when the fix is accepted, else why not (one line).
  std::vector<std::string> refusals;
  // The accepted replacements per file, sorted by offset; identical replacements (two findings
  // about one mistake share a fix) appear once.
  std::map<std::string, std::vector<checkers::Replacement>> edits;
};

// `fileSize` gives a file's current size, or nullopt when it cannot be read; a fix reaching past
// the end of its file (the file changed since it was analysed) is refused, and so is a fix in a
// file `readOnly` says is read-only.
FixPlan planFixes(const std::vector<FixRequest>& requests,
                  const std::function<std::optional<size_t>(const std::string&)>& fileSize,
                  const std::function<bool(const std::string&)>& readOnly = {});

// Whether two different replacements cannot both be applied: their ranges overlap, or they start
// at the same offset (the order of the two texts would be a guess).
bool conflicts(const checkers::Replacement& a, const checkers::Replacement& b);

// `contents` with `edits` (sorted, non-conflicting, inside it) applied.
std::string applyReplacements(std::string_view contents,
                              const std::vector<checkers::Replacement>& edits);

// Writes the plan: every file is read and edited in memory first, then each one is replaced
// through a temporary file renamed over it (symbolic links are followed, permissions kept), so a
// file is either fully fixed or untouched. Errors name the file.
llvm::Error applyFixPlan(const FixPlan& plan);

// The size of `path` on disk, for planFixes.
std::optional<size_t> fileSizeOnDisk(const std::string& path);
// Whether the file's mode grants no write permission to anyone (whoever runs the tool).
bool fileIsReadOnly(const std::string& path);

} // namespace threadcheck::report
