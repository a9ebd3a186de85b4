// libFuzzer target: a --merge shard file as readShardSet decodes each one (parseShardFile), as it
// is and rewrapped in a valid envelope (FactsEnvelope.h).
#include "FactsEnvelope.h"
#include "FuzzSupport.h"
#include "check/ShardFiles.h"

#include <cstdint>

using namespace threadcheck;

namespace {

constexpr const char* kVersion = THREADCHECK_VERSION;

void decode(std::string_view bytes) {
  const std::string name = "fuzz.tcshard";
  auto shard = check::parseShardFile(llvm::StringRef(bytes.data(), bytes.size()), name,
                                     "/fuzz/root", kVersion);
  if (!shard)
    fuzz::checkOneLineError(llvm::toString(shard.takeError()), name);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::decodeAsIsAndRewrapped(data, size, checkers::FactFileKind::Shard, kVersion, decode);
  return 0;
}
