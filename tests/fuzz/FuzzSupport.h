// What every fuzz target shares: the contract a reader's error must keep (one line that names the
// file, docs/check-command.md "Exit codes"), checked on every rejected input so that a message
// that breaks it is a finding like a crash. Bytes of the file echoed raw into a message (a
// newline, a NUL, a terminal escape) break the line too.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace threadcheck::fuzz {

inline bool hasControlCharacter(std::string_view text) {
  for (char c : text)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
      return true;
  return false;
}

inline void checkOneLineError(std::string_view message, std::string_view name) {
  if (message.empty() || hasControlCharacter(message) ||
      message.find(name) == std::string_view::npos) {
    std::fprintf(stderr, "reader error is not one line naming '%.*s': '%.*s'\n",
                 static_cast<int>(name.size()), name.data(), static_cast<int>(message.size()),
                 message.data());
    std::abort();
  }
}

} // namespace threadcheck::fuzz
