#include "check/TranslationUnitRunner.h"

#include "check/CommandLineAdjuster.h"
#include "check/FactsCache.h"
#include "threadcheck/checkers/Frontend.h"

#include <atomic>
#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/CrashRecoveryContext.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/thread.h>
#include <mutex>

namespace threadcheck::check {
namespace {

// Clang's parser recurses deeply on heavy templates; give workers the stack clang asks for
// on its own main thread, and then some.
constexpr unsigned kWorkerStackSize = 16u << 20;

// A ClangTool over exactly one compile command, so a unit is parsed once even when the database
// lists its file more than once.
class SingleCommandDatabase : public clang::tooling::CompilationDatabase {
public:
  explicit SingleCommandDatabase(clang::tooling::CompileCommand command)
      : command_(std::move(command)) {}
  std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef) const override {
    return {command_};
  }
  std::vector<std::string> getAllFiles() const override { return {command_.Filename}; }

private:
  clang::tooling::CompileCommand command_;
};

class FactsActionFactory : public clang::tooling::FrontendActionFactory {
public:
  FactsActionFactory(checkers::TranslationUnitFacts& out, const checkers::CheckFilter& filter,
                     llvm::raw_ostream& diagnostics, std::vector<Dependency>* dependencies,
                     std::string directory)
      : out_(out), filter_(filter), diagnostics_(diagnostics), dependencies_(dependencies),
        directory_(std::move(directory)) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return checkers::createFactsAction(out_, filter_);
  }

  // As FrontendActionFactory's, except that the compiler's "N errors generated." goes to the
  // unit's diagnostics buffer, after the errors it counts, instead of straight to stderr.
  bool runInvocation(std::shared_ptr<clang::CompilerInvocation> invocation,
                     clang::FileManager* files,
                     std::shared_ptr<clang::PCHContainerOperations> pchOps,
                     clang::DiagnosticConsumer* diagConsumer) override {
    clang::CompilerInstance compiler(std::move(pchOps));
    compiler.setInvocation(std::move(invocation));
    compiler.setFileManager(files);
    compiler.setVerboseOutputStream(diagnostics_);
    // The action may refer to the compiler's members, so it must die first.
    std::unique_ptr<clang::FrontendAction> action = create();
    compiler.createDiagnostics(diagConsumer, /*ShouldOwnClient=*/false);
    if (!compiler.hasDiagnostics())
      return false;
    compiler.createSourceManager(*files);
    bool success = compiler.ExecuteAction(*action);
    if (success && dependencies_ && compiler.hasSourceManager())
      recordDependencies(compiler.getSourceManager(), *files);
    files->clearStatCache();
    return success;
  }

private:
  // Every file the parse read (the main file, headers, system headers), hashed as it was parsed,
  // for the cache key. Contents not kept in memory are read back from disk.
  void recordDependencies(clang::SourceManager& sm, clang::FileManager& files) {
    for (auto it = sm.fileinfo_begin(); it != sm.fileinfo_end(); ++it) {
      llvm::SmallString<256> path(it->first.getName());
      llvm::sys::fs::make_absolute(directory_, path);
      llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/false);
      std::optional<llvm::StringRef> contents = it->second->getBufferDataIfLoaded();
      std::unique_ptr<llvm::MemoryBuffer> reread;
      if (!contents) {
        auto buffer = files.getBufferForFile(it->first, /*isVolatile=*/true);
        if (!buffer) {
          // Unreadable now: no entry could ever be checked against it.
          dependencies_->clear();
          dependencies_ = nullptr;
          return;
        }
        reread = std::move(*buffer);
        contents = reread->getBuffer();
      }
      dependencies_->push_back({std::string(path), hashContents(*contents)});
    }
  }

  checkers::TranslationUnitFacts& out_;
  const checkers::CheckFilter& filter_;
  llvm::raw_ostream& diagnostics_;
  std::vector<Dependency>* dependencies_;
  std::string directory_;
};

// Formats diagnostics as clang does into a buffer, and remembers the first error for reports.
// Driver errors (a bad flag) arrive outside any source file, where TextDiagnosticPrinter cannot
// print them, so those are formatted here.
class CapturingDiagnostics : public clang::DiagnosticConsumer {
public:
  CapturingDiagnostics(llvm::raw_ostream& os, clang::DiagnosticOptions* opts)
      : os_(os), printer_(os, opts) {}

  void BeginSourceFile(const clang::LangOptions& lo, const clang::Preprocessor* pp) override {
    inSourceFile_ = true;
    printer_.BeginSourceFile(lo, pp);
  }
  void EndSourceFile() override {
    printer_.EndSourceFile();
    inSourceFile_ = false;
  }
  void finish() override { printer_.finish(); }

  void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                        const clang::Diagnostic& info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
    llvm::SmallString<128> text;
    info.FormatDiagnostic(text);
    if (level >= clang::DiagnosticsEngine::Error && firstError_.empty()) {
      firstError_ = std::string(text);
      if (info.hasSourceManager() && info.getLocation().isValid()) {
        clang::PresumedLoc loc = info.getSourceManager().getPresumedLoc(info.getLocation());
        if (loc.isValid())
          firstError_ = std::string(loc.getFilename()) + ":" + std::to_string(loc.getLine()) + ":" +
                        std::to_string(loc.getColumn()) + ": " + firstError_;
      }
    }
    if (inSourceFile_ && info.hasSourceManager())
      printer_.HandleDiagnostic(level, info);
    else if (level >= clang::DiagnosticsEngine::Error)
      os_ << "error: " << text << "\n";
  }

  const std::string& firstError() const { return firstError_; }

private:
  llvm::raw_ostream& os_;
  clang::TextDiagnosticPrinter printer_;
  bool inSourceFile_ = false;
  std::string firstError_;
};

// `dependencies` (when not null) receives the files the parse read.
void runOne(const clang::tooling::CompileCommand& command, const checkers::CheckFilter& filter,
            const RunOptions& options, UnitResult& result, std::vector<Dependency>* dependencies) {
  // ClangTool treats a missing working directory as a fatal error that ends the process.
  if (!llvm::sys::fs::is_directory(command.Directory)) {
    result.failure = "working directory '" + command.Directory +
                     "' of its compile command does "
                     "not exist";
    return;
  }
  llvm::raw_string_ostream diagStream(result.diagnostics);
  diagStream.enable_colors(options.colorDiagnostics);
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> diagOpts = new clang::DiagnosticOptions();
  diagOpts->ShowColors = options.colorDiagnostics;
  CapturingDiagnostics diagnostics(diagStream, diagOpts.get());

  SingleCommandDatabase db(command);
  // The default real file system follows the process working directory, and ClangTool would
  // chdir the whole process into each command's directory: a race between threads. A physical
  // file system with its own working directory keeps every unit's directory to itself.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs(
      llvm::vfs::createPhysicalFileSystem().release());
  clang::tooling::ClangTool tool(db, {command.Filename},
                                 std::make_shared<clang::PCHContainerOperations>(), fs);
  tool.clearArgumentsAdjusters();
  tool.appendArgumentsAdjuster(makeCommandLineAdjuster(options.resourceDir, command.Directory));
  tool.setDiagnosticConsumer(&diagnostics);
  tool.setPrintErrorMessage(false);
  FactsActionFactory factory(result.facts, filter, diagStream, dependencies, command.Directory);
  int status = tool.run(&factory);
  diagStream.flush();

  result.ok = status == 0 && diagnostics.getNumErrors() == 0;
  if (!result.ok) {
    unsigned errors = diagnostics.getNumErrors();
    result.failure = errors ? "failed to parse (" + std::to_string(errors) +
                                  (errors == 1 ? " error" : " errors") +
                                  "): " + diagnostics.firstError()
                            : "failed to parse";
  }
}

} // namespace

std::vector<UnitResult>
runTranslationUnits(const std::vector<clang::tooling::CompileCommand>& units,
                    const checkers::CheckFilter& filter, const RunOptions& options,
                    const std::function<void(size_t, const UnitResult&)>& onDone) {
  std::vector<UnitResult> results(units.size());
  std::atomic<size_t> next{0};
  std::mutex doneMutex;
  // An engine crash in one unit is reported as that unit's failure instead of losing the rest.
  llvm::CrashRecoveryContext::Enable();

  auto worker = [&] {
    for (size_t i = next++; i < units.size(); i = next++) {
      UnitResult& r = results[i];
      if (options.stop && options.stop->load()) {
        r.ok = false;
        r.interrupted = true;
        r.failure = "not analysed: interrupted";
        std::lock_guard<std::mutex> lock(doneMutex);
        onDone(i, r);
        continue;
      }
      std::string cacheKey;
      if (options.cache) {
        cacheKey = options.cache->keyFor(
            units[i],
            adjustCommandLine(units[i].CommandLine, options.resourceDir, units[i].Directory));
        if (std::optional<checkers::TranslationUnitFacts> cached = options.cache->load(cacheKey)) {
          r.facts = std::move(*cached);
          r.ok = r.fromCache = true;
        }
      }
      std::vector<Dependency> dependencies;
      llvm::CrashRecoveryContext crc;
      if (r.fromCache) {
        // Nothing to parse.
      } else if (!crc.RunSafely([&] {
                   runOne(units[i], filter, options, r, options.cache ? &dependencies : nullptr);
                 })) {
        r.ok = false;
        r.facts = checkers::TranslationUnitFacts();
        r.failure = "internal error: threadcheck crashed while analysing this file";
      } else if (r.ok && options.cache && !dependencies.empty()) {
        options.cache->store(cacheKey, r.facts, dependencies);
      }
      std::lock_guard<std::mutex> lock(doneMutex);
      onDone(i, r);
    }
  };

  unsigned threads = std::max(1u, std::min<unsigned>(options.jobs, units.size()));
  std::vector<llvm::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back(std::optional<unsigned>(kWorkerStackSize), worker);
  for (llvm::thread& t : pool)
    t.join();
  return results;
}

} // namespace threadcheck::check
