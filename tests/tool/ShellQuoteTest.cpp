// The replay commands printed with findings are pasted into a shell: every word must come back
// from /bin/sh exactly as it went in.
#include "run/ShellQuote.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <string>

namespace threadcheck::run {
namespace {

std::string echoedByShell(const std::string& word) {
  std::string command = "printf '%s' " + shellQuote(word);
  FILE* p = popen(command.c_str(), "r");
  if (!p)
    return "<popen failed>";
  std::string out;
  char buf[256];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  pclose(p);
  return out;
}

TEST(ShellQuote, PlainWordsStayAsTheyAre) {
  EXPECT_EQ(shellQuote("/tmp/schedules/abba-deadlock-seed1-4.json"),
            "/tmp/schedules/abba-deadlock-seed1-4.json");
  EXPECT_EQ(shellQuote("--gtest_filter=Suite.Name"), "--gtest_filter=Suite.Name");
}

TEST(ShellQuote, EverySpecialCharacterSurvivesTheShell) {
  for (const std::string& word :
       {std::string(""), std::string("two words"), std::string("it's"), std::string("$HOME"),
        std::string("`id`"), std::string("a;b|c&d"), std::string("*?[x]"), std::string("~user"),
        std::string("#comment"), std::string("!event"), std::string("{a,b}"),
        std::string("back\\slash"), std::string("quote\"d"), std::string("tab\there"),
        std::string("new\nline"), std::string("Suite.Name/0")})
    EXPECT_EQ(echoedByShell(word), word) << "quoted as " << shellQuote(word);
}

} // namespace
} // namespace threadcheck::run
