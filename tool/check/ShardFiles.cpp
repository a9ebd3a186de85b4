#include "check/ShardFiles.h"

#include "report/Paths.h"
#include "threadcheck/checkers/FactsSerialization.h"

#include <algorithm>
#include <charconv>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/xxhash.h>
#include <map>

namespace threadcheck::check {
namespace {

constexpr unsigned kMaxShards = 100000;
constexpr llvm::StringLiteral kShardExtension = ".tcshard";

llvm::Error fail(const llvm::Twine& message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string shardName(uint64_t index, uint64_t count) {
  return std::to_string(index) + "/" + std::to_string(count);
}

// Sort keys for the slice: the path relative to the root (absolute when outside it), then the
// database position for a file listed twice with different commands.
std::vector<std::pair<std::string, size_t>>
sortedUnits(const std::vector<clang::tooling::CompileCommand>& units, const std::string& root) {
  std::vector<std::pair<std::string, size_t>> keys;
  for (size_t i = 0; i < units.size(); ++i)
    keys.emplace_back(report::displayPath(units[i].Filename, root), i);
  std::sort(keys.begin(), keys.end());
  return keys;
}

struct ShardFile {
  std::string path;
  ShardContents contents;
};

llvm::Expected<ShardFile> readShardFile(const std::string& path, const std::string& display,
                                        const std::string& root, const std::string& toolVersion) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(display + ": cannot read: " + buffer.getError().message());
  auto contents = parseShardFile((*buffer)->getBuffer(), display, root, toolVersion);
  if (!contents)
    return contents.takeError();
  return ShardFile{path, std::move(*contents)};
}

// The files named, with every *.tcshard file of a named directory in name order.
llvm::Expected<std::vector<std::string>> expandInputs(const std::vector<std::string>& inputs,
                                                      const std::string& cwd) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::string path = report::normalizePath(input, cwd);
    if (!llvm::sys::fs::exists(path))
      return fail(input + ": no such file or directory");
    if (!llvm::sys::fs::is_directory(path)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec; it.increment(ec))
      if (llvm::StringRef(it->path()).ends_with(kShardExtension))
        found.push_back(it->path());
    if (ec)
      return fail(input + ": cannot list: " + ec.message());
    if (found.empty())
      return fail(input + ": no " + kShardExtension + " files in this directory");
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

} // namespace

std::optional<ShardSpec> parseShardSpec(std::string_view text, std::string& error) {
  auto number = [](std::string_view s, unsigned& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
  };
  size_t slash = text.find('/');
  ShardSpec spec;
  if (slash == std::string_view::npos || !number(text.substr(0, slash), spec.index) ||
      !number(text.substr(slash + 1), spec.count) || spec.index < 1 || spec.count > kMaxShards ||
      spec.index > spec.count) {
    error = "invalid --shard '" + std::string(text) +
            "' (expected K/N with 1 <= K <= N <= " + std::to_string(kMaxShards) + ", e.g. 2/4)";
    return std::nullopt;
  }
  return spec;
}

std::string defaultShardFileName(ShardSpec spec) {
  return "threadcheck-shard-" + std::to_string(spec.index) + "-of-" + std::to_string(spec.count) +
         kShardExtension.str();
}

std::vector<size_t> shardSlice(const std::vector<clang::tooling::CompileCommand>& units,
                               ShardSpec spec, const std::string& root) {
  std::vector<size_t> slice;
  auto keys = sortedUnits(units, root);
  for (size_t i = spec.index - 1; i < keys.size(); i += spec.count)
    slice.push_back(keys[i].second);
  std::sort(slice.begin(), slice.end());
  return slice;
}

std::string databaseIdentity(const std::vector<clang::tooling::CompileCommand>& units,
                             const std::string& root) {
  std::string material;
  for (const auto& [path, index] : sortedUnits(units, root)) {
    material += path;
    material += '\0';
  }
  llvm::XXH128_hash_t h = llvm::xxh3_128bits(llvm::arrayRefFromStringRef(material));
  return llvm::utohexstr(h.high64, true, 16) + llvm::utohexstr(h.low64, true, 16);
}

std::string encodeShard(const ShardContents& shard, const std::string& root,
                        const std::string& toolVersion) {
  checkers::FactsWriter writer(root);
  writer.writeUInt(shard.spec.index);
  writer.writeUInt(shard.spec.count);
  writer.writeUInt(shard.totalUnits);
  writer.writeString(shard.databaseId);
  writer.writeUInt(shard.units.size());
  for (const ShardedUnit& u : shard.units) {
    writer.writeUInt(u.index);
    writer.writePath(u.file);
    writer.writeUInt(u.ok ? 1 : 0);
    writer.writeString(u.failure);
    if (u.ok)
      writer.writeFacts(u.facts);
  }
  return writer.finish(checkers::FactFileKind::Shard, toolVersion);
}

llvm::Expected<ShardContents> parseShardFile(llvm::StringRef bytes, const std::string& display,
                                             const std::string& root,
                                             const std::string& toolVersion) {
  auto reader =
      checkers::FactsReader::open(bytes, checkers::FactFileKind::Shard, toolVersion, root);
  if (!reader)
    return fail(display + ": " + llvm::toString(reader.takeError()));
  ShardContents c;
  uint64_t index = 0, count = 0, units = 0;
  bool ok = reader->readUInt(index) && reader->readUInt(count) && reader->readUInt(c.totalUnits) &&
            reader->readString(c.databaseId) && reader->readUInt(units) && index >= 1 &&
            index <= count && count <= kMaxShards && units <= c.totalUnits;
  c.spec = {static_cast<unsigned>(index), static_cast<unsigned>(count)};
  for (uint64_t i = 0; ok && i < units; ++i) {
    ShardedUnit& u = c.units.emplace_back();
    uint64_t parsed = 0;
    ok = reader->readUInt(u.index) && reader->readPath(u.file) && reader->readUInt(parsed) &&
         reader->readString(u.failure) && parsed <= 1 && u.index < c.totalUnits;
    u.ok = parsed == 1;
    if (ok && u.ok)
      ok = reader->readFacts(u.facts);
  }
  if (!ok || !reader->finishedCleanly())
    return fail(display + ": damaged shard file (its contents do not match its header)");
  return c;
}

llvm::Expected<std::vector<ShardedUnit>> readShardSet(const std::vector<std::string>& inputs,
                                                      const std::string& cwd,
                                                      const std::string& root,
                                                      const std::string& toolVersion) {
  if (inputs.empty())
    return fail("--merge: no shard files given");
  auto files = expandInputs(inputs, cwd);
  if (!files)
    return files.takeError();

  std::vector<ShardFile> shards;
  std::map<unsigned, std::string> byIndex; // K -> the file that is shard K
  for (const std::string& path : *files) {
    std::string display = report::displayPath(path, cwd);
    auto shard = readShardFile(path, display, root, toolVersion);
    if (!shard)
      return shard.takeError();
    const ShardContents& c = shard->contents;
    if (!shards.empty()) {
      const ShardContents& first = shards.front().contents;
      std::string firstName = report::displayPath(shards.front().path, cwd);
      if (c.spec.count != first.spec.count)
        return fail(display + ": shard " + shardName(c.spec.index, c.spec.count) +
                    " does not belong with " + firstName + " (shard " +
                    shardName(first.spec.index, first.spec.count) + ")");
      if (c.totalUnits != first.totalUnits || c.databaseId != first.databaseId)
        return fail(display + ": made from a different list of translation units than " +
                    firstName + "; run every shard on the same compilation database");
    }
    auto [it, inserted] = byIndex.try_emplace(c.spec.index, display);
    if (!inserted)
      return fail(display + " and " + it->second + " are both shard " +
                  shardName(c.spec.index, c.spec.count));
    shards.push_back(std::move(*shard));
  }

  unsigned count = shards.front().contents.spec.count;
  std::vector<std::string> missing;
  for (unsigned k = 1; k <= count; ++k)
    if (!byIndex.count(k))
      missing.push_back(shardName(k, count));
  if (!missing.empty())
    return fail("--merge: incomplete shard set: missing shard" +
                llvm::Twine(missing.size() == 1 ? " " : "s ") + llvm::join(missing, ", ") +
                " (given " + std::to_string(byIndex.size()) + " of " + std::to_string(count) + ")");

  std::vector<ShardedUnit> units;
  for (ShardFile& s : shards)
    for (ShardedUnit& u : s.contents.units)
      units.push_back(std::move(u));
  std::sort(units.begin(), units.end(),
            [](const ShardedUnit& a, const ShardedUnit& b) { return a.index < b.index; });
  uint64_t total = shards.front().contents.totalUnits;
  for (uint64_t i = 0; i < units.size(); ++i)
    if (units[i].index != i)
      return fail("--merge: the shards do not cover translation unit " + std::to_string(i) +
                  " of " + std::to_string(total) + " exactly once");
  if (units.size() != total)
    return fail("--merge: the shards hold " + std::to_string(units.size()) + " of " +
                std::to_string(total) + " translation units");
  return units;
}

} // namespace threadcheck::check
