#include "process/o32/errno.h"
#include "process/process.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/strace.h"

#include <algorithm>
#include <cerrno>
#include <optional>

namespace isomorph::process {

namespace {

using namespace syscalls;

constexpr SyscallInfo syscall_table[] = {
#define SYSCALL(number, name, format, result_format, handler) {number, #name, format, result_format, handler},
#include "process/syscalls/syscall_table.inc"
#undef SYSCALL
};

constexpr bool sorted_by_number()
{
    for (size_t index = 1; index < std::size(syscall_table); ++index)
        if (syscall_table[index - 1].number >= syscall_table[index].number)
            return false;
    return true;
}
static_assert(sorted_by_number(), "syscall_table.inc must be sorted by number");

} // namespace

const SyscallInfo* find_syscall(uint32_t number)
{
    auto* end = std::end(syscall_table);
    auto* found = std::lower_bound(std::begin(syscall_table), end, number,
                                   [](const SyscallInfo& info, uint32_t value) { return info.number < value; });
    return found != end && found->number == number ? found : nullptr;
}

void dispatch_syscall(Process& process)
{
    cpu::CpuState& cpu = process.cpu();
    SyscallArguments arguments;
    arguments.number = cpu.gpr[2];
    for (unsigned index = 0; index < 4; ++index)
        arguments.values[index] = cpu.gpr[4 + index];
    // Arguments five to eight live on the caller's stack. A call that takes more than four fails
    // with EFAULT when they cannot be read (as in qemu-mipsel; the kernel's o32 entry path copies
    // the four words for every call, so there even exit() fails with a bad sp).
    const SyscallInfo* info = find_syscall(arguments.number);
    bool stack_readable = process.memory().copy_from_guest(&arguments.values[4], cpu.gpr[29] + 16, 16);
    if (!stack_readable) {
        std::fill(arguments.values.begin() + 4, arguments.values.end(), 0);
        stack_readable = info == nullptr || info->format.size() <= 4;
    }

    std::optional<SyscallTrace> trace;
    if (process.options().strace)
        trace.emplace(process, info, arguments);
    SyscallResult result = !stack_readable                  ? -EFAULT
                           : info && info->handler         ? info->handler(process, arguments)
                                                           : -ENOSYS;
    // The indirect call (4000) records the number it was asked to run itself.
    if (result == -ENOSYS && arguments.number != 4000)
        process.record_unimplemented(arguments.number);
    if (trace)
        trace->finish(result);

    // o32 convention: v0 holds the result, or the positive (MIPS) errno with a3 = 1.
    if (result < 0 && result >= -4095) {
        cpu.gpr[2] = static_cast<uint32_t>(o32::guest_errno(static_cast<int>(-result)));
        cpu.gpr[7] = 1;
    } else {
        cpu.gpr[2] = static_cast<uint32_t>(result);
        cpu.gpr[7] = 0;
    }
    cpu.advance();
}

} // namespace isomorph::process
