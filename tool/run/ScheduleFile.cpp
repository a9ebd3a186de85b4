#include "ScheduleFile.h"

#include "Json.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/random.h>
#include <unistd.h>

namespace threadcheck::run {

namespace {

// Creates `<path>.tmp-<random>` with O_EXCL|O_NOFOLLOW: in a shared output directory a name
// that can be guessed could be planted as a symlink and make the write land on its target.
// The mode is 0666 less the umask, as for any file the user's tools create.
int createTemporary(const std::string& path, std::string& tmp) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  for (int attempt = 0; attempt < 100; ++attempt) {
    unsigned char bytes[12];
    if (getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
      return -1;
    tmp = path + ".tmp-";
    for (unsigned char b : bytes)
      tmp += kDigits[b % 36];
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST)
      return fd;
  }
  return -1;
}

} // namespace

std::string writeFileAtomically(const std::string& path, const std::string& content) {
  std::string tmp;
  int fd = createTemporary(path, tmp);
  if (fd < 0)
    return "cannot write '" + path + "': " + strerror(errno);
  FILE* f = fdopen(fd, "w");
  if (!f) {
    int err = errno;
    close(fd);
    unlink(tmp.c_str());
    return "cannot write '" + path + "': " + strerror(err);
  }
  bool ok = fwrite(content.data(), 1, content.size(), f) == content.size();
  ok = fflush(f) == 0 && ok;
  ok = fsync(fileno(f)) == 0 && ok;
  ok = fclose(f) == 0 && ok;
  // rename() replaces whatever is at `path`, a symlink included, without following it.
  if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = "cannot write '" + path + "': " + strerror(errno);
    unlink(tmp.c_str());
    return err;
  }
  return "";
}

std::string writeSchedule(const std::string& path, const Schedule& s, const Finding& f) {
  Json j = Json::object();
  j.set("format", Json::string(kScheduleFormat));
  j.set("version", Json::integer(kScheduleVersion));
  Json prog = Json::array();
  for (const auto& a : s.argv)
    prog.push(Json::string(a));
  j.set("program", Json::string(s.argv.empty() ? "" : s.argv[0]));
  j.set("argv", std::move(prog));
  if (!s.test.empty())
    j.set("test", Json::string(s.test));
  j.set("strategy", Json::string(s.strategy));
  j.set("seed", Json::integer(s.seed));
  j.set("schedule_index", Json::integer(s.scheduleIndex));
  j.set("schedule_seed", Json::integer(s.scheduleSeed));
  j.set("max_steps", Json::integer(s.maxSteps));
  j.set("livelock_steps", Json::integer(s.livelockSteps));
  j.set("time_slice_us", Json::integer(s.timeSliceUs));
  j.set("steps", Json::integer(s.steps));
  j.set("trace_hash", Json::string(s.traceHash));
  Json dec = Json::array();
  for (uint32_t d : s.decisions)
    dec.push(Json::integer(d));
  j.set("decisions", std::move(dec));
  if (!s.accessPoints.empty()) {
    j.set("access_points", Json::string(s.accessPoints));
    Json pcs = Json::array();
    char hex[24];
    for (uint64_t pc : s.racyPcs) {
      snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(pc));
      pcs.push(Json::string(hex));
    }
    j.set("racy_pcs", std::move(pcs));
    if (!s.racySites.empty()) {
      Json sites = Json::array();
      for (const auto& site : s.racySites) {
        Json sj = Json::object();
        sj.set("module", Json::string(site.module));
        snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(site.offset));
        sj.set("offset", Json::string(hex));
        sites.push(std::move(sj));
      }
      j.set("racy_sites", std::move(sites));
    }
  }
  Json finding = Json::object();
  finding.set("kind", Json::string(s.kind));
  finding.set("message", Json::string(s.message));
  Json threads = Json::array();
  for (const auto& t : f.threads) {
    Json tj = Json::object();
    tj.set("id", Json::integer(static_cast<uint64_t>(t.id)));
    tj.set("name", Json::string(t.name));
    threads.push(std::move(tj));
  }
  finding.set("threads", std::move(threads));
  j.set("finding", std::move(finding));
  return writeFileAtomically(path, j.dump());
}

std::optional<Schedule> readSchedule(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read schedule file '" + path + "': " + strerror(errno);
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string perr;
  auto j = Json::parse(ss.str(), perr);
  if (!j) {
    error = "schedule file '" + path + "' is not valid JSON (corrupt or truncated): " + perr;
    return std::nullopt;
  }
  const Json* format = j->isObject() ? j->get("format") : nullptr;
  if (!format || !format->isString() || format->str() != kScheduleFormat) {
    error = "'" + path + "' is not a threadcheck schedule file";
    return std::nullopt;
  }
  const Json* version = j->get("version");
  if (!version || !version->u64() || *version->u64() != kScheduleVersion) {
    error = "schedule file '" + path + "' has format version " +
            (version && version->isNumber() ? version->str() : std::string("?")) +
            "; this threadcheck reads version " + std::to_string(kScheduleVersion);
    return std::nullopt;
  }
  Schedule s;
  auto field = [&](const char* name) -> const Json* {
    const Json* v = j->get(name);
    if (!v && error.empty())
      error = "schedule file '" + path + "' lacks the field '" + name + "'";
    return v;
  };
  const Json* argv = field("argv");
  const Json* strategy = field("strategy");
  const Json* seed = field("seed");
  const Json* decisions = field("decisions");
  const Json* hash = field("trace_hash");
  const Json* finding = field("finding");
  if (!error.empty())
    return std::nullopt;
  auto bad = [&](const char* what) {
    error = "schedule file '" + path + "' has an invalid '" + what + "' field";
    return std::nullopt;
  };
  if (!argv->isArray() || argv->items().empty())
    return bad("argv");
  for (const auto& a : argv->items()) {
    if (!a.isString())
      return bad("argv");
    s.argv.push_back(a.str());
  }
  if (!strategy->isString())
    return bad("strategy");
  s.strategy = strategy->str();
  if (!seed->u64())
    return bad("seed");
  s.seed = *seed->u64();
  if (!decisions->isArray())
    return bad("decisions");
  for (const auto& d : decisions->items()) {
    if (!d.u64() || *d.u64() > 0xffffffffu)
      return bad("decisions");
    s.decisions.push_back(static_cast<uint32_t>(*d.u64()));
  }
  if (!hash->isString())
    return bad("trace_hash");
  s.traceHash = hash->str();
  if (!finding->isObject() || !finding->get("kind") || !finding->get("kind")->isString())
    return bad("finding");
  s.kind = finding->get("kind")->str();
  if (const Json* m = finding->get("message"); m && m->isString())
    s.message = m->str();
  if (const Json* v = j->get("steps"); v && v->u64())
    s.steps = *v->u64();
  if (const Json* v = j->get("max_steps"); v && v->u64())
    s.maxSteps = *v->u64();
  if (const Json* v = j->get("livelock_steps"); v && v->u64())
    s.livelockSteps = *v->u64();
  if (const Json* v = j->get("time_slice_us"); v && v->u64())
    s.timeSliceUs = *v->u64();
  if (const Json* v = j->get("schedule_index"); v && v->u64())
    s.scheduleIndex = *v->u64();
  if (const Json* v = j->get("schedule_seed"); v && v->u64())
    s.scheduleSeed = *v->u64();
  if (const Json* v = j->get("test")) {
    if (!v->isString() || v->str().empty())
      return bad("test");
    s.test = v->str();
  }
  if (const Json* v = j->get("access_points")) {
    if (!v->isString() || (v->str() != "none" && v->str() != "racy" && v->str() != "all"))
      return bad("access_points");
    s.accessPoints = v->str();
    const Json* pcs = j->get("racy_pcs");
    if (pcs && !pcs->isArray())
      return bad("racy_pcs");
    if (pcs)
      for (const auto& pc : pcs->items()) {
        char* end = nullptr;
        if (!pc.isString() || pc.str().empty())
          return bad("racy_pcs");
        uint64_t v64 = strtoull(pc.str().c_str(), &end, 16);
        if (*end)
          return bad("racy_pcs");
        s.racyPcs.push_back(v64);
      }
    const Json* sites = j->get("racy_sites");
    if (sites && !sites->isArray())
      return bad("racy_sites");
    if (sites)
      for (const auto& site : sites->items()) {
        const Json* module = site.get("module");
        const Json* offset = site.get("offset");
        if (!module || !module->isString() || module->str().empty() || !offset ||
            !offset->isString() || offset->str().empty())
          return bad("racy_sites");
        char* end = nullptr;
        uint64_t v64 = strtoull(offset->str().c_str(), &end, 16);
        if (*end)
          return bad("racy_sites");
        s.racySites.push_back({module->str(), v64});
      }
  }
  return s;
}

} // namespace threadcheck::run
