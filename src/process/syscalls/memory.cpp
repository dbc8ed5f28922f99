// Memory-management system calls: brk, and the mmap family.

#include "process/process.h"
#include "process/syscalls/handlers.h"

#include <cerrno>

namespace isomorph::process::syscalls {

// brk(end): grows or shrinks the heap; always returns the current break, as Linux does.
SyscallResult sys_brk(Process& process, const SyscallArguments& a)
{
    uint32_t requested = a[0];
    uint32_t old_top = memory::AddressSpace::round_up_to_page(process.break_end);
    if (requested < process.break_start)
        return process.break_end;
    uint32_t new_top = memory::AddressSpace::round_up_to_page(requested);
    auto& memory = process.memory();
    if (new_top > old_top) {
        if (!memory.find_free(new_top - old_top, old_top, new_top).has_value() ||
            *memory.find_free(new_top - old_top, old_top, new_top) != old_top)
            return process.break_end;
        if (memory.map_anonymous(old_top, new_top - old_top, memory::ProtectionRead | memory::ProtectionWrite) != 0)
            return process.break_end;
    } else if (new_top < old_top) {
        memory.unmap(new_top, old_top - new_top);
    }
    process.break_end = requested;
    return process.break_end;
}

} // namespace isomorph::process::syscalls
