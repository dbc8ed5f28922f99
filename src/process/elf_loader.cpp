#include "process/elf_loader.h"

#include "process/error.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <elf.h>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <vector>

namespace isomorph::process {

namespace {

// e_flags fields of MIPS ELF files (System V ABI MIPS supplement; binutils include/elf/mips.h).
constexpr uint32_t flag_nan2008 = 0x00000400;
constexpr uint32_t flag_abi_mask = 0x0000F000;
constexpr uint32_t flag_abi_o32 = 0x00001000;
constexpr uint32_t flag_ase_mips16 = 0x04000000;
constexpr uint32_t flag_ase_micromips = 0x02000000;
constexpr uint32_t flag_arch_mask = 0xF0000000;
constexpr uint32_t flag_32bit_mode = 0x00000100;
constexpr uint32_t segment_mips_abiflags = 0x70000003; // PT_MIPS_ABIFLAGS
constexpr size_t abiflags_fp_abi_offset = 7;           // Elf_MIPS_ABIFlags_v0.fp_abi

std::string_view architecture_name(uint32_t arch)
{
    switch (arch >> 28) {
    case 0x0: return "MIPS I";
    case 0x1: return "MIPS II";
    case 0x2: return "MIPS III";
    case 0x3: return "MIPS IV";
    case 0x4: return "MIPS V";
    case 0x5: return "MIPS32";
    case 0x6: return "MIPS64";
    case 0x7: return "MIPS32 Release 2";
    case 0x8: return "MIPS64 Release 2";
    case 0x9: return "MIPS32 Release 6";
    case 0xA: return "MIPS64 Release 6";
    }
    return "an unknown MIPS architecture";
}

uint8_t guest_protection(uint32_t flags)
{
    uint8_t protection = memory::ProtectionNone;
    if (flags & PF_R)
        protection |= memory::ProtectionRead;
    if (flags & PF_W)
        protection |= memory::ProtectionWrite;
    if (flags & PF_X)
        protection |= memory::ProtectionExecute;
    return protection;
}

} // namespace

LoadedImage load_elf(memory::AddressSpace& memory, const std::string& path, uint32_t preferred_base)
{
    std::ifstream stream(path, std::ios::binary);
    if (!stream)
        throw UserError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    auto fail = [&](std::string_view why) { return UserError(fmt::format("'{}' {}", path, why)); };

    if (file.size() < sizeof(Elf32_Ehdr) || std::memcmp(file.data(), ELFMAG, SELFMAG) != 0)
        throw fail("is not an ELF file");
    Elf32_Ehdr header;
    std::memcpy(&header, file.data(), sizeof header);
    if (header.e_ident[EI_CLASS] != ELFCLASS32)
        throw fail("is not a 32-bit ELF file");
    if (header.e_ident[EI_DATA] != ELFDATA2LSB)
        throw fail("is big-endian; only little-endian MIPS (mipsel) is supported");
    if (header.e_machine != EM_MIPS)
        throw fail(fmt::format("is not a MIPS executable (ELF machine {})", header.e_machine));
    if (header.e_type != ET_EXEC && header.e_type != ET_DYN)
        throw fail("is not an executable (ELF type is neither EXEC nor DYN)");
    uint32_t arch = header.e_flags & flag_arch_mask;
    if (arch != 0x00000000 && arch != 0x10000000 && arch != 0x50000000 && arch != 0x70000000)
        throw fail(fmt::format("is built for {}, which this MIPS32 Release 2 machine cannot run", architecture_name(arch)));
    if ((header.e_flags & flag_abi_mask) != 0 && (header.e_flags & flag_abi_mask) != flag_abi_o32)
        throw fail("does not use the o32 ABI");
    if (header.e_flags & flag_32bit_mode)
        throw fail("uses the n32 ABI, which is not supported");
    if (header.e_flags & flag_nan2008)
        throw fail("uses the IEEE 754-2008 NaN encoding (NaN2008), which is not supported");
    if (header.e_flags & (flag_ase_mips16 | flag_ase_micromips))
        throw fail("uses the MIPS16 or microMIPS instruction set, which is not supported");
    if (header.e_phentsize != sizeof(Elf32_Phdr) || header.e_phnum == 0 || header.e_phnum > 128 ||
        uint64_t{header.e_phoff} + uint64_t{header.e_phnum} * sizeof(Elf32_Phdr) > file.size())
        throw fail("has a malformed program header table");

    std::vector<Elf32_Phdr> segments(header.e_phnum);
    std::memcpy(segments.data(), file.data() + header.e_phoff, segments.size() * sizeof(Elf32_Phdr));

    LoadedImage image;
    uint32_t lowest = UINT32_MAX;
    uint64_t highest = 0;
    for (const Elf32_Phdr& segment : segments) {
        if (segment.p_type == PT_GNU_STACK)
            image.executable_stack = (segment.p_flags & PF_X) != 0;
        if (segment.p_type == PT_INTERP) {
            if (uint64_t{segment.p_offset} + segment.p_filesz > file.size() || segment.p_filesz == 0)
                throw fail("has a malformed PT_INTERP segment");
            const char* name = reinterpret_cast<const char*>(file.data() + segment.p_offset);
            image.interpreter.assign(name, strnlen(name, segment.p_filesz));
        }
        if (segment.p_type == segment_mips_abiflags && segment.p_filesz > abiflags_fp_abi_offset &&
            uint64_t{segment.p_offset} + segment.p_filesz <= file.size())
            image.fp_abi = file[segment.p_offset + abiflags_fp_abi_offset];
        if (segment.p_type != PT_LOAD || segment.p_memsz == 0)
            continue;
        if (segment.p_filesz > segment.p_memsz || uint64_t{segment.p_offset} + segment.p_filesz > file.size())
            throw fail("has a PT_LOAD segment that lies outside the file");
        lowest = std::min(lowest, segment.p_vaddr & ~(memory::AddressSpace::page_size - 1));
        highest = std::max(highest, uint64_t{segment.p_vaddr} + segment.p_memsz);
    }
    if (highest == 0)
        throw fail("has no loadable segment");

    uint32_t bias = header.e_type == ET_DYN ? preferred_base - lowest : 0;
    if (highest + bias > 0x80000000u)
        throw fail("has segments above the 2 GiB user address space");

    for (const Elf32_Phdr& segment : segments) {
        if (segment.p_type != PT_LOAD || segment.p_memsz == 0)
            continue;
        uint32_t start = (segment.p_vaddr + bias) & ~(memory::AddressSpace::page_size - 1);
        uint32_t end = memory::AddressSpace::round_up_to_page(uint64_t{segment.p_vaddr} + bias + segment.p_memsz);
        // Map writable to copy the contents in; pages shared with an earlier segment stay mapped.
        for (uint32_t page = start; page < end; page += memory::AddressSpace::page_size)
            if (!memory.is_mapped(page) &&
                memory.map_anonymous(page, memory::AddressSpace::page_size, memory::ProtectionRead | memory::ProtectionWrite) != 0)
                throw fail("cannot be mapped into the guest address space");
        std::memcpy(memory.host_address(segment.p_vaddr + bias), file.data() + segment.p_offset, segment.p_filesz);
    }
    for (const Elf32_Phdr& segment : segments) {
        if (segment.p_type != PT_LOAD || segment.p_memsz == 0)
            continue;
        uint32_t start = (segment.p_vaddr + bias) & ~(memory::AddressSpace::page_size - 1);
        uint32_t end = memory::AddressSpace::round_up_to_page(uint64_t{segment.p_vaddr} + bias + segment.p_memsz);
        memory.protect(start, end - start, guest_protection(segment.p_flags));
        if (header.e_phoff >= segment.p_offset && header.e_phoff < uint64_t{segment.p_offset} + segment.p_filesz)
            image.program_headers = segment.p_vaddr + bias + (header.e_phoff - segment.p_offset);
    }

    image.entry = header.e_entry + bias;
    image.load_bias = bias;
    image.program_header_count = header.e_phnum;
    image.end_of_image = memory::AddressSpace::round_up_to_page(highest + bias);
    if (!(memory.protection(image.entry) & memory::ProtectionExecute))
        throw fail("has an entry point outside its executable segments");
    return image;
}

} // namespace isomorph::process
