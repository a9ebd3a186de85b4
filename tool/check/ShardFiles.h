// --shard=K/N and --merge: a deterministic slice of the database per shard, the shard file that
// carries its units' facts (and parse failures) to the merge, and the merge's checks that the
// files it is given are one complete set from this threadcheck.
#pragma once

#include "check/CheckOptions.h"
#include "threadcheck/checkers/Facts.h"

#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/Support/Error.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace threadcheck::check {

// "K/N" with 1 <= K <= N; the error is one phrase naming the text.
std::optional<ShardSpec> parseShardSpec(std::string_view text, std::string& error);

// "threadcheck-shard-K-of-N.tcshard": where a shard's facts go without -o.
std::string defaultShardFileName(ShardSpec spec);

// The positions in `units` that shard K/N analyses: round-robin over the units sorted by path
// relative to `root`, so that machines with the checkout at different places agree on the split.
std::vector<size_t> shardSlice(const std::vector<clang::tooling::CompileCommand>& units,
                               ShardSpec spec, const std::string& root);

// Names the list of units (relative to `root`): shards of different lists cannot be merged.
std::string databaseIdentity(const std::vector<clang::tooling::CompileCommand>& units,
                             const std::string& root);

struct ShardedUnit {
  uint64_t index = 0; // position in the database's list of units
  std::string file;   // absolute
  bool ok = false;
  std::string failure; // why it did not parse, when !ok
  checkers::TranslationUnitFacts facts;
};

struct ShardContents {
  ShardSpec spec;
  uint64_t totalUnits = 0;
  std::string databaseId;
  std::vector<ShardedUnit> units;
};

// Paths under `root` are stored relative to it and resolved against the merge's root.
std::string encodeShard(const ShardContents& shard, const std::string& root,
                        const std::string& toolVersion);

// Decodes the bytes of one shard file (`display` names it in errors) and checks them against its
// own header; whether it belongs with other shards is readShardSet's business.
llvm::Expected<ShardContents> parseShardFile(llvm::StringRef bytes, const std::string& display,
                                             const std::string& root,
                                             const std::string& toolVersion);

// Reads shard files (a directory stands for every *.tcshard file in it), checks that they are
// one complete set from this threadcheck, and returns all their units in database order.
// Errors are one line naming the file, or the missing shards.
llvm::Expected<std::vector<ShardedUnit>> readShardSet(const std::vector<std::string>& inputs,
                                                      const std::string& cwd,
                                                      const std::string& root,
                                                      const std::string& toolVersion);

} // namespace threadcheck::check
