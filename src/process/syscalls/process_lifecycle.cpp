// Guest processes and threads: fork, vfork and clone without CLONE_VM become host processes,
// clone with CLONE_THREAD a guest thread on a host thread (process/threads.cpp); waitid reports
// children in the MIPS siginfo layout; execve continues under Isomorph (process/exec.h).
//
// A host fork() copies the whole emulator with the guest: the 4 GiB reservation and its
// contents, the engine's translated code and its code-page write protection, the signal state.
// The child has only the calling thread, which goes on as the only guest thread; the locks the
// other threads might hold are taken around the fork, so the child finds them free.

#include "process/exec.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace isomorph::process::syscalls {

namespace {

constexpr uint32_t guest_sigchld = 18;
constexpr uint32_t clone_signal_mask = 0xFF;

// The clone flags that ask for shared state this emulator cannot give two host processes.
constexpr uint32_t clone_shared_flags = CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES | CLONE_FS;
// What a thread shares with its creator here, as a host thread does: everything of the above.
constexpr uint32_t clone_thread_flags = clone_shared_flags;
// The flags of a thread's clone that change nothing here: System V semaphore undo lists are
// not kept, and the IDs and TLS are handled by the caller.
constexpr uint32_t clone_thread_extras = CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
                                         CLONE_CHILD_CLEARTID | CLONE_DETACHED;

// Creates the child. vfork's promise, that the parent waits until the child has called execve
// or exited, is kept with a close-on-exec pipe the parent reads until the child's end closes.
SyscallResult create_child(Process& process, uint32_t flags, uint32_t stack, uint32_t parent_tid, uint32_t tls,
                           uint32_t child_tid)
{
    uint32_t exit_signal = flags & clone_signal_mask;
    int host_exit_signal = exit_signal == 0 ? 0 : host_signal(exit_signal);
    if (exit_signal != 0 && host_exit_signal == 0)
        return -EINVAL;
    bool vfork = (flags & CLONE_VFORK) != 0;
    int vfork_pipe[2] = {-1, -1};
    if (vfork && pipe2(vfork_pipe, O_CLOEXEC) < 0)
        vfork_pipe[0] = vfork_pipe[1] = -1;

    std::fflush(nullptr);
    process.before_fork();
    pid_t pid = exit_signal == guest_sigchld ? fork()
                                             : static_cast<pid_t>(syscall(SYS_clone, host_exit_signal, 0, 0, 0, 0));
    process.after_fork(pid == 0);
    if (pid < 0) {
        int error = errno;
        if (vfork_pipe[0] >= 0) {
            close(vfork_pipe[0]);
            close(vfork_pipe[1]);
        }
        return -error;
    }
    if (pid == 0) {
        if (vfork_pipe[0] >= 0)
            close(vfork_pipe[0]);
        if (stack != 0)
            process.cpu().gpr[29] = stack;
        if (flags & CLONE_SETTLS)
            process.cpu().user_local = tls;
        if (flags & CLONE_CHILD_SETTID)
            write_guest(process, child_tid, static_cast<int32_t>(getpid()));
        if (flags & CLONE_CHILD_CLEARTID)
            process.thread().clear_child_tid = child_tid;
        return 0;
    }
    if (flags & CLONE_PARENT_SETTID)
        write_guest(process, parent_tid, static_cast<int32_t>(pid));
    if (vfork_pipe[0] >= 0) {
        close(vfork_pipe[1]);
        char byte;
        while (read(vfork_pipe[0], &byte, 1) < 0 && errno == EINTR) {
        }
        close(vfork_pipe[0]);
    }
    return pid;
}

// Reads a NULL-terminated array of guest string pointers (argv, envp).
SyscallResult read_string_array(Process& process, uint32_t address, std::vector<std::string>& strings)
{
    if (address == 0)
        return 0;
    for (uint32_t index = 0;; ++index) {
        uint32_t pointer = 0;
        if (!read_guest(process, address + 4 * index, pointer))
            return -EFAULT;
        if (pointer == 0)
            return 0;
        if (index >= 0x20000)
            return -E2BIG;
        auto text = process.memory().read_string(pointer, 128 * 1024);
        if (!text)
            return -EFAULT;
        strings.push_back(std::move(*text));
    }
}

// The fields of a MIPS siginfo_t for SIGCHLD: si_signo, si_code and si_errno come in that order
// (MIPS swaps code and errno against the generic layout), then pid, uid, status, utime, stime.
struct GuestChildInfo {
    int32_t signal_number;
    int32_t code;
    int32_t error_number;
    int32_t pid;
    uint32_t uid;
    int32_t status;
    int32_t user_time;
    int32_t system_time;
    uint8_t padding[128 - 32];
};
static_assert(sizeof(GuestChildInfo) == 128);

} // namespace

// fork(): a host process with a copy of everything.
SyscallResult sys_fork(Process& process, const SyscallArguments&)
{
    return create_child(process, guest_sigchld, 0, 0, 0, 0);
}

// clone(flags, stack, parent_tid, tls, child_tid) in MIPS's argument order (CLONE_BACKWARDS).
// Without CLONE_VM it is a fork; CLONE_VM with CLONE_VFORK (vfork, posix_spawn) is run as a fork
// whose parent waits; CLONE_THREAD with everything a thread shares (what pthread_create asks
// for) starts a guest thread. Other sharing, such as CLONE_VM without CLONE_THREAD, is not
// supported.
SyscallResult sys_clone(Process& process, const SyscallArguments& a)
{
    uint32_t flags = a[0];
    if (flags & CLONE_THREAD) {
        // The kernel's own consistency rules first.
        if (!(flags & CLONE_SIGHAND) || !(flags & CLONE_VM))
            return -EINVAL;
        if ((flags & clone_thread_flags) != clone_thread_flags ||
            (flags & ~(clone_thread_flags | clone_thread_extras | clone_signal_mask)) != 0) {
            process.record_unimplemented(4120);
            return -ENOSYS;
        }
        Process::ThreadStart start;
        start.stack = a[1];
        start.set_tls = (flags & CLONE_SETTLS) != 0;
        start.tls = a[3];
        start.parent_tid_address = (flags & CLONE_PARENT_SETTID) ? a[2] : 0;
        start.child_tid_address = (flags & CLONE_CHILD_SETTID) ? a[4] : 0;
        start.clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? a[4] : 0;
        return process.start_thread(start);
    }
    bool vfork = (flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK);
    if ((flags & clone_shared_flags) != 0 && !(vfork && (flags & clone_shared_flags) == CLONE_VM)) {
        process.record_unimplemented(4120);
        return -ENOSYS;
    }
    return create_child(process, flags, a[1], a[2], a[3], a[4]);
}

// waitid(idtype, id, infop, options, rusage): the host's answer in the guest's siginfo layout
// with guest signal numbers; the idtype values and option bits are the same on MIPS.
SyscallResult sys_waitid(Process& process, const SyscallArguments& a)
{
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    struct rusage usage;
    long result = syscall(SYS_waitid, static_cast<int>(a[0]), static_cast<int32_t>(a[1]), &info,
                          static_cast<int>(a[3]), a[4] != 0 ? &usage : nullptr);
    if (result < 0)
        return -errno;
    if (a[2] != 0) {
        GuestChildInfo guest{};
        if (info.si_signo != 0) {
            guest.signal_number = static_cast<int32_t>(guest_signal(info.si_signo));
            guest.code = info.si_code;
            guest.error_number = info.si_errno;
            guest.pid = info.si_pid;
            guest.uid = info.si_uid;
            guest.status = info.si_code == CLD_EXITED ? info.si_status
                                                      : static_cast<int32_t>(guest_signal(info.si_status));
            guest.user_time = static_cast<int32_t>(info.si_utime);
            guest.system_time = static_cast<int32_t>(info.si_stime);
        }
        if (!write_guest(process, a[2], guest))
            return -EFAULT;
    }
    if (a[4] != 0 && !write_guest(process, a[4], to_guest_rusage(usage)))
        return -EFAULT;
    return 0;
}

// execve(path, argv, envp): on success the host process becomes a new Isomorph running the new
// program, so this returns only on failure.
SyscallResult sys_execve(Process& process, const SyscallArguments& a)
{
    auto path = process.memory().read_string(a[0], 4096);
    if (!path)
        return -EFAULT;
    std::vector<std::string> arguments;
    std::vector<std::string> environment;
    if (SyscallResult error = read_string_array(process, a[1], arguments); error != 0)
        return error;
    if (SyscallResult error = read_string_array(process, a[2], environment); error != 0)
        return error;
    return -execute_guest_program(process, *path, std::move(arguments), std::move(environment));
}

} // namespace isomorph::process::syscalls
