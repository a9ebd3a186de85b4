#include "report/Fingerprint.h"

#include <gtest/gtest.h>

namespace threadcheck::report {
namespace {

checkers::Finding finding(unsigned line, std::string message = "'mu' is locked twice") {
  checkers::Finding f;
  f.checkId = "double-lock";
  f.loc = {"/repo/src/a.cpp", line, 3};
  f.message = std::move(message);
  f.function = "ns::work";
  return f;
}

TEST(Fingerprint, NormalizeMessageDropsNumbersButKeepsNames) {
  EXPECT_EQ(normalizeMessage("'mu2' locked at line 12 and a.cpp:40:7"),
            "'mu2' locked at line  and a.cpp::");
  EXPECT_EQ(normalizeMessage("m_[3]"), "m_[]");
}

TEST(Fingerprint, StableWhenLinesAreInsertedAbove) {
  SourceFiles before, after;
  before.setContents("/repo/src/a.cpp", "void work() {\n  mu.lock();\n  mu.lock();\n}\n");
  after.setContents(
      "/repo/src/a.cpp",
      "// a new comment\n#include <x>\n\nvoid work() {\n  mu.lock();\n  mu.lock();\n}\n");
  auto fpBefore =
      computeFingerprints({finding(3, "'mu' locked again (first at line 2)")}, "/repo", before);
  auto fpAfter =
      computeFingerprints({finding(6, "'mu' locked again (first at line 5)")}, "/repo", after);
  ASSERT_EQ(fpBefore.size(), 1u);
  EXPECT_EQ(fpBefore, fpAfter);
  EXPECT_EQ(fpBefore[0].size(), 16u);
}

TEST(Fingerprint, ChangesWithTheFlaggedLineCheckFileOrFunction) {
  SourceFiles files;
  files.setContents("/repo/src/a.cpp", "x\n  mu.lock();\n  other.lock();\n");
  files.setContents("/repo/src/b.cpp", "x\n  mu.lock();\n");
  std::string base = computeFingerprints({finding(2)}, "/repo", files)[0];
  EXPECT_NE(base, computeFingerprints({finding(3)}, "/repo", files)[0]);
  checkers::Finding f = finding(2);
  f.checkId = "lock-not-released";
  EXPECT_NE(base, computeFingerprints({f}, "/repo", files)[0]);
  f = finding(2);
  f.loc.file = "/repo/src/b.cpp";
  EXPECT_NE(base, computeFingerprints({f}, "/repo", files)[0]);
  f = finding(2);
  f.function = "ns::other";
  EXPECT_NE(base, computeFingerprints({f}, "/repo", files)[0]);
}

TEST(Fingerprint, IdenticalTuplesGetDistinctFingerprints) {
  SourceFiles files;
  files.setContents("/repo/src/a.cpp", "mu.lock();\nmu.lock();\n");
  auto fps = computeFingerprints({finding(1), finding(2)}, "/repo", files);
  EXPECT_NE(fps[0], fps[1]);
}

TEST(Fingerprint, IndependentOfWhereTheCheckoutIs) {
  SourceFiles a, b;
  a.setContents("/repo/src/a.cpp", "mu.lock();\n");
  b.setContents("/elsewhere/src/a.cpp", "mu.lock();\n");
  checkers::Finding moved = finding(1);
  moved.loc.file = "/elsewhere/src/a.cpp";
  EXPECT_EQ(computeFingerprints({finding(1)}, "/repo", a),
            computeFingerprints({moved}, "/elsewhere", b));
}

} // namespace
} // namespace threadcheck::report
