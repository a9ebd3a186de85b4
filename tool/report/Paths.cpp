#include "report/Paths.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>

namespace threadcheck::report {

std::string normalizePath(std::string_view path, std::string_view base) {
  llvm::SmallString<256> p(path);
  if (!llvm::sys::path::is_absolute(p)) {
    llvm::SmallString<256> abs(base);
    llvm::sys::path::append(abs, p);
    p = abs;
  }
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  return std::string(p);
}

std::optional<std::string> relativeTo(std::string_view path, std::string_view dir) {
  std::string_view d = dir;
  while (d.size() > 1 && d.back() == '/')
    d.remove_suffix(1);
  if (d == "/")
    return std::string(path.substr(1));
  if (path.size() <= d.size() || !path.starts_with(d) || path[d.size()] != '/')
    return std::nullopt;
  return std::string(path.substr(d.size() + 1));
}

std::string displayPath(std::string_view path, std::string_view dir) {
  if (std::optional<std::string> rel = relativeTo(path, dir))
    return *rel;
  return std::string(path);
}

namespace {

bool isUnreservedPathChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/' || c == '+' || c == '@' || c == ',' ||
         c == '=';
}

} // namespace

std::string uriEncodePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (unsigned char c : path) {
    if (isUnreservedPathChar(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string fileUri(std::string_view absolutePath, bool trailingSlash) {
  std::string uri = "file://" + uriEncodePath(absolutePath);
  if (trailingSlash && !uri.ends_with('/'))
    uri += '/';
  return uri;
}

} // namespace threadcheck::report
