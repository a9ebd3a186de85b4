#include "AbiCheck.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <unistd.h>

extern "C" void __tsan_read4(void*);

namespace threadcheck::rt {
namespace {

struct Foreign {
  const void* runtimeBase; // the module this runtime was loaded in
  char module[512];
  char symbol[128];
  char provider[512]; // where the symbol resolves instead, if anywhere
  bool stockRuntime;  // `module` is stock ThreadSanitizer's runtime
};

// The number of symbols of a loaded module's dynamic symbol table, from its hash table.
uint32_t symbolCount(const ElfW(Word) * hash, const uint32_t* gnuHash) {
  if (hash)
    return hash[1]; // nchain
  if (!gnuHash)
    return 0;
  uint32_t nbuckets = gnuHash[0];
  uint32_t symoffset = gnuHash[1];
  uint32_t bloomSize = gnuHash[2];
  const auto* buckets = reinterpret_cast<const uint32_t*>(
      reinterpret_cast<const ElfW(Addr)*>(gnuHash + 4) + bloomSize);
  const uint32_t* chains = buckets + nbuckets;
  uint32_t last = 0;
  for (uint32_t b = 0; b < nbuckets; ++b)
    if (buckets[b] > last)
      last = buckets[b];
  if (last < symoffset)
    return symoffset;
  while (!(chains[last - symoffset] & 1))
    ++last;
  return last + 1;
}

// glibc relocates the dynamic section's addresses in place, except in modules it maps read-only
// (the vDSO): an address below the load bias is still an offset.
template <typename T> const T* at(ElfW(Addr) value, ElfW(Addr) bias) {
  return reinterpret_cast<const T*>(value < bias ? value + bias : value);
}

bool isStockTsanRuntime(const char* path) {
  const char* slash = strrchr(path, '/');
  const char* base = slash ? slash + 1 : path;
  return strncmp(base, "libtsan.so", 10) == 0 || strncmp(base, "libclang_rt.tsan", 16) == 0;
}

int checkModule(dl_phdr_info* info, size_t, void* arg) {
  auto* f = static_cast<Foreign*>(arg);
  if (info->dlpi_name && isStockTsanRuntime(info->dlpi_name)) {
    snprintf(f->module, sizeof f->module, "%s", info->dlpi_name);
    f->stockRuntime = true;
    return 1;
  }
  const ElfW(Dyn)* dyn = nullptr;
  for (int i = 0; i < info->dlpi_phnum; ++i)
    if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
      dyn = reinterpret_cast<const ElfW(Dyn)*>(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
  if (!dyn)
    return 0;
  const ElfW(Sym)* symtab = nullptr;
  const char* strtab = nullptr;
  const ElfW(Word)* hash = nullptr;
  const uint32_t* gnuHash = nullptr;
  for (; dyn->d_tag != DT_NULL; ++dyn) {
    if (dyn->d_tag == DT_SYMTAB)
      symtab = at<ElfW(Sym)>(dyn->d_un.d_ptr, info->dlpi_addr);
    else if (dyn->d_tag == DT_STRTAB)
      strtab = at<char>(dyn->d_un.d_ptr, info->dlpi_addr);
    else if (dyn->d_tag == DT_HASH)
      hash = at<ElfW(Word)>(dyn->d_un.d_ptr, info->dlpi_addr);
    else if (dyn->d_tag == DT_GNU_HASH)
      gnuHash = at<uint32_t>(dyn->d_un.d_ptr, info->dlpi_addr);
  }
  if (!symtab || !strtab)
    return 0;
  uint32_t n = symbolCount(hash, gnuHash);
  for (uint32_t i = 1; i < n; ++i) {
    const ElfW(Sym)& s = symtab[i];
    const char* name = strtab + s.st_name;
    if (s.st_shndx != SHN_UNDEF || strncmp(name, "__tsan_", 7) != 0)
      continue;
    void* resolved = dlsym(RTLD_DEFAULT, name);
    Dl_info where{};
    if (resolved && dladdr(resolved, &where) && where.dli_fbase == f->runtimeBase)
      continue;
    snprintf(f->module, sizeof f->module, "%s",
             info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "the executable");
    snprintf(f->symbol, sizeof f->symbol, "%s", name);
    snprintf(f->provider, sizeof f->provider, "%s",
             resolved && where.dli_fname ? where.dli_fname : "");
    return 1;
  }
  return 0;
}

} // namespace

void checkInstrumentationAbi() {
  Dl_info self{};
  dladdr(reinterpret_cast<void*>(&__tsan_read4), &self);
  // The program's calls resolve to the first definition in the global scope.
  void* resolved = dlsym(RTLD_DEFAULT, "__tsan_read4");
  if (resolved && resolved != reinterpret_cast<void*>(&__tsan_read4)) {
    Dl_info info{};
    dladdr(resolved, &info);
    fprintf(stderr,
            "threadcheck runtime: the program's instrumentation calls go to another "
            "ThreadSanitizer runtime (%s): it was linked with stock -fsanitize=thread; rebuild "
            "and link it with 'threadcheck cc' / 'threadcheck c++'\n",
            info.dli_fname ? info.dli_fname : "unknown module");
    _exit(125);
  }
  Foreign f{};
  f.runtimeBase = self.dli_fbase;
  if (dl_iterate_phdr(checkModule, &f) == 0)
    return;
  if (f.stockRuntime)
    fprintf(stderr,
            "threadcheck runtime: stock ThreadSanitizer's runtime '%s' is loaded (a library of the "
            "program was linked with -fsanitize=thread); it cannot run beside threadcheck's: "
            "rebuild that library with 'threadcheck cc' / 'threadcheck c++'\n",
            f.module);
  else if (f.provider[0])
    fprintf(stderr,
            "threadcheck runtime: '%s' calls %s, which resolves to '%s', not to threadcheck's "
            "runtime: it was instrumented for another ThreadSanitizer runtime or compiler ABI; "
            "rebuild it with 'threadcheck cc' / 'threadcheck c++'\n",
            f.module, f.symbol, f.provider);
  else
    fprintf(stderr,
            "threadcheck runtime: '%s' calls %s, which threadcheck's runtime does not provide: it "
            "was instrumented for another compiler's ABI; rebuild it with 'threadcheck cc' / "
            "'threadcheck c++'\n",
            f.module, f.symbol);
  _exit(125);
}

} // namespace threadcheck::rt
