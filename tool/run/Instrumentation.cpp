#include "Instrumentation.h"

#include "ElfSymbols.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace threadcheck::run {
namespace {

bool startsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::binary_search(v.begin(), v.end(), s);
}

bool isStockTsanRuntime(const std::string& lib) {
  std::string base = lib.substr(lib.rfind('/') + 1);
  return startsWith(base, "libtsan.so") || startsWith(base, "libclang_rt.tsan");
}

// A stock TSan runtime preloaded from the environment would intercept the same functions as
// threadcheck's runtime (and the runtime's own calls): refused for every program.
std::string preloadedStockTsan() {
  const char* preload = getenv("LD_PRELOAD");
  if (!preload)
    return {};
  // LD_PRELOAD separates its entries with spaces or colons.
  std::string list(preload);
  std::replace(list.begin(), list.end(), ':', ' ');
  std::istringstream in(list);
  for (std::string lib; in >> lib;)
    if (isStockTsanRuntime(lib))
      return lib;
  return {};
}

} // namespace

InstrumentationCheck checkInstrumentation(const std::string& program, const std::string& runtime) {
  InstrumentationCheck r;
  if (std::string lib = preloadedStockTsan(); !lib.empty()) {
    r.error = "LD_PRELOAD names stock ThreadSanitizer's runtime (" + lib +
              "), which cannot run beside threadcheck's runtime; unset it for 'threadcheck run'";
    return r;
  }
  std::string error;
  auto prog = readElfSymbols(program, error);
  if (!prog)
    return r; // not ELF: resolveProgram has judged it already
  for (const auto& lib : prog->needed)
    if (isStockTsanRuntime(lib)) {
      r.error = "program '" + program + "' is linked with stock ThreadSanitizer's runtime (" + lib +
                "); build it with 'threadcheck cc' / 'threadcheck c++' instead of "
                "-fsanitize=thread alone";
      return r;
    }
  // clang links its TSan runtime statically into the executable.
  if (has(prog->defined, "__tsan_init") &&
      !has(prog->defined, "__threadcheck_instrumentation_abi")) {
    r.error = "program '" + program +
              "' contains stock ThreadSanitizer's runtime (it was linked with -fsanitize=thread); "
              "build it with 'threadcheck cc' / 'threadcheck c++', which link threadcheck's";
    return r;
  }
  std::vector<std::string> imports;
  for (const auto& s : prog->undefined)
    if (startsWith(s, "__tsan_"))
      imports.push_back(s);
  r.runtimeInside = has(prog->defined, "__threadcheck_instrumented_program");
  if (imports.empty() && !r.runtimeInside)
    return r;
  r.instrumented = true;
  std::optional<ElfSymbols> rt = r.runtimeInside ? prog : readElfSymbols(runtime, error);
  if (!rt) {
    r.error = error;
    return r;
  }
  std::vector<std::string> missing;
  for (const auto& s : imports)
    if (!has(rt->defined, s))
      missing.push_back(s);
  if (!missing.empty()) {
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 5; ++i)
      list += (i ? ", " : "") + missing[i];
    if (missing.size() > 5)
      list += ", ...";
    r.error = "program '" + program +
              "' was instrumented for another ThreadSanitizer ABI: it calls " + list +
              ", which threadcheck's runtime does not provide (rebuild it with "
              "'threadcheck cc' / 'threadcheck c++')";
  }
  return r;
}

} // namespace threadcheck::run
