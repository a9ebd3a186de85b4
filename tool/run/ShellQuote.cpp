#include "ShellQuote.h"

#include <cctype>
#include <cstring>

namespace threadcheck::run {

std::string shellQuote(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s)
    if (!isalnum(static_cast<unsigned char>(c)) && !strchr("/._-=:,+@%", c))
      plain = false;
  if (plain)
    return s;
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

} // namespace threadcheck::run
