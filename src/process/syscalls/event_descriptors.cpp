// Descriptors that deliver events: eventfd, timerfd and inotify. Their flags are O_NONBLOCK and
// O_CLOEXEC, which MIPS numbers differently (O_NONBLOCK is 0x80); reads and writes of their 64-bit
// counters go through read and write unchanged, since both ends are little-endian, and so do
// inotify's events, whose struct inotify_event has one layout everywhere. The timerfd times are
// struct itimerspec of 32-bit words, or of 64-bit ones for the *_time64 calls. Watched paths go
// through the -L translation.

#include "process/o32/flags.h"
#include "process/o32/socket.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/timerfd.h>

namespace isomorph::process::syscalls {

namespace {

// O_NONBLOCK and O_CLOEXEC with the guest's numbers, plus the call's own low flags (EFD_SEMAPHORE);
// -1 for other bits.
int descriptor_flags_to_host(uint32_t guest, uint32_t own_flags, int host_nonblock, int host_cloexec)
{
    uint32_t known = own_flags | o32::open_flag::nonblock | o32::open_flag::close_on_exec;
    if (guest & ~known)
        return -1;
    int host = static_cast<int>(guest & own_flags);
    if (guest & o32::open_flag::nonblock)
        host |= host_nonblock;
    if (guest & o32::open_flag::close_on_exec)
        host |= host_cloexec;
    return host;
}

} // namespace

// eventfd(initial value) and eventfd2(initial value, flags)
SyscallResult sys_eventfd(Process&, const SyscallArguments& a) { return host_result(eventfd(a[0], 0)); }

SyscallResult sys_eventfd2(Process&, const SyscallArguments& a)
{
    int flags = descriptor_flags_to_host(a[1], EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC);
    if (flags < 0)
        return -EINVAL;
    return host_result(eventfd(a[0], flags));
}

// timerfd_create(clock, flags)
SyscallResult sys_timerfd_create(Process&, const SyscallArguments& a)
{
    int flags = descriptor_flags_to_host(a[1], 0, TFD_NONBLOCK, TFD_CLOEXEC);
    if (flags < 0)
        return -EINVAL;
    return host_result(timerfd_create(static_cast<int>(a[0]), flags));
}

// timerfd_settime(fd, flags, new value, old value): TFD_TIMER_ABSTIME and
// TFD_TIMER_CANCEL_ON_SET are 1 and 2 everywhere.
SyscallResult sys_timerfd_settime(Process& process, const SyscallArguments& a)
{
    return set_interval_timer<o32::Itimerspec32>(process, a, timerfd_settime);
}

SyscallResult sys_timerfd_settime64(Process& process, const SyscallArguments& a)
{
    return set_interval_timer<o32::Itimerspec64>(process, a, timerfd_settime);
}

// timerfd_gettime(fd, value)
SyscallResult sys_timerfd_gettime(Process& process, const SyscallArguments& a)
{
    return get_interval_timer<o32::Itimerspec32>(process, a, timerfd_gettime);
}

SyscallResult sys_timerfd_gettime64(Process& process, const SyscallArguments& a)
{
    return get_interval_timer<o32::Itimerspec64>(process, a, timerfd_gettime);
}

// inotify_init() and inotify_init1(flags)
SyscallResult sys_inotify_init(Process&, const SyscallArguments&) { return host_result(inotify_init1(0)); }

SyscallResult sys_inotify_init1(Process&, const SyscallArguments& a)
{
    int flags = descriptor_flags_to_host(a[0], 0, IN_NONBLOCK, IN_CLOEXEC);
    if (flags < 0)
        return -EINVAL;
    return host_result(inotify_init1(flags));
}

// inotify_add_watch(fd, path, mask): the IN_* bits are the same everywhere.
SyscallResult sys_inotify_add_watch(Process& process, const SyscallArguments& a)
{
    std::string path;
    if (SyscallResult error = read_path(process, a[1], path))
        return error;
    return host_result(inotify_add_watch(descriptor(a[0]), path.c_str(), a[2]));
}

// inotify_rm_watch(fd, watch descriptor)
SyscallResult sys_inotify_rm_watch(Process&, const SyscallArguments& a)
{
    return host_result(inotify_rm_watch(descriptor(a[0]), static_cast<int32_t>(a[1])));
}

} // namespace isomorph::process::syscalls
