#include "process/elf_loader.h"

#include "process/error.h"
#include "process/initial_stack.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace isomorph::process {

namespace {

using memory::AddressSpace;

// e_flags fields of MIPS ELF files (System V ABI MIPS supplement; binutils include/elf/mips.h).
constexpr uint32_t flag_abi2 = 0x00000020; // EF_MIPS_ABI2: the n32 ABI
constexpr uint32_t flag_nan2008 = 0x00000400;
constexpr uint32_t flag_abi_mask = 0x0000F000;
constexpr uint32_t flag_abi_o32 = 0x00001000;
constexpr uint32_t flag_ase_mips16 = 0x04000000;
constexpr uint32_t flag_ase_micromips = 0x02000000;
constexpr uint32_t flag_arch_mask = 0xF0000000;
constexpr uint32_t segment_mips_abiflags = 0x70000003; // PT_MIPS_ABIFLAGS
constexpr size_t abiflags_fp_abi_offset = 7;           // Elf_MIPS_ABIFlags_v0.fp_abi

// Linux reads at most one page of program headers (load_elf_phdrs): 128 entries of 32 bytes.
constexpr unsigned maximum_program_headers = 128;
// The o32 user address space ends at 2 GiB; kseg0 and above belong to the kernel.
constexpr uint64_t user_limit = 0x80000000;

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

// Architectures whose user-mode instructions a MIPS32 Release 2 CPU executes.
bool runs_on_mips32r2(uint32_t arch)
{
    return arch == 0x00000000 || arch == 0x10000000 || arch == 0x50000000 || arch == 0x70000000;
}

// "it is for x86", or "ELF machine 1234" for a machine without a name here.
std::string describe_machine(uint16_t machine)
{
    std::string_view name;
    switch (machine) {
    case EM_386: name = "x86"; break;
    case EM_X86_64: name = "x86-64"; break;
    case EM_ARM: name = "ARM"; break;
    case EM_AARCH64: name = "AArch64"; break;
    case EM_PPC: name = "PowerPC"; break;
    case EM_PPC64: name = "64-bit PowerPC"; break;
    case EM_SPARC: name = "SPARC"; break;
    case EM_S390: name = "S/390"; break;
    case EM_RISCV: name = "RISC-V"; break;
    case EM_MIPS_RS3_LE: name = "the MIPS RS3000"; break;
    }
    if (name.empty())
        return fmt::format("ELF machine {}", machine);
    return fmt::format("it is for {}", name);
}

// The EF_MIPS_ABI field: "the O64 ABI", or its value when it names no known ABI.
std::string describe_abi(uint32_t abi)
{
    switch (abi) {
    case 0x00002000: return "the O64 ABI";
    case 0x00003000: return "the EABI32 ABI";
    case 0x00004000: return "the EABI64 ABI";
    }
    return fmt::format("an unknown ABI (EF_MIPS_ABI 0x{:x})", abi);
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

// An open executable. Only the headers and the loadable segments are ever read, so a huge or
// sparse file costs no more than its segments.
class ElfFile {
public:
    explicit ElfFile(const std::string& path) : m_path(path)
    {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is rejected below.
        m_descriptor = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (m_descriptor < 0)
            throw error(fmt::format("cannot be opened: {}", std::strerror(errno)));
        struct stat status;
        if (fstat(m_descriptor, &status) != 0)
            throw error(fmt::format("cannot be examined: {}", std::strerror(errno)));
        if (S_ISDIR(status.st_mode))
            throw error("is a directory, not an executable");
        if (!S_ISREG(status.st_mode))
            throw error("is not a regular file");
        m_size = static_cast<uint64_t>(status.st_size);
        if (m_size == 0)
            throw error("is empty");
    }
    ~ElfFile() { close(m_descriptor); }
    ElfFile(const ElfFile&) = delete;
    ElfFile& operator=(const ElfFile&) = delete;

    int descriptor() const { return m_descriptor; }
    uint64_t size() const { return m_size; }
    bool contains(uint64_t offset, uint64_t length) const { return offset <= m_size && length <= m_size - offset; }

    UserError error(std::string_view problem) const { return UserError(fmt::format("'{}' {}", m_path, problem)); }

    // Reads exactly length bytes at offset; the caller has checked that they lie in the file.
    void read(uint64_t offset, void* destination, size_t length) const
    {
        auto* cursor = static_cast<uint8_t*>(destination);
        while (length > 0) {
            ssize_t count = pread(m_descriptor, cursor, length, static_cast<off_t>(offset));
            if (count < 0 && errno == EINTR)
                continue;
            if (count < 0)
                throw error(fmt::format("cannot be read: {}", std::strerror(errno)));
            if (count == 0)
                throw error("became shorter while it was being read");
            cursor += count;
            offset += static_cast<uint64_t>(count);
            length -= static_cast<size_t>(count);
        }
    }

private:
    std::string m_path;
    int m_descriptor = -1;
    uint64_t m_size = 0;
};

// The ELF identification and header checks: everything that decides whether this is a program
// for this machine at all.
Elf32_Ehdr read_header(const ElfFile& file)
{
    uint8_t identification[EI_NIDENT] = {};
    size_t available = static_cast<size_t>(std::min<uint64_t>(file.size(), EI_NIDENT));
    file.read(0, identification, available);
    if (available < SELFMAG || std::memcmp(identification, ELFMAG, SELFMAG) != 0) {
        if (available >= 2 && identification[0] == '#' && identification[1] == '!')
            throw file.error("is a script, not an ELF executable");
        throw file.error("is not an ELF file");
    }
    if (available < EI_NIDENT)
        throw file.error("is truncated: its ELF header is incomplete");
    uint8_t data = identification[EI_DATA];
    if (data != ELFDATA2LSB && data != ELFDATA2MSB)
        throw file.error(fmt::format("has an invalid ELF data encoding ({})", data));
    if (identification[EI_CLASS] == ELFCLASS64) {
        // e_machine is at the same offset in both classes, in the file's byte order.
        uint8_t machine[2] = {};
        if (file.contains(18, 2))
            file.read(18, machine, 2);
        uint16_t number = data == ELFDATA2LSB ? static_cast<uint16_t>(machine[0] | machine[1] << 8)
                                              : static_cast<uint16_t>(machine[1] | machine[0] << 8);
        if (number == EM_MIPS)
            throw file.error("is a 64-bit MIPS program (n64 ABI); only 32-bit o32 programs are supported");
        throw file.error("is a 64-bit ELF file; only 32-bit little-endian MIPS (o32) programs are supported");
    }
    if (identification[EI_CLASS] != ELFCLASS32)
        throw file.error(fmt::format("has an invalid ELF class ({})", identification[EI_CLASS]));
    if (!file.contains(0, sizeof(Elf32_Ehdr)))
        throw file.error("is truncated: its ELF header is incomplete");
    Elf32_Ehdr header;
    file.read(0, &header, sizeof header);
    if (data == ELFDATA2MSB) {
        uint16_t machine = __builtin_bswap16(header.e_machine);
        if (machine == EM_MIPS)
            throw file.error("is big-endian MIPS; only little-endian MIPS (mipsel) is supported");
        throw file.error(fmt::format("is a big-endian file, not a little-endian MIPS program ({})", describe_machine(machine)));
    }
    if (header.e_machine != EM_MIPS)
        throw file.error(fmt::format("is not a MIPS program ({})", describe_machine(header.e_machine)));
    switch (header.e_type) {
    case ET_EXEC:
    case ET_DYN: break;
    case ET_REL: throw file.error("is a relocatable object file (ELF type REL), not an executable");
    case ET_CORE: throw file.error("is a core dump (ELF type CORE), not an executable");
    default: throw file.error(fmt::format("has an unknown ELF type ({}), not an executable", header.e_type));
    }
    uint32_t arch = header.e_flags & flag_arch_mask;
    if (!runs_on_mips32r2(arch))
        throw file.error(fmt::format("is built for {}, which this MIPS32 Release 2 machine cannot run", architecture_name(arch)));
    if (header.e_flags & flag_abi2)
        throw file.error("uses the n32 ABI; only the o32 ABI is supported");
    uint32_t abi = header.e_flags & flag_abi_mask;
    if (abi != 0 && abi != flag_abi_o32)
        throw file.error(fmt::format("uses {}; only the o32 ABI is supported", describe_abi(abi)));
    if (header.e_flags & flag_nan2008)
        throw file.error("uses the IEEE 754-2008 NaN encoding (NaN2008), which is not supported");
    if (header.e_flags & (flag_ase_mips16 | flag_ase_micromips))
        throw file.error("uses the MIPS16 or microMIPS instruction set, which is not supported");
    return header;
}

std::vector<Elf32_Phdr> read_program_headers(const ElfFile& file, const Elf32_Ehdr& header)
{
    if (header.e_phnum == 0)
        throw file.error("has no program headers");
    if (header.e_phentsize != sizeof(Elf32_Phdr))
        throw file.error(fmt::format("has program headers of {} bytes (expected {})", header.e_phentsize, sizeof(Elf32_Phdr)));
    if (header.e_phnum > maximum_program_headers)
        throw file.error(fmt::format("has {} program headers (at most {} are allowed)", header.e_phnum, maximum_program_headers));
    if (!file.contains(header.e_phoff, uint64_t{header.e_phnum} * sizeof(Elf32_Phdr)))
        throw file.error("has a program header table outside the file");
    std::vector<Elf32_Phdr> segments(header.e_phnum);
    file.read(header.e_phoff, segments.data(), segments.size() * sizeof(Elf32_Phdr));
    return segments;
}

std::string describe_range(uint64_t start, uint64_t end) { return fmt::format("0x{:08x}-0x{:08x}", start, end); }

// Maps one PT_LOAD segment from the file, or copies it, into guest memory with at least read
// access (write access where it had to be written); load_elf() sets the final protections.
void load_segment(AddressSpace& memory, const ElfFile& file, const Elf32_Phdr& segment, uint32_t address)
{
    constexpr uint32_t page_mask = AddressSpace::page_size - 1;
    uint32_t start = address & ~page_mask;
    uint32_t end = AddressSpace::round_up_to_page(uint64_t{address} + segment.p_memsz);
    uint8_t writable = memory::ProtectionRead | memory::ProtectionWrite;
    auto cannot_map = [&] { return file.error("cannot be mapped into the guest address space"); };

    bool fresh = true;
    for (uint64_t page = start; page < end; page += AddressSpace::page_size)
        fresh = fresh && !memory.is_mapped(static_cast<uint32_t>(page));
    // Like the kernel, map the file's pages directly when the segment's offset and address agree
    // modulo the page size and no earlier segment shares its pages; the rest is anonymous (bss).
    if (fresh && segment.p_filesz > 0 && (segment.p_offset & page_mask) == (address & page_mask)) {
        uint32_t file_end = AddressSpace::round_up_to_page(uint64_t{address} + segment.p_filesz);
        // A read-only private mapping costs no commit charge however large the segment is.
        uint8_t initial = (segment.p_flags & PF_W) ? writable : uint8_t{memory::ProtectionRead};
        if (memory.map_file(start, file_end - start, initial, file.descriptor(), segment.p_offset & ~page_mask, false) == 0) {
            // The last file page holds whatever follows the segment in the file: clear it.
            uint32_t data_end = address + segment.p_filesz;
            if (data_end != file_end) {
                if (initial != writable && memory.protect(file_end - AddressSpace::page_size, AddressSpace::page_size, writable) != 0)
                    throw cannot_map();
                std::memset(memory.host_address(data_end), 0, file_end - data_end);
            }
            if (file_end < end && memory.map_anonymous(file_end, end - file_end, writable) != 0)
                throw cannot_map();
            return;
        }
        // A file system without mmap: fall back to reading.
    }
    // Pages an earlier segment mapped keep their contents; each run of the others is mapped at once.
    for (uint64_t page = start; page < end;) {
        auto guest_page = static_cast<uint32_t>(page);
        uint64_t run_end = page + AddressSpace::page_size;
        bool mapped = memory.is_mapped(guest_page);
        while (run_end < end && memory.is_mapped(static_cast<uint32_t>(run_end)) == mapped)
            run_end += AddressSpace::page_size;
        auto length = static_cast<uint32_t>(run_end - page);
        if ((mapped ? memory.protect(guest_page, length, writable) : memory.map_anonymous(guest_page, length, writable)) != 0)
            throw cannot_map();
        page = run_end;
    }
    file.read(segment.p_offset, memory.host_address(address), segment.p_filesz);
}

} // namespace

LoadedImage load_elf(memory::AddressSpace& memory, const std::string& path, uint32_t preferred_base)
{
    ElfFile file(path);
    Elf32_Ehdr header = read_header(file);
    std::vector<Elf32_Phdr> segments = read_program_headers(file, header);

    // Validate everything before touching guest memory.
    LoadedImage image;
    uint64_t lowest = UINT64_MAX;
    bool has_interpreter = false;
    for (const Elf32_Phdr& segment : segments) {
        switch (segment.p_type) {
        case PT_GNU_STACK: image.executable_stack = (segment.p_flags & PF_X) != 0; break;
        case PT_INTERP: {
            if (has_interpreter)
                break;
            has_interpreter = true;
            // As the kernel requires: a NUL-terminated path no longer than PATH_MAX.
            if (segment.p_filesz < 2 || segment.p_filesz > PATH_MAX || !file.contains(segment.p_offset, segment.p_filesz))
                throw file.error("has a malformed PT_INTERP segment");
            std::string name(segment.p_filesz, '\0');
            file.read(segment.p_offset, name.data(), name.size());
            if (name.back() != '\0')
                throw file.error("has a malformed PT_INTERP segment");
            name.resize(std::strlen(name.c_str()));
            image.interpreter = name;
            break;
        }
        case segment_mips_abiflags:
            if (segment.p_filesz > abiflags_fp_abi_offset && file.contains(segment.p_offset, segment.p_filesz))
                file.read(segment.p_offset + abiflags_fp_abi_offset, &image.fp_abi, 1);
            break;
        case PT_LOAD:
            if (segment.p_memsz == 0)
                break;
            if (segment.p_filesz > segment.p_memsz)
                throw file.error(fmt::format("has a PT_LOAD segment whose file size (0x{:x}) exceeds its memory size (0x{:x})",
                                             segment.p_filesz, segment.p_memsz));
            if (!file.contains(segment.p_offset, segment.p_filesz))
                throw file.error(fmt::format("has a PT_LOAD segment outside the file (bytes 0x{:x}-0x{:x} of a {}-byte file)",
                                             segment.p_offset, uint64_t{segment.p_offset} + segment.p_filesz, file.size()));
            lowest = std::min<uint64_t>(lowest, segment.p_vaddr & ~(AddressSpace::page_size - 1));
            break;
        }
    }
    if (lowest == UINT64_MAX)
        throw file.error("has no loadable (PT_LOAD) segment");

    // An ET_DYN image moves as a whole so that its lowest page lands on preferred_base.
    int64_t bias = header.e_type == ET_DYN ? int64_t{preferred_base} - static_cast<int64_t>(lowest) : 0;
    uint64_t highest = 0;
    bool entry_is_executable = false;
    uint64_t entry = static_cast<uint64_t>(int64_t{header.e_entry} + bias);
    for (const Elf32_Phdr& segment : segments) {
        if (segment.p_type != PT_LOAD || segment.p_memsz == 0)
            continue;
        auto start = static_cast<uint64_t>(int64_t{segment.p_vaddr} + bias);
        uint64_t end = start + segment.p_memsz;
        if (end > user_limit)
            throw file.error(fmt::format("has a PT_LOAD segment at {} above the 2 GiB user address space",
                                         describe_range(start, end)));
        if (start < stack_top && end > stack_top - stack_size)
            throw file.error(fmt::format("has a PT_LOAD segment at {} that overlaps the stack at {}", describe_range(start, end),
                                         describe_range(stack_top - stack_size, stack_top)));
        highest = std::max(highest, end);
        if ((segment.p_flags & PF_X) && entry >= start && entry < end)
            entry_is_executable = true;
    }
    if (!entry_is_executable)
        throw file.error(fmt::format("has its entry point 0x{:08x} outside its executable segments", entry));

    for (const Elf32_Phdr& segment : segments)
        if (segment.p_type == PT_LOAD && segment.p_memsz != 0)
            load_segment(memory, file, segment, static_cast<uint32_t>(int64_t{segment.p_vaddr} + bias));
    for (const Elf32_Phdr& segment : segments) {
        if (segment.p_type != PT_LOAD || segment.p_memsz == 0)
            continue;
        auto address = static_cast<uint32_t>(int64_t{segment.p_vaddr} + bias);
        uint32_t start = address & ~(AddressSpace::page_size - 1);
        uint32_t end = AddressSpace::round_up_to_page(uint64_t{address} + segment.p_memsz);
        memory.protect(start, end - start, guest_protection(segment.p_flags));
        if (segment.p_filesz != 0)
            image.file_pages.push_back(
                {start, AddressSpace::round_up_to_page(uint64_t{address} + segment.p_filesz),
                 segment.p_offset & ~(AddressSpace::page_size - 1)});
        if (header.e_phoff >= segment.p_offset && header.e_phoff < uint64_t{segment.p_offset} + segment.p_filesz)
            image.program_headers = address + (header.e_phoff - segment.p_offset);
    }

    image.entry = static_cast<uint32_t>(entry);
    image.load_bias = static_cast<uint32_t>(bias);
    image.program_header_count = header.e_phnum;
    image.start_of_image = static_cast<uint32_t>(static_cast<int64_t>(lowest) + bias);
    image.end_of_image = AddressSpace::round_up_to_page(highest);
    return image;
}

} // namespace isomorph::process
