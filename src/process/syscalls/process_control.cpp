// Process life cycle and control: the indirect system call, exit, waiting for children, prctl.

#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <cstring>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace isomorph::process::syscalls {

namespace {

// The wait status with the host's signal numbers replaced by the guest's.
uint32_t guest_wait_status(int status)
{
    if (WIFSIGNALED(status))
        return static_cast<uint32_t>((status & ~0x7F) | static_cast<int>(guest_signal(WTERMSIG(status))));
    if (WIFSTOPPED(status))
        return static_cast<uint32_t>((status & 0xFFFF00FF) | static_cast<int>(guest_signal(WSTOPSIG(status)) << 8));
    return static_cast<uint32_t>(status);
}

SyscallResult wait_for(Process& process, int32_t pid, uint32_t status_address, uint32_t options,
                       uint32_t usage_address)
{
    int status = 0;
    struct rusage usage;
    pid_t waited = wait4(pid, &status, static_cast<int>(options), usage_address ? &usage : nullptr);
    if (waited < 0)
        return -errno;
    if (waited > 0 && status_address != 0 && !write_guest(process, status_address, guest_wait_status(status)))
        return -EFAULT;
    if (waited > 0 && usage_address != 0 && !write_guest(process, usage_address, to_guest_rusage(usage)))
        return -EFAULT;
    return waited;
}

constexpr uint32_t fp_mode_fr = 1;  // PR_FP_MODE_FR: 64-bit FPU registers
constexpr uint32_t fp_mode_fre = 2; // PR_FP_MODE_FRE: emulated 32-bit singles on FR=1

} // namespace

// syscall(number, ...): the o32 indirect call; the arguments move down by one.
SyscallResult sys_syscall(Process& process, const SyscallArguments& a)
{
    SyscallArguments shifted;
    shifted.number = a[0];
    for (size_t index = 0; index + 1 < a.values.size(); ++index)
        shifted.values[index] = a.values[index + 1];
    const SyscallInfo* info = find_syscall(shifted.number);
    if (shifted.number == 4000 || info == nullptr || info->handler == nullptr) {
        process.record_unimplemented(shifted.number);
        return -ENOSYS;
    }
    return info->handler(process, shifted);
}

// exit(status): the calling thread ends; the last one to end ends the process.
SyscallResult sys_exit(Process& process, const SyscallArguments& a)
{
    process.exit_thread(static_cast<int>(a[0]));
    return 0;
}

SyscallResult sys_exit_group(Process& process, const SyscallArguments& a)
{
    process.exit_group(static_cast<int>(a[0]));
    return 0;
}

// wait4(pid, status, options, rusage): the wait options have the same bits on MIPS.
SyscallResult sys_wait4(Process& process, const SyscallArguments& a)
{
    return wait_for(process, static_cast<int32_t>(a[0]), a[1], a[2], a[3]);
}

SyscallResult sys_waitpid(Process& process, const SyscallArguments& a)
{
    return wait_for(process, static_cast<int32_t>(a[0]), a[1], a[2], 0);
}

// prctl(option, ...): the task name, MIPS's FPU register mode, and a few flags that are safe to
// pass to the host.
SyscallResult sys_prctl(Process& process, const SyscallArguments& a)
{
    switch (a[0]) {
    case PR_SET_NAME: {
        // The kernel copies 16 bytes and keeps at most 15 characters.
        char name[16] = {};
        uint32_t length = 0;
        while (length < 15 && process.memory().copy_from_guest(&name[length], a[1] + length, 1) && name[length] != 0)
            ++length;
        if (length == 0 && !process.memory().range_has(a[1], 1, memory::ProtectionRead))
            return -EFAULT;
        process.thread().name.assign(name, length);
        return 0;
    }
    case PR_GET_NAME: {
        char name[16] = {};
        const std::string& current = process.thread().name;
        std::memcpy(name, current.data(), std::min<size_t>(current.size(), 15));
        return write_guest(process, a[1], name) ? 0 : -EFAULT;
    }
    case PR_SET_FP_MODE: {
        // As mips_set_process_fp_mode: no change succeeds, unknown bits and FRE (which this CPU
        // does not have) are not supported.
        uint32_t mode = a[1];
        if (mode == (process.cpu().fpu.fr ? fp_mode_fr : 0))
            return 0;
        if (mode & ~fp_mode_fr)
            return -EOPNOTSUPP;
        process.cpu().fpu.fr = (mode & fp_mode_fr) != 0;
        return 0;
    }
    case PR_GET_FP_MODE: return process.cpu().fpu.fr ? fp_mode_fr : 0;
    case PR_SET_PDEATHSIG: {
        int host = a[1] == 0 ? 0 : host_signal(a[1]);
        if (a[1] != 0 && host == 0)
            return -EINVAL;
        return host_result(prctl(PR_SET_PDEATHSIG, host));
    }
    case PR_GET_PDEATHSIG: {
        int host = 0;
        if (prctl(PR_GET_PDEATHSIG, &host) < 0)
            return -errno;
        uint32_t guest = host == 0 ? 0 : guest_signal(host);
        return write_guest(process, a[1], guest) ? 0 : -EFAULT;
    }
    case PR_GET_DUMPABLE:
    case PR_SET_DUMPABLE:
    case PR_GET_KEEPCAPS:
    case PR_SET_KEEPCAPS:
    case PR_GET_TIMERSLACK:
    case PR_SET_TIMERSLACK:
    case PR_CAPBSET_READ:
    case PR_GET_NO_NEW_PRIVS:
    case PR_SET_NO_NEW_PRIVS:
        return host_result(prctl(static_cast<int>(a[0]), static_cast<unsigned long>(a[1]),
                                 static_cast<unsigned long>(a[2]), static_cast<unsigned long>(a[3]),
                                 static_cast<unsigned long>(a[4])));
    default: return -EINVAL;
    }
}

} // namespace isomorph::process::syscalls
