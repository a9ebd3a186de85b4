// The per-translation-unit fact cache of --cache-dir. An entry is named by a hash of everything
// that decides how the unit parses apart from file contents (the adjusted command line, its
// directory, the include-path environment, the threadcheck build), and holds the facts together
// with the path and content hash of every file the parse read. It is used only when each of those
// files still has the recorded contents, so a warm run re-parses exactly the units an edit
// touched. Entries are written atomically (temporary file + rename), so concurrent runs sharing a
// directory see whole entries or none; an entry that is damaged, truncated, from another
// threadcheck or for another command is ignored and rewritten, never trusted.
#pragma once

#include "threadcheck/checkers/Facts.h"

#include <atomic>
#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/xxhash.h>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace threadcheck::check {

using ContentHash = llvm::XXH128_hash_t;

// A file a parse read, and what it contained then.
struct Dependency {
  std::string path; // absolute
  ContentHash hash;
};

ContentHash hashContents(llvm::StringRef contents);

enum class CacheEntryState { Usable, Stale, Damaged };

// Decodes the bytes of the cache entry for `key` into `facts`. Stale when `unchanged` says a
// file the entry depends on no longer has the contents recorded for it; Damaged when the bytes are
// not a whole entry for `key` from this threadcheck.
CacheEntryState decodeCacheEntry(
    llvm::StringRef bytes, const std::string& key, const std::string& toolVersion,
    llvm::function_ref<bool(const std::string& path, const ContentHash& recorded)> unchanged,
    checkers::TranslationUnitFacts& facts);

class FactsCache {
public:
  // Creates `dir` if needed and proves it writable; the error names it.
  static llvm::Expected<std::unique_ptr<FactsCache>> open(const std::string& dir,
                                                          std::string toolVersion);

  // The entry name for a unit parsed with `adjustedCommandLine` (after threadcheck's own
  // adjustments) in `command.Directory`.
  std::string keyFor(const clang::tooling::CompileCommand& command,
                     const std::vector<std::string>& adjustedCommandLine) const;

  // The cached facts, when the entry is whole and every file it depends on is unchanged.
  std::optional<checkers::TranslationUnitFacts> load(const std::string& key);

  // Records the facts of a unit that parsed cleanly. A failure to write is reported once on stderr
  // and otherwise ignored: the cache only ever saves time.
  void store(const std::string& key, const checkers::TranslationUnitFacts& facts,
             const std::vector<Dependency>& dependencies);

  // Entries that existed but could not be used as they were (damaged, foreign): rebuilt.
  unsigned damagedEntries() const { return damaged_; }

private:
  FactsCache(std::string dir, std::string toolVersion);
  std::string entryPath(const std::string& key) const;
  // The current contents hash of a file, read once per run; nullopt when it cannot be read.
  std::optional<ContentHash> currentHash(const std::string& path);

  std::string dir_;
  std::string toolVersion_;
  std::string toolIdentity_; // version, fact schema and the executable's build id
  std::mutex mutex_;
  std::unordered_map<std::string, std::optional<ContentHash>> hashes_;
  std::atomic<unsigned> damaged_{0};
  std::atomic<bool> warnedAboutWrite_{false};
};

} // namespace threadcheck::check
