// Fact files: TranslationUnitFacts in a compact, versioned binary form, for the per-unit cache
// (--cache-dir) and for shard files (--shard / --merge).
//
// A file is an envelope around a payload:
//   magic "TCFACTS\0", u32 format version, tool version string   (stable in every format)
//   u8 kind, u64 schema hash, u64 payload size, u64 payload checksum (xxh3)
//   payload: string table, file table, then the values the writer put, in order
// Strings are written once and referred to by index; integers are LEB128 varints. The schema hash
// is computed from the field lists (engine/FactsSerialization.h), so a build whose structs differ
// never misreads another build's files, even at the same version number.
//
// The caller decides what a file holds around the facts (a cache entry's dependencies, a shard's
// unit list) with the writeX/readX primitives, and reads values back in the order it wrote them.
#pragma once

#include "threadcheck/checkers/Facts.h"

#include <cstdint>
#include <llvm/Support/Error.h>
#include <memory>
#include <string>
#include <string_view>

namespace threadcheck::checkers {

// Bumped when the encoding changes in a way the schema hash cannot see (a value's meaning, the
// order of two fields of one type, the envelope).
inline constexpr uint32_t kFactsFormatVersion = 1;

enum class FactFileKind : uint8_t { CacheEntry = 1, Shard = 2 };

// Hash of the layout of every serialised struct and of kFactsFormatVersion.
uint64_t factsSchemaHash();

class FactsWriter {
public:
  // Paths under `pathRoot` (absolute, normalised; empty for none) are stored relative to it, so a
  // file written in one checkout can be read in another one at a different place.
  explicit FactsWriter(std::string pathRoot = {});
  ~FactsWriter();
  FactsWriter(FactsWriter&&) noexcept;
  FactsWriter& operator=(FactsWriter&&) noexcept;

  void writeUInt(uint64_t value);
  void writeString(std::string_view value);
  void writePath(std::string_view path);
  void writeFacts(const TranslationUnitFacts& facts);

  // The whole file. The writer is spent afterwards.
  std::string finish(FactFileKind kind, std::string_view toolVersion);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class FactsReader {
public:
  // Checks the envelope: magic, format, tool version, kind, schema, size and checksum. The error
  // is one phrase for "<file>: ..." ("written by threadcheck 0.1.0, this is 0.2.0", "truncated").
  // `bytes` must outlive the reader. Relative paths are resolved against `pathRoot`.
  static llvm::Expected<FactsReader> open(std::string_view bytes, FactFileKind kind,
                                          std::string_view toolVersion, std::string pathRoot = {});

  ~FactsReader();
  FactsReader(FactsReader&&) noexcept;
  FactsReader& operator=(FactsReader&&) noexcept;

  // Each returns false, and every later call too, once the payload does not hold what is asked:
  // a damaged file is never half-trusted.
  bool readUInt(uint64_t& value);
  bool readString(std::string& value);
  bool readPath(std::string& path);
  bool readFacts(TranslationUnitFacts& facts);
  // True when everything was read without error and nothing is left over.
  bool finishedCleanly() const;

private:
  struct Impl;
  explicit FactsReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace threadcheck::checkers
