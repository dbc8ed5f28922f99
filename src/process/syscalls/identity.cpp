// Process and user identity. The set*id calls go to the host kernel directly rather than through
// the host C library, which would apply them to every host thread: on Linux they change the
// calling thread only, and a guest C library makes them process-wide itself.

#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace isomorph::process::syscalls {

namespace {
SyscallResult raw(long number, uint32_t first = 0, uint32_t second = 0, uint32_t third = 0)
{
    return host_result(syscall(number, first, second, third));
}

// getresuid/getresgid: three 32-bit ids written to three guest pointers.
SyscallResult write_three(Process& process, const SyscallArguments& a, const uint32_t (&ids)[3])
{
    for (int index = 0; index < 3; ++index)
        if (!write_guest(process, a[index], ids[index]))
            return -EFAULT;
    return 0;
}
} // namespace

SyscallResult sys_getpid(Process&, const SyscallArguments&) { return getpid(); }
SyscallResult sys_getppid(Process&, const SyscallArguments&) { return getppid(); }
SyscallResult sys_gettid(Process&, const SyscallArguments&) { return gettid(); }
SyscallResult sys_getuid(Process&, const SyscallArguments&) { return getuid(); }
SyscallResult sys_geteuid(Process&, const SyscallArguments&) { return geteuid(); }
SyscallResult sys_getgid(Process&, const SyscallArguments&) { return getgid(); }
SyscallResult sys_getegid(Process&, const SyscallArguments&) { return getegid(); }

// getgroups(size, list): with size 0 only the count.
SyscallResult sys_getgroups(Process& process, const SyscallArguments& a)
{
    int count = getgroups(0, nullptr);
    if (count < 0)
        return -errno;
    std::vector<gid_t> groups(static_cast<size_t>(count));
    count = getgroups(count, groups.data());
    if (count < 0)
        return -errno;
    if (a[0] == 0)
        return count;
    if (static_cast<int32_t>(a[0]) < count)
        return -EINVAL;
    if (!process.memory().copy_to_guest(a[1], groups.data(), static_cast<size_t>(count) * sizeof(gid_t)))
        return -EFAULT;
    return count;
}

SyscallResult sys_setgroups(Process& process, const SyscallArguments& a)
{
    if (a[0] > 65536)
        return -EINVAL;
    std::vector<gid_t> groups(a[0]);
    if (!process.memory().copy_from_guest(groups.data(), a[1], groups.size() * sizeof(gid_t)))
        return -EFAULT;
    return host_result(syscall(SYS_setgroups, groups.size(), groups.data()));
}

SyscallResult sys_setuid(Process&, const SyscallArguments& a) { return raw(SYS_setuid, a[0]); }
SyscallResult sys_setgid(Process&, const SyscallArguments& a) { return raw(SYS_setgid, a[0]); }
SyscallResult sys_setreuid(Process&, const SyscallArguments& a) { return raw(SYS_setreuid, a[0], a[1]); }
SyscallResult sys_setregid(Process&, const SyscallArguments& a) { return raw(SYS_setregid, a[0], a[1]); }
SyscallResult sys_setresuid(Process&, const SyscallArguments& a) { return raw(SYS_setresuid, a[0], a[1], a[2]); }
SyscallResult sys_setresgid(Process&, const SyscallArguments& a) { return raw(SYS_setresgid, a[0], a[1], a[2]); }
SyscallResult sys_setfsuid(Process&, const SyscallArguments& a) { return raw(SYS_setfsuid, a[0]); }
SyscallResult sys_setfsgid(Process&, const SyscallArguments& a) { return raw(SYS_setfsgid, a[0]); }

SyscallResult sys_getresuid(Process& process, const SyscallArguments& a)
{
    uid_t real, effective, saved;
    getresuid(&real, &effective, &saved);
    return write_three(process, a, {real, effective, saved});
}

SyscallResult sys_getresgid(Process& process, const SyscallArguments& a)
{
    gid_t real, effective, saved;
    getresgid(&real, &effective, &saved);
    return write_three(process, a, {real, effective, saved});
}

SyscallResult sys_getpgrp(Process&, const SyscallArguments&) { return getpgrp(); }
SyscallResult sys_getpgid(Process&, const SyscallArguments& a) { return host_result(getpgid(static_cast<int32_t>(a[0]))); }

SyscallResult sys_setpgid(Process&, const SyscallArguments& a)
{
    return host_result(setpgid(static_cast<int32_t>(a[0]), static_cast<int32_t>(a[1])));
}

SyscallResult sys_getsid(Process&, const SyscallArguments& a) { return host_result(getsid(static_cast<int32_t>(a[0]))); }
SyscallResult sys_setsid(Process&, const SyscallArguments&) { return host_result(setsid()); }

} // namespace isomorph::process::syscalls
