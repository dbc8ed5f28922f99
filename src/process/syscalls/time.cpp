// Clocks, sleeping and process times. o32 has two generations of time calls: the original ones
// with 32-bit seconds (struct old_timespec32, old_timeval32) and the *_time64 ones added in
// Linux 5.1 with struct __kernel_timespec. glibc 2.36 tries the time64 call first and falls back
// to the old one only on ENOSYS, so both are implemented.

#include "process/o32/layouts.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <csignal>
#include <ctime>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>

namespace isomorph::process::syscalls {

namespace {

o32::Timespec32 to_timespec32(const struct timespec& host)
{
    return {static_cast<int32_t>(host.tv_sec), static_cast<int32_t>(host.tv_nsec)};
}

o32::Timespec64 to_timespec64(const struct timespec& host) { return {host.tv_sec, host.tv_nsec}; }

// Reads a guest timespec of either generation; EINVAL for nanoseconds out of range.
template <class Timespec> SyscallResult read_timespec(Process& process, uint32_t address, struct timespec& host)
{
    Timespec guest;
    if (!read_guest(process, address, guest))
        return -EFAULT;
    // A 32-bit kernel reads only the low word of a 64-bit nanoseconds field.
    int32_t nanoseconds = static_cast<int32_t>(guest.nanoseconds);
    if (nanoseconds < 0 || nanoseconds >= 1000000000)
        return -EINVAL;
    host = {static_cast<time_t>(guest.seconds), nanoseconds};
    return 0;
}

template <class Timespec> bool write_timespec(Process& process, uint32_t address, const struct timespec& host)
{
    if constexpr (sizeof(Timespec) == sizeof(o32::Timespec32))
        return write_guest(process, address, to_timespec32(host));
    else
        return write_guest(process, address, to_timespec64(host));
}

template <class Timespec> SyscallResult clock_get_time(Process& process, const SyscallArguments& a)
{
    struct timespec now;
    if (clock_gettime(static_cast<clockid_t>(a[0]), &now) < 0)
        return -errno;
    return write_timespec<Timespec>(process, a[1], now) ? 0 : -EFAULT;
}

template <class Timespec> SyscallResult clock_get_resolution(Process& process, const SyscallArguments& a)
{
    struct timespec resolution;
    if (clock_getres(static_cast<clockid_t>(a[0]), &resolution) < 0)
        return -errno;
    if (a[1] != 0 && !write_timespec<Timespec>(process, a[1], resolution))
        return -EFAULT;
    return 0;
}

// clock_nanosleep(clock, flags, request, remaining): on an interruption the time left is written
// back for a relative sleep.
template <class Timespec> SyscallResult clock_sleep(Process& process, const SyscallArguments& a)
{
    struct timespec request, remaining;
    if (SyscallResult error = read_timespec<Timespec>(process, a[2], request))
        return error;
    int error = clock_nanosleep(static_cast<clockid_t>(a[0]), static_cast<int>(a[1]), &request, &remaining);
    if (error == EINTR && a[3] != 0 && !(a[1] & TIMER_ABSTIME))
        write_timespec<Timespec>(process, a[3], remaining);
    return -error;
}

o32::Timeval32 to_timeval32(const struct timeval& host)
{
    return {static_cast<int32_t>(host.tv_sec), static_cast<int32_t>(host.tv_usec)};
}

} // namespace

// time(t): seconds since the epoch, also stored at t when it is not null.
SyscallResult sys_time(Process& process, const SyscallArguments& a)
{
    int32_t now = static_cast<int32_t>(::time(nullptr));
    if (a[0] != 0 && !write_guest(process, a[0], now))
        return -EFAULT;
    return static_cast<uint32_t>(now);
}

SyscallResult sys_gettimeofday(Process& process, const SyscallArguments& a)
{
    struct timeval now;
    gettimeofday(&now, nullptr);
    if (a[0] != 0 && !write_guest(process, a[0], to_timeval32(now)))
        return -EFAULT;
    if (a[1] != 0) {
        // The kernel's sys_tz, which nothing sets on a usual system.
        o32::Timezone zone{0, 0};
        if (!write_guest(process, a[1], zone))
            return -EFAULT;
    }
    return 0;
}

SyscallResult sys_clock_gettime(Process& process, const SyscallArguments& a)
{
    return clock_get_time<o32::Timespec32>(process, a);
}

SyscallResult sys_clock_gettime64(Process& process, const SyscallArguments& a)
{
    return clock_get_time<o32::Timespec64>(process, a);
}

SyscallResult sys_clock_getres(Process& process, const SyscallArguments& a)
{
    return clock_get_resolution<o32::Timespec32>(process, a);
}

SyscallResult sys_clock_getres_time64(Process& process, const SyscallArguments& a)
{
    return clock_get_resolution<o32::Timespec64>(process, a);
}

SyscallResult sys_nanosleep(Process& process, const SyscallArguments& a)
{
    struct timespec request, remaining;
    if (SyscallResult error = read_timespec<o32::Timespec32>(process, a[0], request))
        return error;
    if (nanosleep(&request, &remaining) == 0)
        return 0;
    int error = errno;
    if (error == EINTR && a[1] != 0)
        write_guest(process, a[1], to_timespec32(remaining));
    return -error;
}

SyscallResult sys_clock_nanosleep(Process& process, const SyscallArguments& a)
{
    return clock_sleep<o32::Timespec32>(process, a);
}

SyscallResult sys_clock_nanosleep_time64(Process& process, const SyscallArguments& a)
{
    return clock_sleep<o32::Timespec64>(process, a);
}

// times(buffer): the process's CPU times in clock ticks (AT_CLKTCK is 100, as on the host).
SyscallResult sys_times(Process& process, const SyscallArguments& a)
{
    struct tms host;
    clock_t now = times(&host);
    if (a[0] != 0) {
        o32::Tms guest{static_cast<int32_t>(host.tms_utime), static_cast<int32_t>(host.tms_stime),
                       static_cast<int32_t>(host.tms_cutime), static_cast<int32_t>(host.tms_cstime)};
        if (!write_guest(process, a[0], guest))
            return -EFAULT;
    }
    return static_cast<uint32_t>(now);
}

o32::Rusage to_guest_rusage(const struct rusage& host)
{
    o32::Rusage guest{};
    guest.ru_utime = to_timeval32(host.ru_utime);
    guest.ru_stime = to_timeval32(host.ru_stime);
    const long fields[14] = {host.ru_maxrss, host.ru_ixrss,  host.ru_idrss,    host.ru_isrss,  host.ru_minflt,
                             host.ru_majflt, host.ru_nswap,  host.ru_inblock,  host.ru_oublock, host.ru_msgsnd,
                             host.ru_msgrcv, host.ru_nsignals, host.ru_nvcsw, host.ru_nivcsw};
    for (int index = 0; index < 14; ++index)
        guest.fields[index] = static_cast<int32_t>(fields[index]);
    return guest;
}

SyscallResult sys_getrusage(Process& process, const SyscallArguments& a)
{
    struct rusage host;
    if (getrusage(static_cast<int>(a[0]), &host) < 0)
        return -errno;
    return write_guest(process, a[1], to_guest_rusage(host)) ? 0 : -EFAULT;
}

// POSIX timers run on the host's: the kernel's timer IDs are small integers, which the guest's
// timer_t holds as they are, and the signal a timer sends reaches the guest like any host signal
// (with si_code SI_TIMER, the timer's ID, overrun count and value; process/signal_delivery.cpp).

namespace {

// struct sigevent as the o32 kernel reads it: the value, the signal, how to notify, then the
// thread ID for SIGEV_THREAD_ID; 64 bytes in all.
struct GuestSigevent {
    uint32_t value;
    int32_t signal;
    int32_t notify;
    int32_t thread_id;
    uint32_t padding[12];
};
static_assert(sizeof(GuestSigevent) == 64);

// The host's POSIX timer calls on kernel timer IDs.
long host_timer_settime(int timer, int flags, const struct itimerspec* value, struct itimerspec* old)
{
    return syscall(SYS_timer_settime, timer, flags, value, old);
}

long host_timer_gettime(int timer, struct itimerspec* value) { return syscall(SYS_timer_gettime, timer, value); }

} // namespace

// timer_create(clock, sigevent, timer ID pointer)
SyscallResult sys_timer_create(Process& process, const SyscallArguments& a)
{
    // Without a sigevent the host kernel's default is the guest's: SIGALRM (the same number on
    // both), with the timer's ID as the value.
    struct sigevent host{};
    if (a[1] != 0) {
        GuestSigevent guest;
        if (!read_guest(process, a[1], guest))
            return -EFAULT;
        if (guest.notify != SIGEV_SIGNAL && guest.notify != SIGEV_NONE && guest.notify != SIGEV_THREAD_ID)
            return -EINVAL;
        host.sigev_notify = guest.notify;
        host.sigev_value.sival_ptr = reinterpret_cast<void*>(uintptr_t{guest.value});
        host._sigev_un._tid = guest.thread_id;
        if (guest.notify != SIGEV_NONE) {
            int signal = host_signal(static_cast<unsigned>(guest.signal));
            if (signal == 0 || guest.signal <= 0)
                return -EINVAL;
            host.sigev_signo = signal;
        }
    }
    int timer = 0;
    if (syscall(SYS_timer_create, static_cast<clockid_t>(a[0]), a[1] != 0 ? &host : nullptr, &timer) < 0)
        return -errno;
    if (!write_guest(process, a[2], static_cast<int32_t>(timer))) {
        syscall(SYS_timer_delete, timer);
        return -EFAULT;
    }
    return 0;
}

SyscallResult sys_timer_settime(Process& process, const SyscallArguments& a)
{
    return set_interval_timer<o32::Itimerspec32>(process, a, host_timer_settime);
}

SyscallResult sys_timer_settime64(Process& process, const SyscallArguments& a)
{
    return set_interval_timer<o32::Itimerspec64>(process, a, host_timer_settime);
}

SyscallResult sys_timer_gettime(Process& process, const SyscallArguments& a)
{
    return get_interval_timer<o32::Itimerspec32>(process, a, host_timer_gettime);
}

SyscallResult sys_timer_gettime64(Process& process, const SyscallArguments& a)
{
    return get_interval_timer<o32::Itimerspec64>(process, a, host_timer_gettime);
}

SyscallResult sys_timer_getoverrun(Process&, const SyscallArguments& a)
{
    return host_result(syscall(SYS_timer_getoverrun, static_cast<int>(a[0])));
}

SyscallResult sys_timer_delete(Process&, const SyscallArguments& a)
{
    return host_result(syscall(SYS_timer_delete, static_cast<int>(a[0])));
}

} // namespace isomorph::process::syscalls
