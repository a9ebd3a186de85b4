#include "check/CheckOptions.h"

#include <gtest/gtest.h>
#include <initializer_list>

namespace threadcheck::check {
namespace {

ParsedOptions parse(std::initializer_list<const char*> args) {
  std::vector<const char*> argv{"check"};
  argv.insert(argv.end(), args);
  return parseCheckOptions(static_cast<int>(argv.size()), argv.data());
}

TEST(CheckOptions, Defaults) {
  ParsedOptions p = parse({});
  ASSERT_TRUE(p.options);
  EXPECT_EQ(p.options->format, OutputFormat::Text);
  EXPECT_EQ(p.options->jobs, 0u);
  EXPECT_FALSE(p.options->buildPath);
  EXPECT_FALSE(p.options->hasCompilerArgs);
}

TEST(CheckOptions, BothValueSpellings) {
  for (auto args : {std::vector<const char*>{"--checks=double-lock", "--format=sarif", "-o",
                                             "out.sarif", "-j4", "-p", "build"},
                    std::vector<const char*>{"--checks", "double-lock", "--format", "sarif",
                                             "-oout.sarif", "-j", "4", "-pbuild"}}) {
    std::vector<const char*> argv{"check"};
    argv.insert(argv.end(), args.begin(), args.end());
    ParsedOptions p = parseCheckOptions(static_cast<int>(argv.size()), argv.data());
    ASSERT_TRUE(p.options) << p.error;
    EXPECT_EQ(p.options->checks, "double-lock");
    EXPECT_EQ(p.options->format, OutputFormat::Sarif);
    EXPECT_EQ(p.options->outputPath, "out.sarif");
    EXPECT_EQ(p.options->jobs, 4u);
    EXPECT_EQ(p.options->buildPath, "build");
  }
}

TEST(CheckOptions, SourcesAndCompilerArgs) {
  ParsedOptions p = parse(
      {"a.cpp", "--baseline=b.json", "src/b.cc", "--", "-std=c++20", "-DX", "--checks=ignored"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_EQ(p.options->sources, (std::vector<std::string>{"a.cpp", "src/b.cc"}));
  EXPECT_TRUE(p.options->hasCompilerArgs);
  EXPECT_EQ(p.options->compilerArgs,
            (std::vector<std::string>{"-std=c++20", "-DX", "--checks=ignored"}));
  EXPECT_EQ(p.options->baselinePath, "b.json");
  EXPECT_FALSE(p.options->checks);

  p = parse({"a.cpp", "--"});
  ASSERT_TRUE(p.options);
  EXPECT_TRUE(p.options->hasCompilerArgs);
  EXPECT_TRUE(p.options->compilerArgs.empty());
}

TEST(CheckOptions, Flags) {
  ParsedOptions p = parse({"--list-checks", "--write-baseline", "w.json", "--source-root=/r"});
  ASSERT_TRUE(p.options);
  EXPECT_TRUE(p.options->listChecks);
  EXPECT_EQ(p.options->writeBaselinePath, "w.json");
  EXPECT_EQ(p.options->sourceRoot, "/r");
  EXPECT_TRUE(parse({"--help"}).options->help);
  EXPECT_TRUE(parse({"-h"}).options->help);
}

TEST(CheckOptions, Fixes) {
  ParsedOptions p = parse({"--fix", "--export-fixes=f.yaml"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_TRUE(p.options->fix);
  EXPECT_EQ(p.options->exportFixesPath, "f.yaml");
  p = parse({"--export-fixes", "g.yaml"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_FALSE(p.options->fix);
  EXPECT_EQ(p.options->exportFixesPath, "g.yaml");
}

void expectError(std::initializer_list<const char*> args, const std::string& fragment) {
  ParsedOptions p = parse(args);
  EXPECT_FALSE(p.options);
  EXPECT_NE(p.error.find(fragment), std::string::npos) << p.error;
  EXPECT_EQ(p.error.find('\n'), std::string::npos) << "errors are one line";
}

TEST(CheckOptions, ErrorsNameTheInput) {
  expectError({"--frobnicate"}, "unknown option '--frobnicate'");
  expectError({"--frobnicate=1"}, "unknown option '--frobnicate'");
  expectError({"-x"}, "unknown option '-x'");
  expectError({"--fix-errors"}, "unknown option '--fix-errors'");
  expectError({"--export-fixes"}, "--export-fixes: missing value");
  expectError({"--export-fixes="}, "--export-fixes: empty value");
  expectError({"-j0"}, "invalid -j value '0'");
  expectError({"-j", "many"}, "invalid -j value 'many'");
  expectError({"-j", "4x"}, "invalid -j value '4x'");
  expectError({"-j", "-3"}, "invalid -j value '-3'");
  expectError({"-j99999"}, "invalid -j value '99999'");
  expectError({"--format=xml"}, "unknown --format 'xml'");
  expectError({"-p"}, "-p: missing value");
  expectError({"--checks"}, "--checks: missing value");
  expectError({"--baseline="}, "--baseline: empty value");
}

} // namespace
} // namespace threadcheck::check
