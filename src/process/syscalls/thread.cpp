// Thread bookkeeping the C library sets up at start: the TLS pointer, the thread-ID address and
// the robust futex list. The process has one thread so far, whose thread ID is the process ID.

#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <unistd.h>

namespace isomorph::process::syscalls {

namespace {
constexpr uint32_t robust_list_head_size = 12; // struct robust_list_head: three 32-bit words
}

// set_thread_area(address): the TLS pointer that RDHWR $29 (UserLocal) returns.
SyscallResult sys_set_thread_area(Process& process, const SyscallArguments& a)
{
    process.cpu().user_local = a[0];
    return 0;
}

// set_tid_address(address): where the thread's ID is cleared (and a futex woken) when it exits.
SyscallResult sys_set_tid_address(Process& process, const SyscallArguments& a)
{
    process.thread().clear_child_tid = a[0];
    return process.thread().tid;
}

SyscallResult sys_set_robust_list(Process& process, const SyscallArguments& a)
{
    if (a[1] != robust_list_head_size)
        return -EINVAL;
    process.thread().robust_list_head = a[0];
    process.thread().robust_list_length = a[1];
    return 0;
}

// get_robust_list(pid, head pointer, length pointer), for the calling thread only.
SyscallResult sys_get_robust_list(Process& process, const SyscallArguments& a)
{
    int32_t pid = static_cast<int32_t>(a[0]);
    const GuestThread& thread = process.thread();
    if (pid != 0 && pid != thread.tid)
        return -EPERM;
    if (!write_guest(process, a[1], thread.robust_list_head) || !write_guest(process, a[2], thread.robust_list_length))
        return -EFAULT;
    return 0;
}

} // namespace isomorph::process::syscalls
