#include "GtestList.h"

#include "ElfSymbols.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

namespace threadcheck::run {
namespace {

bool isNameChar(char c) {
  return isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '/';
}

// `line` from `pos` on is a name, optionally followed by "  # <label> = <value>".
bool takeName(const std::string& line, size_t pos, char terminator, const char* label,
              std::string& name) {
  size_t end = pos;
  while (end < line.size() && isNameChar(line[end]))
    ++end;
  if (end == pos)
    return false;
  name = line.substr(pos, end - pos);
  if (terminator) {
    if (end >= line.size() || line[end] != terminator)
      return false;
    ++end;
  }
  if (end == line.size())
    return true;
  std::string comment = std::string("  # ") + label + " = ";
  return line.compare(end, comment.size(), comment) == 0;
}

// GoogleTest's own rule (kDisableTestFilter "DISABLED_*:*/DISABLED_*"), applied to the suite and
// the test name separately.
bool disabledName(const std::string& name) {
  return name.rfind("DISABLED_", 0) == 0 || name.find("/DISABLED_") != std::string::npos;
}

// "--gtest_filter=x" and "--gtest-filter=x" name the same flag.
std::string flagName(const std::string& arg) {
  if (arg.rfind("--gtest", 0) != 0)
    return "";
  std::string name =
      arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

bool fileContains(const std::string& path, const std::string& needle) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return data.find(needle) != std::string::npos;
}

} // namespace

bool isGtestBinary(const std::string& path, std::string& error) {
  auto syms = readElfSymbols(path, error);
  if (!syms)
    return false;
  auto gtestSymbol = [](const std::string& s) { return s.rfind("_ZN7testing", 0) == 0; };
  if (std::any_of(syms->needed.begin(), syms->needed.end(),
                  [](const std::string& n) { return n.rfind("libgtest", 0) == 0; }) ||
      std::any_of(syms->undefined.begin(), syms->undefined.end(), gtestSymbol) ||
      std::any_of(syms->defined.begin(), syms->defined.end(), gtestSymbol))
    return true;
  // A stripped executable with GoogleTest linked in statically keeps no testing:: symbol, but its
  // help text names the flag (the literal is one string, "--" GTEST_FLAG_PREFIX_ "list_tests").
  return syms->stripped && fileContains(path, "gtest_list_tests");
}

std::optional<GtestArgs> splitGtestArgs(const std::vector<std::string>& args, std::string& error) {
  GtestArgs out;
  for (const auto& a : args) {
    std::string flag = flagName(a);
    if (flag == "gtest_filter") {
      if (a.find('=') == std::string::npos) {
        error = "'" + a + "' needs a value (--gtest_filter=<patterns>)";
        return std::nullopt;
      }
      out.filter = a.substr(a.find('=') + 1); // the last one wins, as in GoogleTest
    } else if (flag == "gtest_list_tests") {
      continue;
    } else {
      if (flag == "gtest_also_run_disabled_tests")
        out.alsoRunDisabled = a.find('=') == std::string::npos || a.substr(a.find('=') + 1) != "0";
      out.other.push_back(a);
    }
  }
  return out;
}

std::optional<std::vector<GtestTest>> parseGtestList(const std::string& output,
                                                     std::string& error) {
  std::vector<GtestTest> tests;
  std::string suite;
  bool anyShape = false;
  size_t start = 0;
  while (start < output.size()) {
    size_t nl = output.find('\n', start);
    if (nl == std::string::npos)
      nl = output.size();
    std::string line = output.substr(start, nl - start);
    start = nl + 1;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    std::string name;
    if (line.rfind("  ", 0) == 0) {
      if (!suite.empty() && takeName(line, 2, 0, "GetParam()", name)) {
        tests.push_back({suite + "." + name, disabledName(suite) || disabledName(name)});
        anyShape = true;
      }
    } else if (takeName(line, 0, '.', "TypeParam", name)) {
      suite = name;
      anyShape = true;
    } else {
      suite.clear(); // whatever follows is not this suite's
    }
  }
  // A main() that does not hand its arguments to InitGoogleTest runs the tests instead.
  if (!anyShape && output.find("[==========] Running ") != std::string::npos) {
    error = "it ran its tests instead of listing them (does its main() pass argc/argv to "
            "testing::InitGoogleTest?)";
    return std::nullopt;
  }
  return tests;
}

} // namespace threadcheck::run
