#include "check/FactsCache.h"

#include "threadcheck/checkers/FactsSerialization.h"

#include <cstdlib>
#include <elf.h>
#include <link.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

namespace threadcheck::check {
namespace {

// Variables the driver reads to extend the include path: they change what a unit parses to
// without showing in its command line.
constexpr const char* kIncludeEnvironment[] = {"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH",
                                               "OBJC_INCLUDE_PATH"};

std::string hex(const ContentHash& h) {
  return llvm::utohexstr(h.high64, /*LowerCase=*/true, /*Width=*/16) +
         llvm::utohexstr(h.low64, /*LowerCase=*/true, /*Width=*/16);
}

// The linker's build id of the running executable: the same binary everywhere, a new one after
// every change to it. Facts depend on the engine that built them, and a development build keeps
// its version number across changes, so the version alone would let stale facts through.
std::string executableBuildId() {
  std::string id;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) -> int {
        auto& out = *static_cast<std::string*>(data);
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE)
            continue;
          const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
          const char* end = p + ph.p_memsz;
          while (p + sizeof(ElfW(Nhdr)) <= end) {
            const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
            const char* name = p + sizeof(ElfW(Nhdr));
            const char* desc = name + ((note->n_namesz + 3) & ~3u);
            if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
                std::string_view(name, 3) == "GNU" && desc + note->n_descsz <= end) {
              out = llvm::toHex(llvm::StringRef(desc, note->n_descsz), /*LowerCase=*/true);
              return 1;
            }
            p = desc + ((note->n_descsz + 3) & ~3u);
          }
        }
        return 1; // the first object is the executable itself
      },
      &id);
  if (!id.empty())
    return id;
  // Without a build id, the executable's contents identify it.
  auto exe = llvm::MemoryBuffer::getFile("/proc/self/exe", /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  return exe ? hex(hashContents((*exe)->getBuffer())) : std::string("unknown-build");
}

void addField(std::string& material, llvm::StringRef field) {
  material += std::to_string(field.size());
  material += ':';
  material += field;
}

} // namespace

ContentHash hashContents(llvm::StringRef contents) {
  return llvm::xxh3_128bits(llvm::arrayRefFromStringRef(contents));
}

FactsCache::FactsCache(std::string dir, std::string toolVersion)
    : dir_(std::move(dir)), toolVersion_(std::move(toolVersion)) {
  toolIdentity_ = toolVersion_ + "/" + llvm::utohexstr(checkers::factsSchemaHash(), true) + "/" +
                  executableBuildId();
}

llvm::Expected<std::unique_ptr<FactsCache>> FactsCache::open(const std::string& dir,
                                                             std::string toolVersion) {
  auto error = [&](const llvm::Twine& why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--cache-dir " + dir + ": " + why);
  };
  if (llvm::sys::fs::exists(dir) && !llvm::sys::fs::is_directory(dir))
    return error("not a directory");
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return error("cannot create: " + ec.message());
  if (std::error_code ec = llvm::sys::fs::access(dir, llvm::sys::fs::AccessMode::Write))
    return error("not writable: " + ec.message());
  // Backup and sync tools skip directories tagged this way (https://bford.info/cachedir/).
  std::string tag = dir + "/CACHEDIR.TAG";
  if (!llvm::sys::fs::exists(tag)) {
    std::error_code ec;
    llvm::raw_fd_ostream os(tag, ec);
    if (!ec)
      os << "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by threadcheck check --cache-dir.\n";
    os.clear_error();
  }
  return std::unique_ptr<FactsCache>(new FactsCache(dir, std::move(toolVersion)));
}

std::string FactsCache::keyFor(const clang::tooling::CompileCommand& command,
                               const std::vector<std::string>& adjustedCommandLine) const {
  std::string material;
  addField(material, toolIdentity_);
  addField(material, command.Directory);
  addField(material, command.Filename);
  material += std::to_string(adjustedCommandLine.size()) + "args;";
  for (const std::string& arg : adjustedCommandLine)
    addField(material, arg);
  for (const char* var : kIncludeEnvironment) {
    const char* value = std::getenv(var);
    addField(material, value ? std::string("=") + value : std::string("unset"));
  }
  return hex(hashContents(material));
}

std::string FactsCache::entryPath(const std::string& key) const {
  return dir_ + "/" + key + ".tcfacts";
}

std::optional<ContentHash> FactsCache::currentHash(const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = hashes_.find(path); it != hashes_.end())
      return it->second;
  }
  std::optional<ContentHash> hash;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (buffer)
    hash = hashContents((*buffer)->getBuffer());
  std::lock_guard<std::mutex> lock(mutex_);
  return hashes_.try_emplace(path, hash).first->second;
}

std::optional<checkers::TranslationUnitFacts> FactsCache::load(const std::string& key) {
  auto buffer = llvm::MemoryBuffer::getFile(entryPath(key), /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return std::nullopt; // not cached yet
  checkers::TranslationUnitFacts facts;
  auto unchanged = [&](const std::string& path, const ContentHash& recorded) {
    std::optional<ContentHash> now = currentHash(path);
    return now && *now == recorded;
  };
  switch (decodeCacheEntry((*buffer)->getBuffer(), key, toolVersion_, unchanged, facts)) {
  case CacheEntryState::Usable:
    return facts;
  case CacheEntryState::Stale:
    return std::nullopt; // an input changed: parse again
  case CacheEntryState::Damaged:
    ++damaged_;
    return std::nullopt;
  }
  return std::nullopt;
}

CacheEntryState decodeCacheEntry(
    llvm::StringRef bytes, const std::string& key, const std::string& toolVersion,
    llvm::function_ref<bool(const std::string& path, const ContentHash& recorded)> unchanged,
    checkers::TranslationUnitFacts& facts) {
  auto reader = checkers::FactsReader::open(bytes, checkers::FactFileKind::CacheEntry, toolVersion);
  if (!reader) {
    llvm::consumeError(reader.takeError());
    return CacheEntryState::Damaged;
  }
  std::string storedKey;
  uint64_t count = 0;
  if (!reader->readString(storedKey) || storedKey != key || !reader->readUInt(count))
    return CacheEntryState::Damaged;
  for (uint64_t i = 0; i < count; ++i) {
    std::string path;
    ContentHash recorded{};
    if (!reader->readPath(path) || !reader->readUInt(recorded.low64) ||
        !reader->readUInt(recorded.high64))
      return CacheEntryState::Damaged;
    if (!unchanged(path, recorded))
      return CacheEntryState::Stale;
  }
  if (!reader->readFacts(facts) || !reader->finishedCleanly())
    return CacheEntryState::Damaged;
  return CacheEntryState::Usable;
}

void FactsCache::store(const std::string& key, const checkers::TranslationUnitFacts& facts,
                       const std::vector<Dependency>& dependencies) {
  checkers::FactsWriter writer;
  writer.writeString(key);
  writer.writeUInt(dependencies.size());
  for (const Dependency& d : dependencies) {
    writer.writePath(d.path);
    writer.writeUInt(d.hash.low64);
    writer.writeUInt(d.hash.high64);
  }
  writer.writeFacts(facts);
  std::string bytes = writer.finish(checkers::FactFileKind::CacheEntry, toolVersion_);

  auto warn = [&](const llvm::Twine& why) {
    if (!warnedAboutWrite_.exchange(true))
      llvm::errs() << "threadcheck check: warning: --cache-dir " << dir_
                   << ": cannot write an entry (" << why << "); continuing without caching it\n";
  };
  // A unique temporary name per writer, renamed over the entry: readers and concurrent runs see
  // the old entry or the new one, never a mix.
  auto temp = llvm::sys::fs::TempFile::create(dir_ + "/tmp-%%%%%%%%%%%%%%%%.tcfacts-part");
  if (!temp) {
    warn(llvm::toString(temp.takeError()));
    return;
  }
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    os << bytes;
    os.flush();
    if (os.has_error()) {
      warn(os.error().message());
      os.clear_error();
      llvm::consumeError(temp->discard());
      return;
    }
  }
  if (llvm::Error e = temp->keep(entryPath(key))) {
    warn(llvm::toString(std::move(e)));
    llvm::consumeError(temp->discard());
  }
}

} // namespace threadcheck::check
