#include "report/Writers.h"

#include "threadcheck/checkers/CheckRegistry.h"

#include <gtest/gtest.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

namespace threadcheck::report {
namespace {

const ReportContext kContext{"/repo", "/repo", "9.9.9"};

Report sampleReport() {
  Report r;
  ReportedFinding a;
  a.finding.checkId = "double-lock";
  a.finding.loc = {"/repo/src/a.cpp", 3, 2};
  a.finding.message = "'mu' is locked twice";
  a.finding.function = "work";
  a.finding.notes = {{{"/repo/src/a.cpp", 2, 3}, "'mu' acquired here", 0},
                     {{"/repo/src/a.cpp", 3, 2}, "acquired again here", 0},
                     {{"/repo/src/b.cpp", 9, 1}, "other thread path", 1}};
  a.fingerprint = "00000000000000aa";
  ReportedFinding b;
  b.finding.checkId = "lock-not-released";
  b.finding.loc = {"/outside/c d.cpp", 7, 1};
  b.finding.message = "lock \"m\" is not released";
  b.fingerprint = "00000000000000bb";
  r.findings = {a, b};
  r.errors = {{"/repo/src/broken.cpp", "failed to parse (1 error): x"}};
  r.translationUnits = 4;
  return r;
}

template <typename F> std::string render(F write) {
  std::string out;
  llvm::raw_string_ostream os(out);
  write(os);
  os.flush();
  return out;
}

TEST(TextWriter, ClangStyleWithSnippetCaretAndNotes) {
  SourceFiles files;
  files.setContents("/repo/src/a.cpp", "void work() {\n  mu.lock();\n\tmu.lock();\n}\n");
  Report r = sampleReport();
  r.findings.resize(1);
  std::string text = render([&](llvm::raw_ostream& os) { writeText(os, r, kContext, files); });
  EXPECT_EQ(text, "src/a.cpp:3:2: warning: 'mu' is locked twice [double-lock]\n"
                  "    3 |         mu.lock();\n"
                  "      |         ^\n"
                  "src/a.cpp:2:3: note: 'mu' acquired here\n"
                  "src/a.cpp:3:2: note: acquired again here\n"
                  "src/b.cpp:9:1: note: other thread path\n");
}

TEST(TextWriter, PathsOutsideTheCwdAreAbsoluteAndMissingSourceIsSkipped) {
  SourceFiles files;
  Report r = sampleReport();
  r.findings.erase(r.findings.begin());
  std::string text = render([&](llvm::raw_ostream& os) { writeText(os, r, kContext, files); });
  EXPECT_EQ(text, "/outside/c d.cpp:7:1: warning: lock \"m\" is not released "
                  "[lock-not-released]\n");
}

TEST(Summary, CountsFindingsFilesUnitsAndSuppressions) {
  Report r = sampleReport();
  EXPECT_EQ(summaryLine(r), "2 findings in 2 files (4 translation units analysed, 1 failed)");
  r.findings.resize(1);
  r.errors.clear();
  r.translationUnits = 1;
  r.suppressedByNolint = 2;
  r.suppressedByBaseline = 3;
  EXPECT_EQ(summaryLine(r), "1 finding in 1 file (1 translation unit analysed); 2 suppressed by "
                            "NOLINT, 3 in the baseline");
  r.findings.clear();
  r.suppressedByNolint = r.suppressedByBaseline = 0;
  EXPECT_EQ(summaryLine(r), "0 findings (1 translation unit analysed)");
}

llvm::json::Value parse(const std::string& text) {
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(text);
  EXPECT_TRUE(static_cast<bool>(v)) << text;
  return v ? std::move(*v) : llvm::json::Value(nullptr);
}

TEST(JsonWriter, DocumentedShape) {
  std::string text =
      render([&](llvm::raw_ostream& os) { writeJson(os, sampleReport(), kContext); });
  llvm::json::Value v = parse(text);
  const llvm::json::Object& root = *v.getAsObject();
  EXPECT_EQ(root.getInteger("version"), 1);
  EXPECT_EQ(root.getString("tool"), "threadcheck");
  EXPECT_EQ(root.getInteger("translation_units"), 4);
  const llvm::json::Array& findings = *root.getArray("findings");
  ASSERT_EQ(findings.size(), 2u);
  const llvm::json::Object& f = *findings[0].getAsObject();
  EXPECT_EQ(f.getString("check"), "double-lock");
  EXPECT_EQ(f.getString("message"), "'mu' is locked twice");
  EXPECT_EQ(f.getString("file"), "src/a.cpp");
  EXPECT_EQ(f.getInteger("line"), 3);
  EXPECT_EQ(f.getInteger("column"), 2);
  EXPECT_EQ(f.getString("function"), "work");
  EXPECT_EQ(f.getString("fingerprint"), "00000000000000aa");
  const llvm::json::Array& notes = *f.getArray("notes");
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[2].getAsObject()->getString("file"), "src/b.cpp");
  EXPECT_EQ(notes[2].getAsObject()->getInteger("flow"), 1);
  EXPECT_EQ(notes[0].getAsObject()->getString("message"), "'mu' acquired here");
  EXPECT_EQ(findings[1].getAsObject()->getString("file"), "/outside/c d.cpp");
  EXPECT_EQ(findings[1].getAsObject()->getString("message"), "lock \"m\" is not released");
  const llvm::json::Array& errors = *root.getArray("errors");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].getAsObject()->getString("file"), "src/broken.cpp");
}

TEST(SarifWriter, RequiredShape) {
  std::string text =
      render([&](llvm::raw_ostream& os) { writeSarif(os, sampleReport(), kContext); });
  llvm::json::Value v = parse(text);
  const llvm::json::Object& root = *v.getAsObject();
  EXPECT_EQ(root.getString("version"), "2.1.0");
  ASSERT_TRUE(root.getString("$schema"));
  const llvm::json::Array& runs = *root.getArray("runs");
  ASSERT_EQ(runs.size(), 1u);
  const llvm::json::Object& run = *runs[0].getAsObject();

  const llvm::json::Object& driver = *run.getObject("tool")->getObject("driver");
  EXPECT_EQ(driver.getString("name"), "threadcheck");
  EXPECT_EQ(driver.getString("version"), "9.9.9");
  const llvm::json::Array& rules = *driver.getArray("rules");
  ASSERT_EQ(rules.size(), checkers::allChecks().size());
  for (size_t i = 0; i < rules.size(); ++i) {
    EXPECT_EQ(rules[i].getAsObject()->getString("id"), checkers::allChecks()[i].id);
    EXPECT_TRUE(rules[i].getAsObject()->getObject("shortDescription")->getString("text"));
  }

  EXPECT_EQ(run.getObject("originalUriBaseIds")->getObject("SRCROOT")->getString("uri"),
            "file:///repo/");
  const llvm::json::Object& invocation = *run.getArray("invocations")->front().getAsObject();
  EXPECT_EQ(invocation.getBoolean("executionSuccessful"), false);
  const llvm::json::Array& notifications = *invocation.getArray("toolExecutionNotifications");
  ASSERT_EQ(notifications.size(), 1u);
  EXPECT_EQ(notifications[0].getAsObject()->getString("level"), "error");

  const llvm::json::Array& results = *run.getArray("results");
  ASSERT_EQ(results.size(), 2u);
  const llvm::json::Object& r0 = *results[0].getAsObject();
  EXPECT_EQ(r0.getString("ruleId"), "double-lock");
  std::optional<int64_t> ruleIndex = r0.getInteger("ruleIndex");
  ASSERT_TRUE(ruleIndex);
  EXPECT_EQ(rules[*ruleIndex].getAsObject()->getString("id"), "double-lock");
  EXPECT_EQ(r0.getString("level"), "warning");
  EXPECT_EQ(r0.getObject("message")->getString("text"), "'mu' is locked twice");
  const llvm::json::Object& phys =
      *r0.getArray("locations")->front().getAsObject()->getObject("physicalLocation");
  EXPECT_EQ(phys.getObject("artifactLocation")->getString("uri"), "src/a.cpp");
  EXPECT_EQ(phys.getObject("artifactLocation")->getString("uriBaseId"), "SRCROOT");
  EXPECT_EQ(phys.getObject("region")->getInteger("startLine"), 3);
  EXPECT_EQ(phys.getObject("region")->getInteger("startColumn"), 2);
  EXPECT_EQ(r0.getObject("partialFingerprints")->getString("threadcheckFingerprint/v1"),
            "00000000000000aa");

  const llvm::json::Array& related = *r0.getArray("relatedLocations");
  ASSERT_EQ(related.size(), 3u);
  EXPECT_EQ(related[0].getAsObject()->getInteger("id"), 1);
  EXPECT_EQ(related[0].getAsObject()->getObject("message")->getString("text"),
            "'mu' acquired here");
  const llvm::json::Array& flows =
      *r0.getArray("codeFlows")->front().getAsObject()->getArray("threadFlows");
  ASSERT_EQ(flows.size(), 2u); // notes of flow 0 and flow 1
  const llvm::json::Array& flow0 = *flows[0].getAsObject()->getArray("locations");
  ASSERT_EQ(flow0.size(), 2u);
  EXPECT_EQ(flow0[1].getAsObject()->getObject("location")->getObject("message")->getString("text"),
            "acquired again here");

  // Outside the source root: absolute URI, no base id; no notes: no codeFlows.
  const llvm::json::Object& r1 = *results[1].getAsObject();
  const llvm::json::Object& art1 = *r1.getArray("locations")
                                        ->front()
                                        .getAsObject()
                                        ->getObject("physicalLocation")
                                        ->getObject("artifactLocation");
  EXPECT_EQ(art1.getString("uri"), "file:///outside/c%20d.cpp");
  EXPECT_FALSE(art1.getString("uriBaseId"));
  EXPECT_EQ(r1.getArray("codeFlows"), nullptr);
}

TEST(SarifWriter, CleanRunIsSuccessfulWithNoResults) {
  Report r;
  r.translationUnits = 1;
  llvm::json::Value v = parse(render([&](llvm::raw_ostream& os) { writeSarif(os, r, kContext); }));
  const llvm::json::Object& run = *v.getAsObject()->getArray("runs")->front().getAsObject();
  EXPECT_TRUE(run.getArray("results")->empty());
  EXPECT_EQ(run.getArray("invocations")->front().getAsObject()->getBoolean("executionSuccessful"),
            true);
}

} // namespace
} // namespace threadcheck::report
