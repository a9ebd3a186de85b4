#include "RunReport.h"

#include "Json.h"
#include "ScheduleFile.h"

namespace threadcheck::run {
namespace {

void printIndented(FILE* out, const std::string& text, const char* prefix) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos)
      nl = text.size();
    fprintf(out, "%s%.*s\n", prefix, static_cast<int>(nl - start), text.c_str() + start);
    start = nl + 1;
  }
}

void printFrames(FILE* out, const std::vector<Frame>& stack, const char* indent) {
  for (size_t i = 0; i < stack.size(); ++i) {
    const Frame& fr = stack[i];
    if (!fr.function.empty() && !fr.file.empty())
      fprintf(out, "%s#%zu %s at %s:%u\n", indent, i, fr.function.c_str(), fr.file.c_str(),
              fr.line);
    else if (!fr.function.empty())
      fprintf(out, "%s#%zu %s (%s+0x%llx)\n", indent, i, fr.function.c_str(), fr.module.c_str(),
              static_cast<unsigned long long>(fr.offset));
    else
      fprintf(out, "%s#%zu %s+0x%llx\n", indent, i, fr.module.c_str(),
              static_cast<unsigned long long>(fr.offset));
  }
}

} // namespace

void printFinding(FILE* out, const Finding& f, const std::string& replayHint) {
  fprintf(out, "threadcheck: %s in schedule %llu (seed %llu, %llu steps)\n", f.kind.c_str(),
          static_cast<unsigned long long>(f.index), static_cast<unsigned long long>(f.seed),
          static_cast<unsigned long long>(f.steps));
  fprintf(out, "  %s\n", f.message.c_str());
  for (const auto& t : f.threads) {
    if (t.access.empty())
      fprintf(out, "  thread %d '%s':\n", t.id, t.name.c_str());
    else
      fprintf(out, "  %s:\n", t.access.c_str());
    if (t.stack.empty())
      fprintf(out, "    (no stack)\n");
    printFrames(out, t.stack, "    ");
    // Which thread a leaked one is (it may never have run, or have finished): where it was made.
    if (!t.created.empty() && (f.kind == "thread-leak" || t.stack.size() <= 1)) {
      fprintf(out, "    created at:\n");
      printFrames(out, t.created, "      ");
    }
  }
  if (!f.events.empty()) {
    fprintf(out, "  last events of the schedule:\n");
    for (const auto& e : f.events) {
      fprintf(out, "    step %-5llu thread %d '%s' %s", static_cast<unsigned long long>(e.step),
              e.tid, e.threadName.c_str(), e.op.c_str());
      if (e.objId)
        fprintf(out, " %s #%u", e.objKind.c_str(), e.objId);
      if (!e.result.empty())
        fprintf(out, ": %s", e.result.c_str());
      fputc('\n', out);
    }
  }
  std::string output = f.prologue + f.output;
  if (!output.empty()) {
    fprintf(out, "  program output in this schedule:\n");
    printIndented(out, output, "    | ");
  }
  if (!f.scheduleFile.empty())
    fprintf(out, "  schedule saved to %s\n  reproduce with: %s\n", f.scheduleFile.c_str(),
            replayHint.c_str());
}

Json findingJson(const Finding& f) {
  Json fj = Json::object();
  fj.set("kind", Json::string(f.kind));
  fj.set("message", Json::string(f.message));
  fj.set("schedule_file", Json::string(f.scheduleFile));
  fj.set("seed", Json::integer(f.seed));
  fj.set("trace_hash", Json::string(f.traceHash));
  Json threads = Json::array();
  for (const auto& t : f.threads) {
    Json tj = Json::object();
    tj.set("id", Json::integer(static_cast<uint64_t>(t.id)));
    tj.set("name", Json::string(t.name));
    if (!t.access.empty())
      tj.set("access", Json::string(t.access));
    auto frames = [](const std::vector<Frame>& in) {
      Json stack = Json::array();
      for (const auto& fr : in) {
        Json frj = Json::object();
        frj.set("function", Json::string(fr.function));
        frj.set("file", Json::string(fr.file));
        frj.set("line", Json::integer(fr.line));
        stack.push(std::move(frj));
      }
      return stack;
    };
    tj.set("stack", frames(t.stack));
    if (!t.created.empty())
      tj.set("created", frames(t.created));
    threads.push(std::move(tj));
  }
  fj.set("threads", std::move(threads));
  return fj;
}

std::string writeJsonReport(const std::string& path, const std::string& outcome,
                            const ExploreResult& r) {
  Json j = Json::object();
  j.set("version", Json::integer(1));
  j.set("outcome", Json::string(outcome));
  j.set("schedules", Json::integer(r.schedules));
  j.set("elapsed_s", Json::number(r.elapsed));
  if (r.exhausted)
    j.set("exhausted", Json::boolean(true));
  if (r.budgetStopped)
    j.set("budget_stopped", Json::boolean(true));
  if (r.interrupted)
    j.set("interrupted", Json::boolean(true));
  if (!r.error.empty())
    j.set("error", Json::string(r.error));
  Json findings = Json::array();
  for (const auto& f : r.findings)
    findings.push(findingJson(f));
  j.set("findings", std::move(findings));
  return writeFileAtomically(path, j.dump());
}

} // namespace threadcheck::run
