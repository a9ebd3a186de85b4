#include "report/Nolint.h"

#include <gtest/gtest.h>

namespace threadcheck::report {
namespace {

NolintIndex index(std::string_view text) {
  return NolintIndex(splitLines(text));
}

TEST(Nolint, BareNolintSuppressesEveryCheckOnItsLineOnly) {
  NolintIndex idx = index("mu.lock(); // NOLINT\nmu.lock();\n");
  EXPECT_TRUE(idx.suppresses(1, "double-lock"));
  EXPECT_TRUE(idx.suppresses(1, "lock-not-released"));
  EXPECT_FALSE(idx.suppresses(2, "double-lock"));
}

TEST(Nolint, NamedCheckSuppressesOnlyThatCheck) {
  NolintIndex idx = index("mu.lock(); // NOLINT(lock-not-released)\n");
  EXPECT_TRUE(idx.suppresses(1, "lock-not-released"));
  EXPECT_FALSE(idx.suppresses(1, "double-lock"));
}

TEST(Nolint, ListGlobsAndThreadcheckPrefix) {
  NolintIndex idx =
      index("a // NOLINT(threadcheck-double-lock, unlock-*)\nb // NOLINT(threadcheck-*)\n"
            "c // NOLINT(*,-double-lock)\nd // NOLINT(bugprone-use-after-move)\n");
  EXPECT_TRUE(idx.suppresses(1, "double-lock"));
  EXPECT_TRUE(idx.suppresses(1, "unlock-not-held"));
  EXPECT_FALSE(idx.suppresses(1, "lock-not-released"));
  EXPECT_TRUE(idx.suppresses(2, "blocking-under-lock"));
  EXPECT_TRUE(idx.suppresses(3, "lock-not-released"));
  EXPECT_FALSE(idx.suppresses(3, "double-lock"));
  EXPECT_FALSE(idx.suppresses(4, "double-lock"));
}

TEST(Nolint, NextLineAppliesToTheFollowingLineOnly) {
  NolintIndex idx = index("// NOLINTNEXTLINE(double-lock)\nmu.lock();\nmu.lock();\n");
  EXPECT_FALSE(idx.suppresses(1, "double-lock"));
  EXPECT_TRUE(idx.suppresses(2, "double-lock"));
  EXPECT_FALSE(idx.suppresses(3, "double-lock"));
  EXPECT_FALSE(idx.suppresses(2, "lock-not-released"));
}

TEST(Nolint, BlockCommentsWork) {
  NolintIndex idx = index("mu.lock(); /* NOLINT(double-lock) */ f();\n/* NOLINTNEXTLINE */\nx\n");
  EXPECT_TRUE(idx.suppresses(1, "double-lock"));
  EXPECT_TRUE(idx.suppresses(3, "unlock-not-held"));
}

TEST(Nolint, BeginEndCoversTheRegionInclusive) {
  NolintIndex idx = index("a\n// NOLINTBEGIN(double-lock)\nb\nc\n// NOLINTEND(double-lock)\nd\n");
  EXPECT_FALSE(idx.suppresses(1, "double-lock"));
  for (unsigned line = 2; line <= 5; ++line)
    EXPECT_TRUE(idx.suppresses(line, "double-lock")) << line;
  EXPECT_FALSE(idx.suppresses(3, "lock-not-released"));
  EXPECT_FALSE(idx.suppresses(6, "double-lock"));
}

TEST(Nolint, NestedBeginEndPairByCheckList) {
  NolintIndex idx = index("// NOLINTBEGIN\n// NOLINTBEGIN(double-lock)\nx\n// NOLINTEND\ny\n"
                          "// NOLINTEND(double-lock)\nz\n");
  EXPECT_TRUE(idx.suppresses(3, "lock-not-released")); // inside the bare BEGIN
  EXPECT_FALSE(idx.suppresses(5, "lock-not-released"));
  EXPECT_TRUE(idx.suppresses(5, "double-lock"));
  EXPECT_FALSE(idx.suppresses(7, "double-lock"));
}

TEST(Nolint, UnmatchedBeginSuppressesNothing) {
  NolintIndex idx = index("// NOLINTBEGIN(double-lock)\nx\n// NOLINTEND(unlock-not-held)\n");
  EXPECT_FALSE(idx.suppresses(2, "double-lock"));
  EXPECT_FALSE(idx.suppresses(2, "unlock-not-held"));
}

TEST(Nolint, MarkersInsideIdentifiersAreNotMarkers) {
  NolintIndex idx = index("int MY_NOLINT = 0;\nint NOLINTED = 1;\n");
  EXPECT_FALSE(idx.suppresses(1, "double-lock"));
  EXPECT_FALSE(idx.suppresses(2, "double-lock"));
}

TEST(Nolint, EmptyParenthesesSuppressNothingButUnclosedSuppressesAll) {
  NolintIndex idx = index("a // NOLINT()\nb // NOLINT(double-lock\n");
  EXPECT_FALSE(idx.suppresses(1, "double-lock"));
  EXPECT_TRUE(idx.suppresses(2, "unlock-not-held"));
}

TEST(Nolint, SuppressionsReadTheFindingsFile) {
  SourceFiles files;
  files.setContents("/src/a.cpp", "mu.lock(); // NOLINT(double-lock)\nmu.lock();\n");
  Suppressions s(files);
  checkers::Finding f;
  f.checkId = "double-lock";
  f.loc = {"/src/a.cpp", 1, 1};
  EXPECT_TRUE(s.suppressed(f));
  f.loc.line = 2;
  EXPECT_FALSE(s.suppressed(f));
  f.loc.file = "/src/missing.cpp"; // unreadable files have no suppressions
  EXPECT_FALSE(s.suppressed(f));
}

} // namespace
} // namespace threadcheck::report
