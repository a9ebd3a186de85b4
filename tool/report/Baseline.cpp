#include "report/Baseline.h"

#include "common/JsonNesting.h"
#include "report/Paths.h"

#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

namespace threadcheck::report {
namespace {

llvm::Error baselineError(const std::string& name, const llvm::Twine& why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), name + ": " + why);
}

} // namespace

llvm::Expected<std::set<std::string>> parseBaseline(llvm::StringRef text, const std::string& name) {
  if (std::optional<std::string> deep = jsonNestingError(text))
    return baselineError(name, "malformed baseline: " + *deep);
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(text);
  if (!value)
    return baselineError(name, "malformed baseline: " + llvm::toString(value.takeError()));
  const llvm::json::Object* root = value->getAsObject();
  if (!root)
    return baselineError(name, "malformed baseline: expected a JSON object");
  if (root->getString("tool") != "threadcheck")
    return baselineError(name, "not a threadcheck baseline (\"tool\" is not \"threadcheck\")");
  if (root->getInteger("version") != 1)
    return baselineError(name, "unsupported baseline version (expected \"version\": 1)");
  const llvm::json::Array* entries = root->getArray("fingerprints");
  if (!entries)
    return baselineError(name, "malformed baseline: missing \"fingerprints\" array");
  std::set<std::string> fingerprints;
  for (size_t i = 0; i < entries->size(); ++i) {
    const llvm::json::Object* entry = (*entries)[i].getAsObject();
    std::optional<llvm::StringRef> fp = entry ? entry->getString("fingerprint") : std::nullopt;
    if (!fp || fp->empty())
      return baselineError(name, "malformed baseline: entry " + llvm::Twine(i) +
                                     " has no \"fingerprint\" string");
    fingerprints.insert(fp->str());
  }
  return fingerprints;
}

llvm::Expected<std::set<std::string>> readBaseline(const std::string& path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buf)
    return baselineError(path, "cannot read baseline: " + buf.getError().message());
  return parseBaseline((*buf)->getBuffer(), path);
}

void writeBaseline(llvm::raw_ostream& os, const std::vector<ReportedFinding>& findings,
                   const ReportContext& context) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("version", 1);
    j.attribute("tool", "threadcheck");
    j.attributeArray("fingerprints", [&] {
      for (const ReportedFinding& rf : findings)
        j.object([&] {
          j.attribute("fingerprint", rf.fingerprint);
          j.attribute("check", rf.finding.checkId);
          j.attribute("file", displayPath(rf.finding.loc.file, context.sourceRoot));
          j.attribute("message", rf.finding.message);
        });
    });
  });
  os << "\n";
}

} // namespace threadcheck::report
