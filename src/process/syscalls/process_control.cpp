// Process life cycle: exit, identifiers.

#include "process/process.h"
#include "process/syscalls/handlers.h"

namespace isomorph::process::syscalls {

SyscallResult sys_exit_group(Process& process, const SyscallArguments& a)
{
    process.request_exit(static_cast<int>(a[0]));
    return 0;
}

} // namespace isomorph::process::syscalls
