#include "report/FixesYaml.h"

#include <llvm/Support/YAMLTraits.h>
#include <llvm/Support/raw_ostream.h>

// Plain mirrors of clang::tooling's TranslationUnitDiagnostics, Diagnostic, DiagnosticMessage and
// Replacement, mapped with the same keys in the same order as clang/Tooling/DiagnosticsYaml.h and
// ReplacementsYaml.h, and written by the same YAML emitter: the file is byte for byte what
// clang-tidy writes, without linking clang's tooling library into the report writers.
namespace threadcheck::report::tidy {

struct Replacement {
  std::string filePath;
  unsigned offset = 0;
  unsigned length = 0;
  std::string text;
};

struct Message {
  std::string message;
  std::string filePath;
  unsigned fileOffset = 0;
  std::vector<Replacement> replacements;
};

struct Diagnostic {
  std::string name;
  Message message;
  std::vector<Message> notes;
  std::string level = "Warning";
  std::string buildDirectory;
};

struct Document {
  std::string mainSourceFile;
  std::vector<Diagnostic> diagnostics;
};

} // namespace threadcheck::report::tidy

LLVM_YAML_IS_SEQUENCE_VECTOR(threadcheck::report::tidy::Replacement)
LLVM_YAML_IS_SEQUENCE_VECTOR(threadcheck::report::tidy::Message)
LLVM_YAML_IS_SEQUENCE_VECTOR(threadcheck::report::tidy::Diagnostic)

namespace llvm::yaml {

using namespace threadcheck::report;

template <> struct MappingTraits<tidy::Replacement> {
  static void mapping(IO& io, tidy::Replacement& r) {
    io.mapRequired("FilePath", r.filePath);
    io.mapRequired("Offset", r.offset);
    io.mapRequired("Length", r.length);
    io.mapRequired("ReplacementText", r.text);
  }
};

template <> struct MappingTraits<tidy::Message> {
  static void mapping(IO& io, tidy::Message& m) {
    io.mapRequired("Message", m.message);
    io.mapOptional("FilePath", m.filePath);
    io.mapOptional("FileOffset", m.fileOffset);
    io.mapRequired("Replacements", m.replacements);
  }
};

template <> struct MappingTraits<tidy::Diagnostic> {
  static void mapping(IO& io, tidy::Diagnostic& d) {
    io.mapRequired("DiagnosticName", d.name);
    io.mapRequired("DiagnosticMessage", d.message);
    io.mapOptional("Notes", d.notes);
    io.mapOptional("Level", d.level);
    io.mapOptional("BuildDirectory", d.buildDirectory);
  }
};

template <> struct MappingTraits<tidy::Document> {
  static void mapping(IO& io, tidy::Document& doc) {
    io.mapRequired("MainSourceFile", doc.mainSourceFile);
    io.mapRequired("Diagnostics", doc.diagnostics);
  }
};

} // namespace llvm::yaml

namespace threadcheck::report {

void writeFixesYaml(llvm::raw_ostream& os, const std::vector<ReportedFinding>& findings,
                    const std::string& mainSourceFile, const std::string& buildDirectory,
                    SourceFiles& files) {
  auto message = [&](const std::string& text, const checkers::Location& loc) {
    tidy::Message m;
    m.message = text;
    m.filePath = loc.file;
    m.fileOffset = files.offset(loc.file, loc.line, loc.column).value_or(0);
    return m;
  };
  tidy::Document doc;
  doc.mainSourceFile = mainSourceFile;
  for (const ReportedFinding& rf : findings) {
    const checkers::Finding& f = rf.finding;
    tidy::Diagnostic d;
    d.name = f.checkId;
    d.message = message(f.message, f.loc);
    if (f.fix)
      for (const checkers::Replacement& r : f.fix->replacements)
        d.message.replacements.push_back({r.file, r.offset, r.length, r.text});
    for (const checkers::Note& n : f.notes)
      if (n.loc.valid())
        d.notes.push_back(message(n.message, n.loc));
    d.buildDirectory = buildDirectory;
    doc.diagnostics.push_back(std::move(d));
  }
  llvm::yaml::Output out(os);
  out << doc;
}

} // namespace threadcheck::report
