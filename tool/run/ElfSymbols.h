// The symbols and dependencies of an ELF file, read from its section headers: what `threadcheck
// run` checks before starting an instrumented program, and what `threadcheck cc` checks in the
// objects it links.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace threadcheck::run {

struct ElfSymbols {
  bool relocatable = false;           // an object file (ET_REL)
  bool stripped = false;              // no .symtab: only the dynamic symbols are known
  std::vector<std::string> needed;    // DT_NEEDED
  std::vector<std::string> undefined; // global symbols it imports
  std::vector<std::string> defined;   // global symbols it defines (functions and data)
  std::vector<std::string> functions; // functions it defines (global or local)
};

// Reads .dynsym and .symtab; nullopt (with a reason) when the file is not a 64-bit ELF file.
std::optional<ElfSymbols> readElfSymbols(const std::string& path, std::string& error);

} // namespace threadcheck::run
