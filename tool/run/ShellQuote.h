// Quoting for a POSIX shell: the replay commands printed with findings are meant to be pasted.
#pragma once

#include <string>

namespace threadcheck::run {

// `s` as one shell word: unchanged when it holds only characters no shell treats specially,
// otherwise single-quoted.
std::string shellQuote(const std::string& s);

} // namespace threadcheck::run
