#include "ScheduleFile.h"

#include "Json.h"
#include "common/Printable.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/random.h>
#include <sys/stat.h>
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

template <typename T> bool readAt(const std::string& d, uint64_t off, T& out) {
  if (off > d.size() || d.size() - off < sizeof(T))
    return false;
  memcpy(&out, d.data() + off, sizeof(T));
  return true;
}

// The NT_GNU_BUILD_ID note of a little-endian ELF file, from its PT_NOTE segments (kept by
// strip, unlike section headers); "" when there is none or the file is not such an ELF file.
std::string elfBuildId(const std::string& d) {
  if (d.size() < 52 ||
      d.compare(0, 4,
                "\x7f"
                "ELF") != 0 ||
      d[5] != 1 /* ELFDATA2LSB */)
    return "";
  bool is64 = d[4] == 2;
  uint64_t phoff = 0, phentsize = 0, phnum = 0;
  if (is64) {
    uint64_t off;
    uint16_t ent, num;
    if (!readAt(d, 32, off) || !readAt(d, 54, ent) || !readAt(d, 56, num))
      return "";
    phoff = off, phentsize = ent, phnum = num;
  } else {
    uint32_t off;
    uint16_t ent, num;
    if (!readAt(d, 28, off) || !readAt(d, 42, ent) || !readAt(d, 44, num))
      return "";
    phoff = off, phentsize = ent, phnum = num;
  }
  for (uint64_t i = 0; i < phnum; ++i) {
    uint64_t ph = phoff + i * phentsize;
    uint32_t type;
    uint64_t off = 0, size = 0, align = 0;
    if (!readAt(d, ph, type))
      return "";
    if (type != 4 /* PT_NOTE */)
      continue;
    if (is64) {
      if (!readAt(d, ph + 8, off) || !readAt(d, ph + 32, size) || !readAt(d, ph + 48, align))
        return "";
    } else {
      uint32_t o32, s32, a32;
      if (!readAt(d, ph + 4, o32) || !readAt(d, ph + 16, s32) || !readAt(d, ph + 28, a32))
        return "";
      off = o32, size = s32, align = a32;
    }
    // Notes in an 8-aligned segment (.note.gnu.property) pad name and descriptor to 8.
    uint64_t pad = align == 8 ? 8 : 4;
    auto up = [&](uint64_t v) { return (v + pad - 1) / pad * pad; };
    if (off > d.size() || size > d.size() - off)
      continue;
    for (uint64_t n = off; n + 12 <= off + size;) {
      uint32_t namesz, descsz, ntype;
      readAt(d, n, namesz), readAt(d, n + 4, descsz), readAt(d, n + 8, ntype);
      uint64_t name = n + 12, desc = name + up(namesz);
      if (desc > off + size || descsz > off + size - desc)
        break;
      if (ntype == 3 /* NT_GNU_BUILD_ID */ && namesz == 4 && d.compare(name, 4, "GNU\0", 4) == 0 &&
          descsz > 0) {
        std::string hex;
        char b[3];
        for (uint64_t k = 0; k < descsz; ++k) {
          snprintf(b, sizeof b, "%02x", static_cast<unsigned char>(d[desc + k]));
          hex += b;
        }
        return hex;
      }
      n = desc + up(descsz);
    }
  }
  return "";
}

} // namespace

ProgramIdentity programIdentity(const std::string& path, std::string& error) {
  ProgramIdentity id;
  char buf[PATH_MAX];
  if (!realpath(path.c_str(), buf)) {
    error = "cannot resolve '" + path + "': " + strerror(errno);
    return id;
  }
  std::ifstream in(buf, std::ios::binary);
  std::stringstream ss;
  if (!in || !(ss << in.rdbuf())) {
    error = "cannot read '" + std::string(buf) + "': " + strerror(errno);
    return id;
  }
  std::string d = ss.str();
  id.size = d.size();
  id.buildId = elfBuildId(d);
  if (id.buildId.empty()) {
    // Not a cryptographic hash: it tells a replaced or rebuilt executable from the recorded one;
    // whoever can edit the schedule file can edit its identity anyway.
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : d)
      h = (h ^ c) * 0x100000001b3ull;
    char hex[40];
    snprintf(hex, sizeof hex, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
    id.contentHash = hex;
  }
  id.path = buf;
  return id;
}

std::string identityDifference(const ProgramIdentity& recorded, const ProgramIdentity& now) {
  if (recorded.path != now.path)
    return "the program is '" + now.path + "', recorded '" + recorded.path + "'";
  if (recorded.size != now.size)
    return "'" + now.path + "' is " + std::to_string(now.size) + " bytes, recorded " +
           std::to_string(recorded.size);
  if (recorded.buildId != now.buildId)
    return "'" + now.path + "' has build id '" + now.buildId + "', recorded '" + recorded.buildId +
           "'";
  if (recorded.contentHash != now.contentHash)
    return "'" + now.path + "' has content hash " + now.contentHash + ", recorded " +
           recorded.contentHash;
  return "";
}

std::string checkWritable(const std::string& path) {
  auto cannot = [&](const std::string& why) { return "cannot write '" + path + "': " + why; };
  struct stat st{};
  if (path.empty())
    return "cannot write '': empty file name";
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return cannot("is a directory");
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (stat(dir.c_str(), &st) != 0)
    return cannot("directory '" + dir + "' does not exist");
  if (!S_ISDIR(st.st_mode))
    return cannot("'" + dir + "' is not a directory");
  // Permissions, a read-only file system, a full directory: only trying tells (root ignores
  // the mode bits). The probe is gone at once; the file itself is written when the run ends.
  std::string tmp;
  int fd = createTemporary(path, tmp);
  if (fd < 0)
    return cannot(strerror(errno));
  close(fd);
  unlink(tmp.c_str());
  return "";
}

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
  ProgramIdentity id = s.identity;
  if (!id.known() && !s.argv.empty()) {
    std::string err;
    id = programIdentity(s.argv[0], err);
    if (!id.known())
      return "cannot record the identity of the program for '" + path + "': " + err;
  }
  if (id.known()) {
    Json ij = Json::object();
    ij.set("path", Json::string(id.path));
    ij.set("size", Json::integer(id.size));
    if (!id.buildId.empty())
      ij.set("build_id", Json::string(id.buildId));
    else
      ij.set("content_hash", Json::string(id.contentHash));
    j.set("program_identity", std::move(ij));
  }
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
  return parseSchedule(ss.str(), path, error);
}

std::optional<Schedule> parseSchedule(const std::string& text, const std::string& path,
                                      std::string& error) {
  std::string perr;
  auto j = Json::parse(text, perr);
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
    error =
        "schedule file '" + path + "' has format version " +
        (version && version->isNumber() ? printableExcerpt(version->str(), 20) : std::string("?")) +
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
  if (const Json* v = j->get("program_identity")) {
    const Json* p = v->isObject() ? v->get("path") : nullptr;
    const Json* size = v->isObject() ? v->get("size") : nullptr;
    const Json* bid = v->isObject() ? v->get("build_id") : nullptr;
    const Json* ch = v->isObject() ? v->get("content_hash") : nullptr;
    if (!p || !p->isString() || p->str().empty() || !size || !size->u64() ||
        (bid && (!bid->isString() || bid->str().empty())) ||
        (ch && (!ch->isString() || ch->str().empty())) || !bid == !ch)
      return bad("program_identity");
    s.identity.path = p->str();
    s.identity.size = *size->u64();
    s.identity.buildId = bid ? bid->str() : "";
    s.identity.contentHash = ch ? ch->str() : "";
  }
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
