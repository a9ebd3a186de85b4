// How a finding's absolute path is shown: relative to a base directory when it lies under it
// (the cwd for people, the source root for SARIF/JSON/fingerprints), absolute otherwise.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace threadcheck::report {

// Makes `path` absolute against `base` and removes "." and ".." components lexically.
std::string normalizePath(std::string_view path, std::string_view base);

// `path` relative to `dir` when it lies under it (both absolute and normalised), else nullopt.
std::optional<std::string> relativeTo(std::string_view path, std::string_view dir);

// Relative to `dir` when under it, else `path` unchanged.
std::string displayPath(std::string_view path, std::string_view dir);

// A file:// URI for an absolute path, percent-encoding what RFC 3986 does not allow in a path.
// With `trailingSlash` the URI names a directory, as SARIF's originalUriBaseIds require.
std::string fileUri(std::string_view absolutePath, bool trailingSlash = false);

// Percent-encodes a relative path for a SARIF artifactLocation.uri.
std::string uriEncodePath(std::string_view path);

} // namespace threadcheck::report
