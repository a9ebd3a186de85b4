// A depth check to run before handing a JSON text to a recursive parser. llvm::json::parse, the
// YAML parser behind JSONCompilationDatabase and the destructors of what they build all recurse
// once per level, so ~35,000 nested brackets overflow the stack; no file threadcheck reads
// (compile databases, baselines, schedule files) nests more than a few levels.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace threadcheck {

inline constexpr unsigned kMaxJsonNesting = 256;

// Why `text` nests arrays/objects deeper than `maxDepth` ("nesting deeper than 256 levels at byte
// N"), or nullopt. Brackets inside strings do not count; malformed text is left to the parser.
inline std::optional<std::string> jsonNestingError(std::string_view text,
                                                   unsigned maxDepth = kMaxJsonNesting) {
  unsigned depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth)
        return "nesting deeper than " + std::to_string(maxDepth) + " levels at byte " +
               std::to_string(i);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

} // namespace threadcheck
