#pragma once

#include "memory/address_space.h"
#include "process/elf_loader.h"
#include "process/paths.h"

#include <cstdint>
#include <string>

namespace isomorph::process {

// Where the program interpreter (PT_INTERP, /lib/ld.so.1 for glibc) is placed: the bottom of the
// mmap area, so the libraries it maps land above it.
constexpr uint32_t interpreter_base = 0x77000000;

// The host path of a dynamic program's interpreter, looked up as any guest path (under the -L
// sysroot first, which $ISOMORPH_LD_PREFIX gives when -L is absent). Throws UserError naming
// the interpreter and how to provide it when no such file exists.
std::string find_interpreter(const PathTranslator& paths, const std::string& interpreter);

// Loads the interpreter at interpreter_base. Its load bias is AT_BASE; the process starts at its
// entry with AT_PHDR, AT_PHNUM and AT_ENTRY describing the program.
LoadedImage load_interpreter(memory::AddressSpace& memory, const PathTranslator& paths, const std::string& interpreter);

} // namespace isomorph::process
