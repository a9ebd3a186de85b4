#include "report/Paths.h"
#include "report/Writers.h"

#include <llvm/Support/raw_ostream.h>
#include <set>

namespace threadcheck::report {
namespace {

constexpr unsigned kTabStop = 8;

// Clang's snippet: tabs expanded, and a caret under the display column of the byte `column`.
// UTF-8 continuation bytes take no column, so the caret stays under the right character.
void writeSnippet(llvm::raw_ostream& os, std::string_view text, unsigned lineNo, unsigned column) {
  std::string expanded;
  unsigned caretCol = 0;
  unsigned displayCol = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i + 1 == column)
      caretCol = displayCol;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\t') {
      unsigned spaces = kTabStop - displayCol % kTabStop;
      expanded.append(spaces, ' ');
      displayCol += spaces;
    } else {
      expanded += static_cast<char>(c);
      if ((c & 0xC0) != 0x80)
        ++displayCol;
    }
  }
  if (column > text.size())
    caretCol = displayCol + (column - 1 - static_cast<unsigned>(text.size()));
  std::string number = std::to_string(lineNo);
  size_t width = std::max<size_t>(5, number.size());
  os.indent(static_cast<unsigned>(width - number.size())) << number << " | " << expanded << "\n";
  os.indent(static_cast<unsigned>(width)) << " | ";
  os.indent(caretCol) << "^\n";
}

} // namespace

void writeText(llvm::raw_ostream& os, const Report& report, const ReportContext& context,
               SourceFiles& files) {
  for (const ReportedFinding& rf : report.findings) {
    const checkers::Finding& f = rf.finding;
    os << displayPath(f.loc.file, context.cwd) << ":" << f.loc.line << ":" << f.loc.column
       << ": warning: " << f.message << " [" << f.checkId << "]\n";
    if (std::optional<std::string_view> text = files.line(f.loc.file, f.loc.line))
      writeSnippet(os, *text, f.loc.line, std::max(1u, f.loc.column));
    for (const checkers::Note& n : f.notes) {
      if (n.loc.valid())
        os << displayPath(n.loc.file, context.cwd) << ":" << n.loc.line << ":" << n.loc.column
           << ": ";
      os << "note: " << n.message << "\n";
    }
    if (!f.fix)
      continue;
    switch (rf.fixOutcome) {
    case FixOutcome::NotRequested:
      os << "note: fix available (--fix): " << f.fix->description << "\n";
      break;
    case FixOutcome::Applied:
      os << "note: fix applied: " << f.fix->description << "\n";
      break;
    case FixOutcome::Refused:
      os << "note: fix not applied: " << rf.fixRefusal << "\n";
      break;
    }
  }
}

std::string summaryLine(const Report& report) {
  auto plural = [](size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::set<std::string> files;
  size_t open = 0;
  for (const ReportedFinding& rf : report.findings)
    if (isOpen(rf)) {
      files.insert(rf.finding.loc.file);
      ++open;
    }
  size_t fixed = report.findings.size() - open;
  std::string line = plural(open, "finding", "findings");
  if (open)
    line += " in " + plural(files.size(), "file", "files");
  if (report.fixing)
    line += " left open, " + std::to_string(fixed) + " fixed";
  line +=
      " (" + plural(report.translationUnits, "translation unit", "translation units") + " analysed";
  if (!report.errors.empty())
    line += ", " + std::to_string(report.errors.size()) + " failed";
  if (!report.incomplete.empty())
    line +=
        ", " + plural(report.incomplete.size(), "function", "functions") + " with too many paths";
  line += ")";
  std::vector<std::string> hidden;
  if (report.suppressedByNolint)
    hidden.push_back(std::to_string(report.suppressedByNolint) + " suppressed by NOLINT");
  if (report.suppressedByBaseline)
    hidden.push_back(std::to_string(report.suppressedByBaseline) + " in the baseline");
  for (size_t i = 0; i < hidden.size(); ++i)
    line += (i ? ", " : "; ") + hidden[i];
  return line;
}

} // namespace threadcheck::report
