#include "report/Fingerprint.h"

#include "report/Paths.h"

#include <cctype>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/SHA1.h>
#include <map>

namespace threadcheck::report {
namespace {

bool isIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string withoutWhitespace(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c)))
      out += c;
  return out;
}

} // namespace

std::string normalizeMessage(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (size_t i = 0; i < message.size();) {
    bool digit = std::isdigit(static_cast<unsigned char>(message[i]));
    if (digit && (i == 0 || !isIdentChar(message[i - 1]))) {
      while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])))
        ++i;
      continue;
    }
    out += message[i++];
  }
  return out;
}

std::vector<std::string> computeFingerprints(const std::vector<checkers::Finding>& findings,
                                             std::string_view sourceRoot, SourceFiles& files) {
  std::vector<std::string> result;
  result.reserve(findings.size());
  std::map<std::string, unsigned> occurrences;
  for (const checkers::Finding& f : findings) {
    // Fields are joined with NUL so that no two different tuples produce the same text.
    std::string tuple;
    tuple += f.checkId;
    tuple += '\0';
    tuple += displayPath(f.loc.file, sourceRoot);
    tuple += '\0';
    tuple += f.function;
    tuple += '\0';
    tuple += normalizeMessage(f.message);
    tuple += '\0';
    if (std::optional<std::string_view> text = files.line(f.loc.file, f.loc.line))
      tuple += withoutWhitespace(*text);
    unsigned index = occurrences[tuple]++;
    tuple += '\0';
    tuple += std::to_string(index);

    std::array<uint8_t, 20> digest = llvm::SHA1::hash(llvm::arrayRefFromStringRef(tuple));
    result.push_back(llvm::toHex(llvm::ArrayRef<uint8_t>(digest.data(), 8), /*LowerCase=*/true));
  }
  return result;
}

} // namespace threadcheck::report
