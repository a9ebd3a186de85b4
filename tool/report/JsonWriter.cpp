#include "report/Paths.h"
#include "report/Writers.h"

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

namespace threadcheck::report {

void writeJson(llvm::raw_ostream& os, const Report& report, const ReportContext& context) {
  auto path = [&](const std::string& file) { return displayPath(file, context.sourceRoot); };
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("version", 1);
    j.attribute("tool", "threadcheck");
    j.attributeArray("findings", [&] {
      for (const ReportedFinding& rf : report.findings) {
        const checkers::Finding& f = rf.finding;
        j.object([&] {
          j.attribute("check", f.checkId);
          j.attribute("message", f.message);
          j.attribute("file", path(f.loc.file));
          j.attribute("line", f.loc.line);
          j.attribute("column", f.loc.column);
          j.attribute("function", f.function);
          j.attribute("fingerprint", rf.fingerprint);
          j.attributeArray("notes", [&] {
            for (const checkers::Note& n : f.notes)
              j.object([&] {
                j.attribute("file", n.loc.file.empty() ? std::string() : path(n.loc.file));
                j.attribute("line", n.loc.line);
                j.attribute("column", n.loc.column);
                j.attribute("message", n.message);
                j.attribute("flow", n.flow);
              });
          });
          if (f.fix)
            j.attributeObject("fix", [&] {
              j.attribute("description", f.fix->description);
              j.attributeArray("replacements", [&] {
                for (const checkers::Replacement& r : f.fix->replacements)
                  j.object([&] {
                    j.attribute("file", path(r.file));
                    j.attribute("offset", r.offset);
                    j.attribute("length", r.length);
                    j.attribute("text", r.text);
                  });
              });
            });
          if (rf.fixOutcome != FixOutcome::NotRequested)
            j.attribute("fixed", rf.fixOutcome == FixOutcome::Applied);
          if (!rf.fixRefusal.empty())
            j.attribute("fix_refused", rf.fixRefusal);
        });
      }
    });
    j.attributeArray("errors", [&] {
      for (const UnitError& e : report.errors)
        j.object([&] {
          j.attribute("file", path(e.file));
          j.attribute("message", e.message);
        });
    });
    j.attributeArray("incomplete_functions", [&] {
      for (const checkers::IncompleteFunction& f : report.incomplete)
        j.object([&] {
          j.attribute("function", f.name);
          j.attribute("file", path(f.loc.file));
          j.attribute("line", f.loc.line);
          j.attribute("reason", "too many paths to analyse within the budget");
        });
    });
    j.attribute("translation_units", report.translationUnits);
  });
  os << "\n";
}

} // namespace threadcheck::report
