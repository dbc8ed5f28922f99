#include "process/initial_stack.h"

#include "process/error.h"

#include <algorithm>
#include <elf.h>
#include <cerrno>
#include <sys/random.h>
#include <unistd.h>

namespace isomorph::process {

namespace {

// Writes downward from the top of the stack.
class StackWriter {
public:
    StackWriter(memory::AddressSpace& memory, uint32_t top) : m_memory(memory), m_cursor(top) {}

    uint32_t push_bytes(const void* data, uint32_t length)
    {
        m_cursor -= length;
        if (!m_memory.copy_to_guest(m_cursor, data, length))
            throw UserError("the initial stack does not fit: arguments and environment are too large");
        return m_cursor;
    }
    uint32_t push_string(const std::string& text) { return push_bytes(text.c_str(), static_cast<uint32_t>(text.size() + 1)); }
    void align(uint32_t alignment) { m_cursor &= ~(alignment - 1); }
    uint32_t cursor() const { return m_cursor; }
    void set_cursor(uint32_t cursor) { m_cursor = cursor; }

private:
    memory::AddressSpace& m_memory;
    uint32_t m_cursor;
};

} // namespace

StackLayout build_initial_stack(memory::AddressSpace& memory, const StackRequest& request, bool executable)
{
    uint8_t protection = memory::ProtectionRead | memory::ProtectionWrite;
    if (executable)
        protection |= memory::ProtectionExecute;
    if (memory.map_anonymous(stack_top - stack_size, stack_size, protection) != 0)
        throw UserError("cannot map the guest stack");

    // do_execveat_common(): the executable's path first, at the top (below one NULL word), then
    // the environment strings, then the argument strings, each set with its first string lowest.
    StackWriter writer(memory, stack_top - 4);
    uint32_t executable_path = writer.push_string(request.executable_path);
    std::vector<uint32_t> environment;
    for (auto it = request.environment.rbegin(); it != request.environment.rend(); ++it)
        environment.insert(environment.begin(), writer.push_string(*it));
    std::vector<uint32_t> arguments;
    for (auto it = request.arguments.rbegin(); it != request.arguments.rend(); ++it)
        arguments.insert(arguments.begin(), writer.push_string(*it));

    // create_elf_tables(): arch_align_stack() (MIPS: ALMASK, 8 bytes for a 32-bit kernel, no
    // random offset here), no AT_PLATFORM string (the MIPS kernel sets one only for a few CPU
    // families), the AT_BASE_PLATFORM string set_isa() picks for MIPS32 Release 2, then the 16
    // AT_RANDOM bytes.
    writer.align(8);
    uint32_t base_platform = writer.push_string("mips32r2");
    uint8_t random_bytes[16];
    if (request.random_bytes) {
        std::copy(request.random_bytes->begin(), request.random_bytes->end(), random_bytes);
    } else {
        // One getrandom call, as the kernel fills AT_RANDOM (std::random_device probes the CPU
        // first, which costs a trap to the hypervisor on a virtual machine at every start).
        size_t filled = 0;
        while (filled < sizeof random_bytes) {
            ssize_t got = getrandom(random_bytes + filled, sizeof random_bytes - filled, 0);
            if (got > 0)
                filled += static_cast<size_t>(got);
            else if (errno != EINTR)
                throw UserError("cannot read random bytes for AT_RANDOM");
        }
    }
    uint32_t random = writer.push_bytes(random_bytes, sizeof random_bytes);

    const LoadedImage& program = *request.program;
    // The auxiliary vector in create_elf_tables() order. MIPS's ARCH_DLINFO would add
    // AT_SYSINFO_EHDR for the vDSO, which this emulator does not provide, and it defines no
    // ELF_HWCAP2. AT_HWCAP is 0: a MIPS32 Release 2 CPU without MIPS16, DSP or MSA has no
    // capability bits.
    std::vector<std::pair<uint32_t, uint32_t>> auxiliary = {
        {AT_HWCAP, 0},
        {AT_PAGESZ, memory::AddressSpace::page_size},
        {AT_CLKTCK, 100},
        {AT_PHDR, program.program_headers},
        {AT_PHENT, sizeof(Elf32_Phdr)},
        {AT_PHNUM, program.program_header_count},
        {AT_BASE, request.interpreter_base},
        {AT_FLAGS, 0},
        {AT_ENTRY, request.entry},
        {AT_UID, static_cast<uint32_t>(getuid())},
        {AT_EUID, static_cast<uint32_t>(geteuid())},
        {AT_GID, static_cast<uint32_t>(getgid())},
        {AT_EGID, static_cast<uint32_t>(getegid())},
        {AT_SECURE, 0},
        {AT_RANDOM, random},
        {AT_EXECFN, executable_path},
        {AT_BASE_PLATFORM, base_platform},
        {AT_NULL, 0},
    };

    // argc, argv[] + NULL, envp[] + NULL and the auxiliary vector: STACK_ROUND() puts the start
    // of it all 16-byte aligned below the AT_RANDOM bytes.
    uint32_t words = 1 + static_cast<uint32_t>(arguments.size() + 1 + environment.size() + 1 + auxiliary.size() * 2);
    writer.set_cursor((writer.cursor() - words * 4) & ~15u);
    if (!memory.range_has(writer.cursor(), words * 4, memory::ProtectionWrite))
        throw UserError("the initial stack does not fit: arguments and environment are too large");
    StackLayout layout;
    layout.strings_start = !arguments.empty()     ? arguments.front()
                           : !environment.empty() ? environment.front()
                                                  : executable_path;
    layout.strings_end = stack_top - 4;
    layout.random = random;
    layout.base_platform = base_platform;
    std::copy(std::begin(random_bytes), std::end(random_bytes), layout.random_bytes.begin());
    layout.stack_pointer = writer.cursor();
    uint32_t cursor = layout.stack_pointer;
    auto put = [&](uint32_t value) {
        memory.write<uint32_t>(cursor, value);
        cursor += 4;
    };
    put(static_cast<uint32_t>(arguments.size()));
    layout.argv = cursor;
    for (uint32_t address : arguments)
        put(address);
    put(0);
    layout.envp = cursor;
    for (uint32_t address : environment)
        put(address);
    put(0);
    layout.auxv = cursor;
    for (auto [type, value] : auxiliary) {
        put(type);
        put(value);
    }
    return layout;
}

} // namespace isomorph::process
