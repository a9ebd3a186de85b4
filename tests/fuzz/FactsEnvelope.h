// Fact files (cache entries, shard files) carry the build's schema hash and a checksum of their
// payload, so almost every mutation of a whole file is refused by the envelope check before one
// payload byte is decoded. The cache and shard targets therefore try each input twice: as it is
// (the envelope checks), and with its envelope made valid for this build around the payload it
// holds (the decoder). The layout is the one FactsSerialization.h documents; checkEnvelopeLayout
// proves before the first input that rewrapping a file FactsWriter wrote gives the same bytes, so a
// change of the layout fails the test instead of quietly starving the decoder.
#pragma once

#include "threadcheck/checkers/FactsSerialization.h"

#include <cstdio>
#include <cstdlib>
#include <llvm/Support/xxhash.h>
#include <string>
#include <string_view>

namespace threadcheck::fuzz {

inline void putLittleEndian(std::string& out, uint64_t v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// The payload of a file laid out as a fact file (whatever its header's values), else the bytes.
inline std::string_view factsPayload(std::string_view file) {
  constexpr size_t kMagicAndFormat = 8 + 4;
  if (file.size() < kMagicAndFormat || file.substr(0, 7) != "TCFACTS")
    return file;
  size_t at = kMagicAndFormat;
  uint64_t versionSize = 0;
  for (unsigned shift = 0; at < file.size() && shift < 64; shift += 7) {
    auto byte = static_cast<uint8_t>(file[at++]);
    versionSize |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80))
      break;
  }
  constexpr size_t kKindSchemaSizeChecksum = 1 + 8 + 8 + 8;
  if (versionSize > file.size() - at || file.size() - at - versionSize < kKindSchemaSizeChecksum)
    return file;
  return file.substr(at + versionSize + kKindSchemaSizeChecksum);
}

// `payload` in an envelope this build's FactsReader accepts.
inline std::string wrapFactsPayload(std::string_view payload, checkers::FactFileKind kind,
                                    std::string_view toolVersion) {
  std::string out("TCFACTS\0", 8);
  putLittleEndian(out, checkers::kFactsFormatVersion, 4);
  uint64_t n = toolVersion.size();
  do {
    out.push_back(static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
    n >>= 7;
  } while (n);
  out += toolVersion;
  out.push_back(static_cast<char>(kind));
  putLittleEndian(out, checkers::factsSchemaHash(), 8);
  putLittleEndian(out, payload.size(), 8);
  putLittleEndian(out, llvm::xxh3_64bits(llvm::StringRef(payload.data(), payload.size())), 8);
  out += payload;
  return out;
}

inline void checkEnvelopeLayout(checkers::FactFileKind kind, std::string_view toolVersion) {
  checkers::FactsWriter writer;
  writer.writeString("envelope");
  writer.writeUInt(300);
  std::string file = writer.finish(kind, toolVersion);
  if (wrapFactsPayload(factsPayload(file), kind, toolVersion) != file) {
    std::fprintf(stderr, "tests/fuzz/FactsEnvelope.h no longer matches the fact file layout of "
                         "FactsSerialization.cpp: update it\n");
    std::abort();
  }
}

// What a fact-file target does with each input: `decode` it as it is and rewrapped.
template <class Decode>
void decodeAsIsAndRewrapped(const uint8_t* data, size_t size, checkers::FactFileKind kind,
                            std::string_view toolVersion, Decode decode) {
  [[maybe_unused]] static const bool layoutChecked = (checkEnvelopeLayout(kind, toolVersion), true);
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  decode(bytes);
  decode(wrapFactsPayload(factsPayload(bytes), kind, toolVersion));
}

} // namespace threadcheck::fuzz
