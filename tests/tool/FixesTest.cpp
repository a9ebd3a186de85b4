// Fixes between the engine and the disk: which fixes go together (--fix), how they are applied,
// and how the export file, SARIF and JSON carry them.
#include "report/ApplyFixes.h"
#include "report/FixesYaml.h"
#include "report/Writers.h"

#include <fstream>
#include <gtest/gtest.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

namespace threadcheck::report {
namespace {

using checkers::Fix;
using checkers::Replacement;

Replacement rep(unsigned offset, unsigned length, std::string text, std::string file = "/a.cpp") {
  return {std::move(file), offset, length, std::move(text)};
}

std::optional<size_t> size100(const std::string&) {
  return 100;
}

TEST(FixConflicts, OverlapsSameStartsAndInsertionsInside) {
  EXPECT_TRUE(conflicts(rep(10, 5, "x"), rep(12, 5, "y")));  // overlapping ranges
  EXPECT_FALSE(conflicts(rep(10, 5, "x"), rep(15, 5, "y"))); // adjacent
  EXPECT_TRUE(conflicts(rep(10, 0, "a"), rep(10, 0, "b")));  // two insertions, order unknown
  EXPECT_TRUE(conflicts(rep(10, 0, "a"), rep(10, 3, "b")));  // insertion where a range starts
  EXPECT_TRUE(conflicts(rep(12, 0, "a"), rep(10, 5, "b")));  // insertion inside a range
  EXPECT_FALSE(conflicts(rep(15, 0, "a"), rep(10, 5, "b"))); // insertion at its end
  EXPECT_FALSE(conflicts(rep(10, 5, "x"), rep(10, 5, "x"))); // identical: one edit
  EXPECT_FALSE(conflicts(rep(10, 5, "x"), rep(10, 5, "y", "/b.cpp"))); // other file
}

TEST(PlanFixes, WholeFixesInOrderSharedOnesMergedOverlapsRefused) {
  Fix first{"first", {rep(10, 2, "A"), rep(40, 0, "B")}};
  Fix same{"same as first", {rep(10, 2, "A"), rep(40, 0, "B")}};
  Fix overlapping{"overlaps first", {rep(60, 1, "C"), rep(11, 3, "D")}};
  Fix other{"elsewhere", {rep(80, 1, "E")}};
  FixPlan plan = planFixes({{&first, "unnamed-lock-guard at a.cpp:1"},
                            {&same, "lock-not-released at a.cpp:2"},
                            {&overlapping, "lock-not-released at a.cpp:3"},
                            {&other, "double-lock at a.cpp:4"}},
                           size100);
  ASSERT_EQ(plan.refusals.size(), 4u);
  EXPECT_EQ(plan.refusals[0], "");
  EXPECT_EQ(plan.refusals[1], "");
  EXPECT_EQ(plan.refusals[2],
            "it overlaps the fix for unnamed-lock-guard at a.cpp:1, which was applied");
  EXPECT_EQ(plan.refusals[3], "");
  // The refused fix leaves nothing behind, not even its non-overlapping replacement at 60.
  ASSERT_EQ(plan.edits.size(), 1u);
  EXPECT_EQ(plan.edits["/a.cpp"],
            (std::vector<Replacement>{rep(10, 2, "A"), rep(40, 0, "B"), rep(80, 1, "E")}));
}

TEST(PlanFixes, StaleAndUnreadableFilesAreRefused) {
  Fix pastEnd{"past the end", {rep(99, 2, "x")}};
  Fix unreadable{"unreadable", {rep(0, 0, "x", "/gone.cpp")}};
  Fix selfOverlap{"self", {rep(5, 5, "x"), rep(7, 1, "y")}};
  FixPlan plan = planFixes({{&pastEnd, "a"}, {&unreadable, "b"}, {&selfOverlap, "c"}},
                           [](const std::string& f) {
                             return f == "/a.cpp" ? std::optional<size_t>(100) : std::nullopt;
                           });
  EXPECT_EQ(plan.refusals[0], "/a.cpp has changed since it was analysed");
  EXPECT_EQ(plan.refusals[1], "/gone.cpp cannot be read");
  EXPECT_EQ(plan.refusals[2], "its own replacements overlap");
  EXPECT_TRUE(plan.edits.empty());
}

TEST(ApplyReplacements, InsertsReplacesAndDeletes) {
  std::string text = "  m.lock();\n  f();\n  m.unlock();\n";
  std::vector<Replacement> edits = {rep(2, 9, "std::scoped_lock lock(m);"), rep(18, 14, "")};
  EXPECT_EQ(applyReplacements(text, edits), "  std::scoped_lock lock(m);\n  f();\n");
  EXPECT_EQ(applyReplacements("ab", {rep(1, 0, "X")}), "aXb");
  EXPECT_EQ(applyReplacements("ab", {}), "ab");
}

class TempDir : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("threadcheck-fixes", dir_));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir_); }
  std::string path(const char* name) { return (dir_ + "/" + name).str(); }
  static std::string read(const std::string& p) {
    auto buf = llvm::MemoryBuffer::getFile(p);
    return buf ? (*buf)->getBuffer().str() : "<unreadable>";
  }
  static void write(const std::string& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  llvm::SmallString<128> dir_;
};

using ApplyFixPlan = TempDir;

TEST_F(ApplyFixPlan, RewritesEveryFileOfThePlan) {
  write(path("a.cpp"), "int a = 1;\r\nint b = 2;\r\n");
  write(path("b.h"), "x");
  Fix fa{"a", {rep(8, 1, "10", path("a.cpp")), rep(20, 1, "20", path("a.cpp"))}};
  Fix fb{"b", {rep(1, 0, "y", path("b.h"))}};
  FixPlan plan = planFixes({{&fa, "a"}, {&fb, "b"}}, fileSizeOnDisk);
  ASSERT_FALSE(applyFixPlan(plan));
  EXPECT_EQ(read(path("a.cpp")), "int a = 10;\r\nint b = 20;\r\n"); // bytes, CRLF kept
  EXPECT_EQ(read(path("b.h")), "xy");
}

TEST_F(ApplyFixPlan, AFileThatShrankIsAnErrorAndStaysUntouched) {
  write(path("a.cpp"), "short");
  FixPlan plan;
  plan.edits[path("a.cpp")] = {rep(10, 1, "x", path("a.cpp"))};
  llvm::Error e = applyFixPlan(plan);
  ASSERT_TRUE(bool(e));
  EXPECT_EQ(llvm::toString(std::move(e)),
            "--fix: " + path("a.cpp") + ": has changed since it was analysed");
  EXPECT_EQ(read(path("a.cpp")), "short");
}

// A read-only file (generated, vendored) is never rewritten, root or not: its fixes are refused
// and the other files' fixes still apply.
TEST_F(ApplyFixPlan, ReadOnlyFilesAreLeftAsTheyAre) {
  write(path("ro.cpp"), "int a = 1;\n");
  write(path("rw.cpp"), "int b = 2;\n");
  ASSERT_FALSE(llvm::sys::fs::setPermissions(path("ro.cpp"), llvm::sys::fs::perms(0444)));
  Fix fro{"ro", {rep(8, 1, "10", path("ro.cpp"))}};
  Fix frw{"rw", {rep(8, 1, "20", path("rw.cpp"))}};
  FixPlan plan = planFixes({{&fro, "a"}, {&frw, "b"}}, fileSizeOnDisk, fileIsReadOnly);
  EXPECT_EQ(plan.refusals[0], path("ro.cpp") + " is read-only (its mode grants no write "
                                               "permission): it is left as it is");
  EXPECT_EQ(plan.refusals[1], "");
  ASSERT_FALSE(applyFixPlan(plan));
  EXPECT_EQ(read(path("ro.cpp")), "int a = 1;\n");
  EXPECT_EQ(read(path("rw.cpp")), "int b = 20;\n");
  EXPECT_FALSE(fileIsReadOnly(path("rw.cpp")));
}

ReportedFinding unnamedGuard(const std::string& file) {
  ReportedFinding rf;
  rf.finding.checkId = "unnamed-lock-guard";
  rf.finding.loc = {file, 2, 3};
  rf.finding.message = "it's a 'temporary'";
  rf.finding.notes = {{{file, 1, 1}, "declared here", 0}};
  rf.finding.fix =
      Fix{"name the guard 'lock'", {rep(18, 3, " lock(m)", file), rep(30, 0, "\n}", file)}};
  rf.fingerprint = "00000000000000aa";
  return rf;
}

using FixesYaml = TempDir;

// The layout and quoting of clang-tidy --export-fixes (clang-tidy 19's own output for a
// multi-line replacement is double-quoted with "\n", single quotes doubled in quoted scalars).
TEST_F(FixesYaml, ClangTidyLayout) {
  std::string file = path("a.cpp");
  write(file, "std::mutex m;\r\n  std::lock_guard{m};\n");
  ReportedFinding withFix = unnamedGuard(file);
  ReportedFinding plain;
  plain.finding.checkId = "double-lock";
  plain.finding.loc = {file, 1, 6};
  plain.finding.message = "locked twice";
  SourceFiles files;
  std::string out;
  llvm::raw_string_ostream os(out);
  writeFixesYaml(os, {withFix, plain}, file, "/build", files);
  os.flush();
  EXPECT_EQ(out, "---\n"
                 "MainSourceFile:  '" +
                     file +
                     "'\n"
                     "Diagnostics:\n"
                     "  - DiagnosticName:  unnamed-lock-guard\n"
                     "    DiagnosticMessage:\n"
                     "      Message:         'it''s a ''temporary'''\n"
                     "      FilePath:        '" +
                     file +
                     "'\n"
                     "      FileOffset:      17\n"
                     "      Replacements:\n"
                     "        - FilePath:        '" +
                     file +
                     "'\n"
                     "          Offset:          18\n"
                     "          Length:          3\n"
                     "          ReplacementText: ' lock(m)'\n"
                     "        - FilePath:        '" +
                     file +
                     "'\n"
                     "          Offset:          30\n"
                     "          Length:          0\n"
                     "          ReplacementText: \"\\n}\"\n"
                     "    Notes:\n"
                     "      - Message:         declared here\n"
                     "        FilePath:        '" +
                     file +
                     "'\n"
                     "        FileOffset:      0\n"
                     "        Replacements:    []\n"
                     "    Level:           Warning\n"
                     "    BuildDirectory:  '/build'\n"
                     "  - DiagnosticName:  double-lock\n"
                     "    DiagnosticMessage:\n"
                     "      Message:         locked twice\n"
                     "      FilePath:        '" +
                     file +
                     "'\n"
                     "      FileOffset:      5\n"
                     "      Replacements:    []\n"
                     "    Level:           Warning\n"
                     "    BuildDirectory:  '/build'\n"
                     "...\n");
}

TEST(FixWriters, SarifFixesAndJsonFix) {
  Report r;
  r.findings = {unnamedGuard("/repo/src/a.cpp")};
  r.translationUnits = 1;
  ReportContext context{"/repo", "/repo", "1.0"};
  std::string sarif, json;
  llvm::raw_string_ostream s(sarif), j(json);
  writeSarif(s, r, context);
  writeJson(j, r, context);
  s.flush();
  j.flush();

  auto parsed = llvm::json::parse(sarif);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object* result = parsed->getAsObject()
                                         ->getArray("runs")
                                         ->front()
                                         .getAsObject()
                                         ->getArray("results")
                                         ->front()
                                         .getAsObject();
  EXPECT_EQ(result->getString("level"), "warning");
  EXPECT_EQ(result->getString("kind"), std::nullopt);
  const llvm::json::Object* fix = result->getArray("fixes")->front().getAsObject();
  EXPECT_EQ(fix->getObject("description")->getString("text"), "name the guard 'lock'");
  const llvm::json::Object* change = fix->getArray("artifactChanges")->front().getAsObject();
  EXPECT_EQ(change->getObject("artifactLocation")->getString("uri"), "src/a.cpp");
  EXPECT_EQ(change->getObject("artifactLocation")->getString("uriBaseId"), "SRCROOT");
  const llvm::json::Array* reps = change->getArray("replacements");
  ASSERT_EQ(reps->size(), 2u);
  const llvm::json::Object* second = (*reps)[1].getAsObject();
  EXPECT_EQ(second->getObject("deletedRegion")->getInteger("byteOffset"), 30);
  EXPECT_EQ(second->getObject("deletedRegion")->getInteger("byteLength"), 0);
  EXPECT_EQ(second->getObject("insertedContent")->getString("text"), "\n}");

  auto pj = llvm::json::parse(json);
  ASSERT_TRUE(bool(pj));
  const llvm::json::Object* finding =
      pj->getAsObject()->getArray("findings")->front().getAsObject();
  const llvm::json::Object* jfix = finding->getObject("fix");
  ASSERT_NE(jfix, nullptr);
  EXPECT_EQ(jfix->getString("description"), "name the guard 'lock'");
  const llvm::json::Object* r0 = jfix->getArray("replacements")->front().getAsObject();
  EXPECT_EQ(r0->getString("file"), "src/a.cpp");
  EXPECT_EQ(r0->getInteger("offset"), 18);
  EXPECT_EQ(r0->getInteger("length"), 3);
  EXPECT_EQ(r0->getString("text"), " lock(m)");
  EXPECT_EQ(finding->get("fixed"), nullptr) << "no --fix, no fixed field";
}

TEST(FixWriters, FixedFindingsAreNotOpen) {
  Report r;
  r.fixing = true;
  r.findings = {unnamedGuard("/repo/a.cpp"), unnamedGuard("/repo/b.cpp")};
  r.findings[0].fixOutcome = FixOutcome::Applied;
  r.findings[1].fixOutcome = FixOutcome::Refused;
  r.findings[1].fixRefusal = "it overlaps the fix for x";
  r.translationUnits = 2;
  EXPECT_FALSE(isOpen(r.findings[0]));
  EXPECT_TRUE(isOpen(r.findings[1]));
  EXPECT_EQ(summaryLine(r),
            "1 finding in 1 file left open, 1 fixed (2 translation units analysed)");

  ReportContext context{"/repo", "/repo", "1.0"};
  SourceFiles files;
  std::string text;
  llvm::raw_string_ostream os(text);
  writeText(os, r, context, files);
  os.flush();
  EXPECT_NE(text.find("note: fix applied: name the guard 'lock'\n"), std::string::npos) << text;
  EXPECT_NE(text.find("note: fix not applied: it overlaps the fix for x\n"), std::string::npos);

  std::string sarif;
  llvm::raw_string_ostream s(sarif);
  writeSarif(s, r, context);
  s.flush();
  auto parsed = llvm::json::parse(sarif);
  ASSERT_TRUE(bool(parsed));
  const llvm::json::Array* results =
      parsed->getAsObject()->getArray("runs")->front().getAsObject()->getArray("results");
  const llvm::json::Object* fixed = (*results)[0].getAsObject();
  const llvm::json::Object* refused = (*results)[1].getAsObject();
  EXPECT_EQ(fixed->getString("kind"), "pass");
  EXPECT_EQ(fixed->getString("level"), "none");
  EXPECT_EQ(fixed->getObject("properties")->getBoolean("fixApplied"), true);
  EXPECT_EQ(refused->getString("level"), "warning");
  EXPECT_EQ(refused->getObject("properties")->getString("fixRefusal"), "it overlaps the fix for x");
}

} // namespace
} // namespace threadcheck::report
