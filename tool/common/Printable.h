// Text taken from an input file, made fit for a one-line error message: the file may be damaged
// or hostile, and a newline, NUL or terminal escape echoed from it would break the line (or the
// terminal), a megabyte-long key would bury it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace threadcheck {

// `text` with control characters (but tab), DEL and backslashes written as \xNN, cut after
// `maxBytes` of input with "...". Other bytes stay: names need not be ASCII or even UTF-8.
inline std::string printableExcerpt(std::string_view text, size_t maxBytes = 80) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : text.substr(0, maxBytes)) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte >= 0x20 && byte != 0x7f && c != '\\') || c == '\t') {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  if (text.size() > maxBytes)
    out += "...";
  return out;
}

} // namespace threadcheck
