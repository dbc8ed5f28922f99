#pragma once

#include "memory/address_space.h"

#include <cstdint>
#include <string>
#include <vector>

namespace isomorph::process {

// Where an ELF image landed in the guest address space.
struct LoadedImage {
    // The pages of one PT_LOAD segment that hold the file's bytes (the rest of p_memsz is
    // anonymous memory), and the file offset of the first of them.
    struct FilePages {
        uint32_t start = 0;
        uint32_t end = 0;
        uint32_t offset = 0;
    };
    std::vector<FilePages> file_pages;
    uint32_t entry = 0;
    uint32_t load_bias = 0;        // added to every p_vaddr (0 for ET_EXEC)
    uint32_t program_headers = 0;  // guest address of the program header table (AT_PHDR)
    uint32_t program_header_count = 0;
    uint32_t start_of_image = 0;   // the page of the lowest segment
    uint32_t end_of_image = 0;     // page-rounded end of the highest segment: where brk starts
    bool executable_stack = true;  // no PT_GNU_STACK, or one with PF_X
    std::string interpreter;       // PT_INTERP, empty for a static executable
    // The floating-point ABI from PT_MIPS_ABIFLAGS (Val_GNU_MIPS_ABI_FP_*): 1 double, 5 FPXX,
    // 6 FP64, 7 FP64A; 0 when the file has no ABI flags.
    uint8_t fp_abi = 0;
};

// Loads a 32-bit little-endian MIPS o32 ELF executable. Throws UserError naming the file and the
// problem for anything it cannot run. For ET_DYN images the image is placed at preferred_base.
LoadedImage load_elf(memory::AddressSpace& memory, const std::string& path, uint32_t preferred_base);

} // namespace isomorph::process
