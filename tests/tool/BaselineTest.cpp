#include "report/Baseline.h"

#include <gtest/gtest.h>
#include <llvm/Support/raw_ostream.h>

namespace threadcheck::report {
namespace {

std::string errorText(llvm::Expected<std::set<std::string>> r) {
  EXPECT_FALSE(static_cast<bool>(r));
  return r ? std::string() : llvm::toString(r.takeError());
}

TEST(Baseline, RoundTrip) {
  ReportedFinding a, b;
  a.finding.checkId = "double-lock";
  a.finding.loc = {"/repo/a.cpp", 3, 1};
  a.finding.message = "say \"hi\"\n";
  a.fingerprint = "0123456789abcdef";
  b.finding = a.finding;
  b.fingerprint = "fedcba9876543210";
  std::string text;
  llvm::raw_string_ostream os(text);
  writeBaseline(os, {a, b}, ReportContext{"/repo", "/repo", "0"});
  EXPECT_NE(text.find("\"file\": \"a.cpp\""), std::string::npos) << text;
  auto read = parseBaseline(text, "b.json");
  ASSERT_TRUE(static_cast<bool>(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(*read, (std::set<std::string>{"0123456789abcdef", "fedcba9876543210"}));
}

TEST(Baseline, EmptyBaselineIsValid) {
  auto read = parseBaseline(R"({"version":1,"tool":"threadcheck","fingerprints":[]})", "b.json");
  ASSERT_TRUE(static_cast<bool>(read));
  EXPECT_TRUE(read->empty());
}

TEST(Baseline, MalformedBaselinesNameTheFile) {
  EXPECT_EQ(errorText(parseBaseline("{", "b.json")).rfind("b.json: malformed baseline", 0), 0u);
  EXPECT_NE(errorText(parseBaseline("[]", "b.json")).find("b.json"), std::string::npos);
  EXPECT_NE(errorText(parseBaseline(R"({"version":1,"tool":"other","fingerprints":[]})", "b.json"))
                .find("not a threadcheck baseline"),
            std::string::npos);
  EXPECT_NE(
      errorText(parseBaseline(R"({"version":2,"tool":"threadcheck","fingerprints":[]})", "b.json"))
          .find("version"),
      std::string::npos);
  EXPECT_NE(errorText(parseBaseline(R"({"version":1,"tool":"threadcheck"})", "b.json"))
                .find("fingerprints"),
            std::string::npos);
  EXPECT_NE(errorText(parseBaseline(
                          R"({"version":1,"tool":"threadcheck","fingerprints":[{"check":"x"}]})",
                          "b.json"))
                .find("entry 0"),
            std::string::npos);
}

// 35,000 levels overflowed the stack of the recursive JSON parser.
TEST(Baseline, DeeplyNestedBaselineIsAnErrorNotACrash) {
  std::string deep = std::string(35000, '[') + std::string(35000, ']');
  EXPECT_EQ(errorText(parseBaseline(deep, "b.json")),
            "b.json: malformed baseline: nesting deeper than 256 levels at byte 256");
  // Brackets inside strings are text, not nesting.
  std::string brackets(1000, '[');
  auto read =
      parseBaseline(R"({"version":1,"tool":"threadcheck","fingerprints":[{"fingerprint":")" +
                        brackets + R"("}]})",
                    "b.json");
  ASSERT_TRUE(static_cast<bool>(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->size(), 1u);
}

TEST(Baseline, UnreadableFileIsAnError) {
  std::string message = errorText(readBaseline("/nonexistent/dir/baseline.json"));
  EXPECT_NE(message.find("/nonexistent/dir/baseline.json: cannot read baseline"),
            std::string::npos);
}

} // namespace
} // namespace threadcheck::report
