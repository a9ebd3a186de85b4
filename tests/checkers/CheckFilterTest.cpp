#include "threadcheck/checkers/CheckRegistry.h"

#include <gtest/gtest.h>

using threadcheck::checkers::CheckFilter;

TEST(CheckFilter, DefaultEnablesEverythingButOptInChecks) {
  CheckFilter f;
  EXPECT_TRUE(f.enabled("double-lock"));
  EXPECT_TRUE(f.enabled("blocking-under-lock"));
  EXPECT_TRUE(f.enabled("join-not-joinable"));
  EXPECT_FALSE(f.enabled("thread-create-unchecked"));
  EXPECT_TRUE(CheckFilter::everything().enabled("thread-create-unchecked"));
}

TEST(CheckFilter, GlobsNamingAnOptInCheckEnableIt) {
  std::string error;
  for (const char* globs : {"*", "thread-create-unchecked", "-*,thread-*", "*,-blocking-under-lock",
                            "threadcheck-thread-create-unchecked"}) {
    auto f = CheckFilter::parse(globs, error);
    ASSERT_TRUE(f) << error;
    EXPECT_TRUE(f->enabled("thread-create-unchecked")) << globs;
  }
  auto g = CheckFilter::parse("*,-thread-create-unchecked", error);
  ASSERT_TRUE(g) << error;
  EXPECT_FALSE(g->enabled("thread-create-unchecked"));
  EXPECT_TRUE(g->enabled("join-not-joinable"));
}

TEST(CheckFilter, LaterGlobsWin) {
  std::string error;
  auto f = CheckFilter::parse("*,-blocking-under-lock", error);
  ASSERT_TRUE(f) << error;
  EXPECT_FALSE(f->enabled("blocking-under-lock"));
  EXPECT_TRUE(f->enabled("double-lock"));
  auto g = CheckFilter::parse("-*,double-lock,threadcheck-unlock-not-held", error);
  ASSERT_TRUE(g) << error;
  EXPECT_EQ(g->enabledIds(), (std::vector<std::string>{"double-lock", "unlock-not-held"}));
}

TEST(CheckFilter, GlobsInTheMiddle) {
  std::string error;
  auto f = CheckFilter::parse("-*,*-lock*", error);
  ASSERT_TRUE(f) << error;
  EXPECT_TRUE(f->enabled("double-lock"));
  EXPECT_TRUE(f->enabled("unnamed-lock-guard"));
  EXPECT_FALSE(f->enabled("unlock-not-held"));
  EXPECT_FALSE(f->enabled("lock-not-released"));
}

// Running no check would report "0 findings" for code nobody looked at.
TEST(CheckFilter, SelectingNoCheckIsAnError) {
  std::string error;
  EXPECT_FALSE(CheckFilter::parse("-*", error));
  EXPECT_EQ(error, "'-*' selects no check (see --list-checks)");
  EXPECT_FALSE(CheckFilter::parse("double-lock,-double-lock", error));
  EXPECT_TRUE(CheckFilter::parse("-*,double-lock", error));
}

TEST(CheckFilter, UnknownIdIsAnError) {
  std::string error;
  EXPECT_FALSE(CheckFilter::parse("*,-no-such-check", error));
  EXPECT_NE(error.find("no-such-check"), std::string::npos);
}
