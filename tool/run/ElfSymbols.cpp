#include "ElfSymbols.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <fstream>

namespace threadcheck::run {

std::optional<ElfSymbols> readElfSymbols(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  std::string data;
  if (in) {
    data.resize(static_cast<size_t>(in.tellg()));
    in.seekg(0);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
  }
  if (!in) {
    error = "cannot read '" + path + "'";
    return std::nullopt;
  }
  if (data.size() < sizeof(Elf64_Ehdr) || memcmp(data.data(), ELFMAG, SELFMAG) != 0 ||
      data[EI_CLASS] != ELFCLASS64) {
    error = "'" + path + "' is not a 64-bit ELF file";
    return std::nullopt;
  }
  Elf64_Ehdr eh;
  memcpy(&eh, data.data(), sizeof eh);
  auto sectionAt = [&](size_t i, Elf64_Shdr& sh) {
    size_t off = eh.e_shoff + i * eh.e_shentsize;
    if (off + sizeof sh > data.size())
      return false;
    memcpy(&sh, data.data() + off, sizeof sh);
    return sh.sh_type == SHT_NOBITS || sh.sh_offset + sh.sh_size <= data.size();
  };
  auto str = [&](const Elf64_Shdr& strtab, size_t idx) -> std::string {
    if (idx >= strtab.sh_size)
      return "";
    const char* p = data.data() + strtab.sh_offset + idx;
    return std::string(p, strnlen(p, strtab.sh_size - idx));
  };
  ElfSymbols out;
  out.relocatable = eh.e_type == ET_REL;
  out.stripped = true;
  for (size_t i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh;
    if (!sectionAt(i, sh))
      continue;
    Elf64_Shdr link;
    if (!sectionAt(sh.sh_link, link))
      continue;
    if (sh.sh_type == SHT_DYNAMIC) {
      for (size_t off = 0; off + sizeof(Elf64_Dyn) <= sh.sh_size; off += sizeof(Elf64_Dyn)) {
        Elf64_Dyn d;
        memcpy(&d, data.data() + sh.sh_offset + off, sizeof d);
        if (d.d_tag == DT_NEEDED)
          out.needed.push_back(str(link, d.d_un.d_val));
      }
    } else if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) {
      if (sh.sh_type == SHT_SYMTAB)
        out.stripped = false;
      for (size_t off = sizeof(Elf64_Sym); off + sizeof(Elf64_Sym) <= sh.sh_size;
           off += sizeof(Elf64_Sym)) {
        Elf64_Sym s;
        memcpy(&s, data.data() + sh.sh_offset + off, sizeof s);
        std::string name = str(link, s.st_name);
        if (name.empty())
          continue;
        int bind = ELF64_ST_BIND(s.st_info);
        int type = ELF64_ST_TYPE(s.st_info);
        if (s.st_shndx == SHN_UNDEF) {
          if (bind != STB_LOCAL)
            out.undefined.push_back(name);
          continue;
        }
        if (type == STT_FUNC)
          out.functions.push_back(name);
        if (bind != STB_LOCAL)
          out.defined.push_back(name);
      }
    }
  }
  for (auto* v : {&out.undefined, &out.defined, &out.functions}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  return out;
}

} // namespace threadcheck::run
