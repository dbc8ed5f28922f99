// Thread-related system calls.

#include "process/process.h"
#include "process/syscalls/handlers.h"

#include <unistd.h>

namespace isomorph::process::syscalls {

// set_thread_area(address): the TLS pointer that RDHWR $29 (UserLocal) returns.
SyscallResult sys_set_thread_area(Process& process, const SyscallArguments& a)
{
    process.cpu().user_local = a[0];
    return 0;
}

SyscallResult sys_set_tid_address(Process&, const SyscallArguments&) { return getpid(); }

} // namespace isomorph::process::syscalls
