#include "report/Paths.h"
#include "report/Writers.h"
#include "threadcheck/checkers/CheckRegistry.h"

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>
#include <map>

namespace threadcheck::report {
namespace {

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kSrcRoot = "SRCROOT";
constexpr const char* kFingerprintKey = "threadcheckFingerprint/v1";

class SarifEmitter {
public:
  SarifEmitter(llvm::raw_ostream& os, const ReportContext& context)
      : j_(os, 2), context_(context) {}

  void emit(const Report& report) {
    j_.object([&] {
      j_.attribute("$schema", kSchema);
      j_.attribute("version", "2.1.0");
      j_.attributeArray("runs", [&] { j_.object([&] { emitRun(report); }); });
    });
  }

private:
  void emitRun(const Report& report) {
    const std::vector<checkers::CheckInfo>& checks = checkers::allChecks();
    std::map<std::string, size_t> ruleIndex;
    for (size_t i = 0; i < checks.size(); ++i)
      ruleIndex[checks[i].id] = i;

    j_.attributeObject("tool", [&] {
      j_.attributeObject("driver", [&] {
        j_.attribute("name", "threadcheck");
        j_.attribute("version", context_.toolVersion);
        j_.attributeArray("rules", [&] {
          for (const checkers::CheckInfo& c : checks)
            j_.object([&] {
              j_.attribute("id", c.id);
              j_.attributeObject("shortDescription", [&] { j_.attribute("text", c.description); });
              j_.attributeObject("defaultConfiguration", [&] {
                // SARIF's "enabled" is true unless said otherwise: only opt-in checks say it.
                if (!c.onByDefault)
                  j_.attribute("enabled", false);
                j_.attribute("level", "warning");
              });
            });
        });
      });
    });
    j_.attributeObject("originalUriBaseIds", [&] {
      j_.attributeObject(kSrcRoot, [&] {
        j_.attribute("uri", fileUri(context_.sourceRoot, /*trailingSlash=*/true));
      });
    });
    j_.attributeArray("invocations", [&] {
      j_.object([&] {
        j_.attribute("executionSuccessful", report.errors.empty());
        j_.attributeArray("toolExecutionNotifications", [&] {
          for (const UnitError& e : report.errors)
            j_.object([&] {
              j_.attribute("level", "error");
              j_.attributeObject("message", [&] { j_.attribute("text", e.message); });
              j_.attributeArray("locations", [&] {
                j_.object(
                    [&] { j_.attributeObject("physicalLocation", [&] { emitArtifact(e.file); }); });
              });
            });
          for (const checkers::IncompleteFunction& f : report.incomplete)
            j_.object([&] {
              j_.attribute("level", "note");
              j_.attributeObject("message", [&] {
                j_.attribute("text", "'" + f.name +
                                         "' has too many paths to analyse within the budget; "
                                         "nothing is reported inside it");
              });
              j_.attributeArray("locations", [&] {
                j_.object([&] {
                  j_.attributeObject("physicalLocation", [&] {
                    emitArtifact(f.loc.file);
                    j_.attributeObject("region", [&] { j_.attribute("startLine", f.loc.line); });
                  });
                });
              });
            });
        });
      });
    });
    j_.attributeArray("results", [&] {
      for (const ReportedFinding& rf : report.findings) {
        auto it = ruleIndex.find(rf.finding.checkId);
        j_.object(
            [&] { emitResult(rf, it == ruleIndex.end() ? std::optional<size_t>() : it->second); });
      }
    });
  }

  void emitResult(const ReportedFinding& rf, std::optional<size_t> ruleIndex) {
    const checkers::Finding& f = rf.finding;
    j_.attribute("ruleId", f.checkId);
    if (ruleIndex)
      j_.attribute("ruleIndex", static_cast<int64_t>(*ruleIndex));
    // A finding that --fix has fixed is no longer a failure of the rule at this place.
    if (rf.fixOutcome == FixOutcome::Applied) {
      j_.attribute("kind", "pass");
      j_.attribute("level", "none");
    } else {
      j_.attribute("level", "warning");
    }
    j_.attributeObject("message", [&] { j_.attribute("text", f.message); });
    j_.attributeArray("locations", [&] {
      j_.object([&] {
        j_.attributeObject("physicalLocation", [&] { emitPhysical(f.loc); });
        if (!f.function.empty())
          j_.attributeArray("logicalLocations", [&] {
            j_.object([&] {
              j_.attribute("fullyQualifiedName", f.function);
              j_.attribute("kind", "function");
            });
          });
      });
    });
    std::vector<const checkers::Note*> located;
    for (const checkers::Note& n : f.notes)
      if (n.loc.valid())
        located.push_back(&n);
    if (!located.empty()) {
      j_.attributeArray("relatedLocations", [&] {
        for (size_t i = 0; i < located.size(); ++i)
          j_.object([&] {
            j_.attribute("id", static_cast<int64_t>(i + 1));
            j_.attributeObject("physicalLocation", [&] { emitPhysical(located[i]->loc); });
            j_.attributeObject("message", [&] { j_.attribute("text", located[i]->message); });
          });
      });
      // One thread flow per chain of notes, in the order the engine gave them.
      std::map<unsigned, std::vector<const checkers::Note*>> flows;
      for (const checkers::Note* n : located)
        flows[n->flow].push_back(n);
      j_.attributeArray("codeFlows", [&] {
        j_.object([&] {
          j_.attributeArray("threadFlows", [&] {
            for (const auto& [flow, notes] : flows)
              j_.object([&] {
                j_.attributeArray("locations", [&] {
                  for (const checkers::Note* n : notes)
                    j_.object([&] {
                      j_.attributeObject("location", [&] {
                        j_.attributeObject("physicalLocation", [&] { emitPhysical(n->loc); });
                        j_.attributeObject("message", [&] { j_.attribute("text", n->message); });
                      });
                    });
                });
              });
          });
        });
      });
    }
    j_.attributeObject("partialFingerprints",
                       [&] { j_.attribute(kFingerprintKey, rf.fingerprint); });
    if (f.fix)
      emitFix(*f.fix);
    if (rf.fixOutcome != FixOutcome::NotRequested)
      j_.attributeObject("properties", [&] {
        j_.attribute("fixApplied", rf.fixOutcome == FixOutcome::Applied);
        if (!rf.fixRefusal.empty())
          j_.attribute("fixRefusal", rf.fixRefusal);
      });
  }

  // SARIF's fix: one artifactChange per file, each replacement a deleted byte region and the
  // content inserted there.
  void emitFix(const checkers::Fix& fix) {
    std::map<std::string, std::vector<const checkers::Replacement*>> byFile;
    for (const checkers::Replacement& r : fix.replacements)
      byFile[r.file].push_back(&r);
    j_.attributeArray("fixes", [&] {
      j_.object([&] {
        j_.attributeObject("description", [&] { j_.attribute("text", fix.description); });
        j_.attributeArray("artifactChanges", [&] {
          for (const auto& [file, replacements] : byFile)
            j_.object([&] {
              emitArtifact(file);
              j_.attributeArray("replacements", [&] {
                for (const checkers::Replacement* r : replacements)
                  j_.object([&] {
                    j_.attributeObject("deletedRegion", [&] {
                      j_.attribute("byteOffset", r->offset);
                      j_.attribute("byteLength", r->length);
                    });
                    j_.attributeObject("insertedContent", [&] { j_.attribute("text", r->text); });
                  });
              });
            });
        });
      });
    });
  }

  void emitPhysical(const checkers::Location& loc) {
    emitArtifact(loc.file);
    j_.attributeObject("region", [&] {
      j_.attribute("startLine", loc.line);
      if (loc.column)
        j_.attribute("startColumn", loc.column);
    });
  }

  // Files under the source root are written relative to SRCROOT so results do not depend on
  // where the checkout was; anything else gets an absolute file:// URI.
  void emitArtifact(const std::string& file) {
    j_.attributeObject("artifactLocation", [&] {
      if (std::optional<std::string> rel = relativeTo(file, context_.sourceRoot)) {
        j_.attribute("uri", uriEncodePath(*rel));
        j_.attribute("uriBaseId", kSrcRoot);
      } else {
        j_.attribute("uri", fileUri(file));
      }
    });
  }

  llvm::json::OStream j_;
  const ReportContext& context_;
};

} // namespace

void writeSarif(llvm::raw_ostream& os, const Report& report, const ReportContext& context) {
  SarifEmitter(os, context).emit(report);
  os << "\n";
}

} // namespace threadcheck::report
