// The command line of `threadcheck check` (DESIGN.md section 2), parsed without global state so it
// can be unit-tested and called more than once.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace threadcheck::check {

enum class OutputFormat { Text, Json, Sarif };

// --shard=K/N
struct ShardSpec {
  unsigned index = 0; // 1-based: K
  unsigned count = 0; // N
};

struct CheckOptions {
  std::optional<std::string> buildPath; // -p
  std::optional<std::string> checks;    // --checks
  bool listChecks = false;
  bool help = false;
  OutputFormat format = OutputFormat::Text;
  std::optional<std::string> outputPath; // -o
  unsigned jobs = 0;                     // -j; 0 = one per core
  std::optional<std::string> baselinePath;
  std::optional<std::string> writeBaselinePath;
  std::optional<std::string> sourceRoot;
  std::optional<std::string> exportFixesPath; // --export-fixes
  bool fix = false;                           // --fix
  // Incremental and sharded runs: per-unit fact cache, one slice of the database written as a
  // shard file, and the merge of shard files (`sources` then name the files).
  std::optional<std::string> cacheDir;
  std::optional<ShardSpec> shard;
  bool merge = false;
  std::vector<std::string> sources;
  // Everything after "--"; `hasCompilerArgs` tells "--" with nothing after it from no "--".
  bool hasCompilerArgs = false;
  std::vector<std::string> compilerArgs;
};

struct ParsedOptions {
  std::optional<CheckOptions> options;
  std::string error; // one line, set when options is empty
};

// argv[0] is the subcommand name and is skipped.
ParsedOptions parseCheckOptions(int argc, const char* const* argv);

const char* checkUsage();

} // namespace threadcheck::check
