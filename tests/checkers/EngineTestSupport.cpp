#include "EngineTestSupport.h"

#include "threadcheck/checkers/Analysis.h"
#include "threadcheck/checkers/Frontend.h"

#include <clang/Frontend/FrontendAction.h>
#include <clang/Tooling/Tooling.h>

#include <algorithm>

namespace threadcheck::checkers::testing {

std::vector<Finding> analyze(const std::vector<Source>& sources) {
  // Every check, the opt-in ones too: each test's expectations say what it reports.
  CheckFilter filter = CheckFilter::everything();
  std::vector<TranslationUnitFacts> units;
  for (const Source& s : sources) {
    bool isC = s.name.size() > 2 && s.name.substr(s.name.size() - 2) == ".c";
    std::vector<std::string> args = {isC ? "-std=c11" : "-std=c++20", "-pthread",
                                     "-resource-dir", THREADCHECK_CLANG_RESOURCE_DIR,
                                     "-Wno-unused-value", "-Wno-vexing-parse"};
    if (isC)
      args.insert(args.begin(), {"-x", "c"});
    units.emplace_back();
    bool ok = clang::tooling::runToolOnCodeWithArgs(
        createFactsAction(units.back(), filter), s.code, args, "/virtual/" + s.name,
        isC ? "clang-19" : "clang++-19");
    if (!ok)
      throw std::runtime_error("test source does not compile: " + s.name);
  }
  return analyzeProgram(units, filter);
}

std::vector<Finding> analyzeCpp(const std::string& code) { return analyze({{"t.cpp", code}}); }
std::vector<Finding> analyzeC(const std::string& code) { return analyze({{"t.c", code}}); }

std::vector<std::string> summarize(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings)
    out.push_back(f.checkId + "@" + std::to_string(f.loc.line));
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace threadcheck::checkers::testing

namespace threadcheck::checkers::testing {

std::vector<std::string> expectations(const std::string& code) {
  std::vector<std::string> out;
  unsigned line = 1;
  size_t start = 0;
  while (start <= code.size()) {
    size_t end = code.find('\n', start);
    std::string text = code.substr(start, end == std::string::npos ? std::string::npos : end - start);
    size_t pos = text.find("// expect: ");
    if (pos != std::string::npos) {
      std::string ids = text.substr(pos + 11);
      size_t from = 0;
      while (from < ids.size()) {
        size_t comma = ids.find(',', from);
        std::string id = ids.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        id.erase(0, id.find_first_not_of(' '));
        id.erase(id.find_last_not_of(' ') + 1);
        if (!id.empty())
          out.push_back(id + "@" + std::to_string(line));
        if (comma == std::string::npos)
          break;
        from = comma + 1;
      }
    }
    if (end == std::string::npos)
      break;
    start = end + 1;
    ++line;
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace threadcheck::checkers::testing
