#include "check/CommandLineAdjuster.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace threadcheck::check {
namespace {

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(CommandLineAdjuster, DropsFlagsClangDoesNotKnow) {
  std::vector<std::string> cmd = {"/usr/bin/g++",
                                  "-fconserve-stack",
                                  "-std=c++17",
                                  "-fno-allow-store-data-races",
                                  "-I",
                                  "include",
                                  "-mindirect-branch-register",
                                  "-DX=1",
                                  "-c",
                                  "a.cpp"};
  std::vector<std::string> out = dropUnknownFlags(cmd);
  EXPECT_EQ(out, (std::vector<std::string>{"/usr/bin/g++", "-std=c++17", "-I", "include", "-DX=1",
                                           "-c", "a.cpp"}));
}

TEST(CommandLineAdjuster, KeepsKnownGccCompatibleFlags) {
  // Clang knows these (some only to ignore them); they must survive so that the command stays
  // the build's.
  std::vector<std::string> cmd = {"g++", "-fno-tree-vrp", "-Wno-maybe-uninitialized",
                                  "-O2", "-pthread",      "a.cpp"};
  EXPECT_EQ(dropUnknownFlags(cmd), cmd);
}

TEST(CommandLineAdjuster, SyntaxOnlyNoOutputsWarningsOffResourceDir) {
  std::vector<std::string> out = adjustCommandLine(
      {"g++", "-fconserve-stack", "-Werror", "-MD", "-MF", "a.d", "-c", "a.cpp", "-o", "a.o"},
      "/res", "/build");
  // -c may stay: with -fsyntax-only the driver stops after parsing either way.
  EXPECT_TRUE(has(out, "-fsyntax-only"));
  EXPECT_FALSE(has(out, "-o"));
  EXPECT_FALSE(has(out, "a.o"));
  EXPECT_FALSE(has(out, "-MF"));
  EXPECT_FALSE(has(out, "-fconserve-stack"));
  EXPECT_TRUE(has(out, "-w"));
  EXPECT_TRUE(has(out, "-Wno-unknown-warning-option"));
  auto rd = std::find(out.begin(), out.end(), "-resource-dir");
  ASSERT_NE(rd, out.end());
  ASSERT_NE(rd + 1, out.end());
  EXPECT_EQ(rd[1], "/res");
  EXPECT_EQ(out.front(), "g++");
  EXPECT_TRUE(has(out, "/build/a.cpp"));
}

TEST(CommandLineAdjuster, KeepsAnExistingResourceDir) {
  std::vector<std::string> out =
      adjustCommandLine({"clang++", "-resource-dir", "/mine", "a.cpp"}, "/res", "/build");
  EXPECT_EQ(std::count(out.begin(), out.end(), "-resource-dir"), 1);
  EXPECT_TRUE(has(out, "/mine"));
  EXPECT_FALSE(has(out, "/res"));
  out = adjustCommandLine({"clang++", "-resource-dir=/mine", "a.cpp"}, "/res", "/build");
  EXPECT_FALSE(has(out, "/res"));
}

TEST(CommandLineAdjuster, InsertsBeforeDoubleDash) {
  std::vector<std::string> out =
      adjustCommandLine({"clang++", "-std=c++20", "--", "a.cpp"}, "/r", "/build");
  auto dd = std::find(out.begin(), out.end(), "--");
  ASSERT_NE(dd, out.end());
  EXPECT_EQ(std::vector<std::string>(dd + 1, out.end()), std::vector<std::string>{"/build/a.cpp"});
}

TEST(CommandLineAdjuster, RelativePathsBecomeAbsoluteAgainstTheCommandDirectory) {
  std::vector<std::string> out =
      absolutizePaths({"g++", "-Iinc", "-I", "../inc2", "-isystem", "sys", "-include", "pre.h",
                       "-I/abs", "-DX=a/b", "-o", "out/a.o", "-c", "src/a.cpp", "--sysroot=root"},
                      "/proj/build");
  EXPECT_EQ(out, (std::vector<std::string>{
                     "g++", "-I/proj/build/inc", "-I", "/proj/build/../inc2", "-isystem",
                     "/proj/build/sys", "-include", "/proj/build/pre.h", "-I/abs", "-DX=a/b", "-o",
                     "out/a.o", "-c", "/proj/build/src/a.cpp", "--sysroot=/proj/build/root"}));
}

TEST(CommandLineAdjuster, ClangClCommandsAreNotFiltered) {
  std::vector<std::string> cmd = {"clang-cl", "/W4", "/EHsc", "a.cpp"};
  EXPECT_EQ(dropUnknownFlags(cmd), cmd);
}

} // namespace
} // namespace threadcheck::check
