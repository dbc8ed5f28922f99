#include "process/syscall_register_trace.h"

#include "isa/disassembler.h"
#include "process/error.h"
#include "process/signal_delivery.h"
#include "process/syscalls/syscalls.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

namespace isomorph::process {

SyscallRegisterTrace::SyscallRegisterTrace(const std::string& path)
{
    m_descriptor = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (m_descriptor < 0)
        throw UserError(fmt::format("--syscall-trace: cannot open '{}': {}", path, std::strerror(errno)));
    // Guest descriptors are host descriptors: keep the trace's out of the low numbers the guest's
    // open() would return, so that they match an untraced run's (and qemu-mipsel's).
    struct rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur > 128) {
        int lowest = static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 1 << 20) - 64);
        int high = fcntl(m_descriptor, F_DUPFD_CLOEXEC, lowest);
        if (high >= 0) {
            close(m_descriptor);
            m_descriptor = high;
        }
    }
    write_line("# isomorph-syscall-trace 1\n");

    // NUMBER:NTH, both decimal; anything else is ignored, as this is for tests only.
    if (const char* perturb = std::getenv("ISOMORPH_TEST_PERTURB_SYSCALL")) {
        char* end = nullptr;
        unsigned long number = std::strtoul(perturb, &end, 10);
        if (end != perturb && *end == ':') {
            const char* occurrence_text = end + 1;
            unsigned long long occurrence = std::strtoull(occurrence_text, &end, 10);
            if (end != occurrence_text && *end == '\0' && occurrence > 0) {
                m_perturb = true;
                m_perturb_number = static_cast<uint32_t>(number);
                m_perturb_occurrence = occurrence;
            }
        }
    }
}

SyscallRegisterTrace::~SyscallRegisterTrace()
{
    if (m_descriptor >= 0)
        close(m_descriptor);
}

void SyscallRegisterTrace::write_layout(uint32_t stack_low, uint32_t stack_high, const StackLayout& layout)
{
    write_line(fmt::format("# stack 0x{:08x}-0x{:08x} initial-sp 0x{:08x}\n", stack_low, stack_high,
                           layout.stack_pointer));
    write_line(fmt::format("# strings 0x{:08x}-0x{:08x} random 0x{:08x} platform 0x{:08x}\n",
                           layout.strings_start, layout.strings_end, layout.random, layout.base_platform));
    // The AT_RANDOM bytes, from which glibc derives its stack and pointer guards: values the
    // comparer must recognise, since they differ from run to run.
    std::string bytes;
    for (uint8_t byte : layout.random_bytes)
        bytes += fmt::format("{:02x}", byte);
    write_line(fmt::format("# random-bytes {}\n", bytes));
    // Where signal handlers return to (their ra).
    write_line(fmt::format("# sigreturn-page 0x{:08x}\n", sigreturn_page));
}

void SyscallRegisterTrace::record(Point point, int32_t tid, uint32_t number, const cpu::CpuState& cpu)
{
    const SyscallInfo* info = find_syscall(number);
    // The process ID tells a forked child's lines from its parent's.
    std::string line = fmt::format("{} pid={} tid={} pc=0x{:08x} syscall={} name={}",
                                   point == Point::Entry ? "enter" : "return", getpid(), tid, cpu.pc, number,
                                   info ? info->name : std::string_view("unknown"));
    for (unsigned index = 0; index < 32; ++index)
        line += fmt::format(" {}={:08x}", isa::register_name(index), cpu.gpr[index]);
    line += fmt::format(" hi={:08x} lo={:08x}\n", cpu.hi, cpu.lo);
    write_line(line);
}

void SyscallRegisterTrace::perturb_result(uint32_t number, cpu::CpuState& cpu)
{
    if (!m_perturb || number != m_perturb_number)
        return;
    if (m_perturb_seen.fetch_add(1, std::memory_order_relaxed) + 1 == m_perturb_occurrence)
        cpu.gpr[2] += 1;
}

void SyscallRegisterTrace::write_line(const std::string& line)
{
    // One write per line: with O_APPEND, lines of concurrent threads and processes stay whole.
    const char* data = line.data();
    size_t remaining = line.size();
    while (remaining > 0) {
        ssize_t written = write(m_descriptor, data, remaining);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return; // a full disk ends the trace, not the guest
        data += written;
        remaining -= static_cast<size_t>(written);
    }
}

} // namespace isomorph::process
