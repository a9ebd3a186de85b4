// libFuzzer target: a --cache-dir entry as FactsCache::load decodes it (decodeCacheEntry), as it
// is and rewrapped in a valid envelope (FactsEnvelope.h). Every recorded dependency is taken as
// unchanged, so that the facts behind them are decoded too.
#include "FactsEnvelope.h"
#include "check/FactsCache.h"

#include <cstdint>

using namespace threadcheck;

namespace {

constexpr const char* kVersion = THREADCHECK_VERSION;

void decode(std::string_view bytes) {
  // The entry's own key, so that a mutated key is judged by the decoder and not refused here.
  std::string key = "unknown";
  if (auto reader =
          checkers::FactsReader::open(bytes, checkers::FactFileKind::CacheEntry, kVersion))
    reader->readString(key);
  else
    llvm::consumeError(reader.takeError());
  checkers::TranslationUnitFacts facts;
  check::decodeCacheEntry(
      llvm::StringRef(bytes.data(), bytes.size()), key, kVersion,
      [](const std::string&, const check::ContentHash&) { return true; }, facts);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::decodeAsIsAndRewrapped(data, size, checkers::FactFileKind::CacheEntry, kVersion, decode);
  return 0;
}
