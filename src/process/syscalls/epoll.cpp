// epoll: creating an instance, adding and changing descriptors, and waiting on them. The event
// bits and control operations are the same on MIPS; struct epoll_event is not packed there, so
// its 64-bit data sits at offset 8 of 16 bytes instead of offset 4 of 12 (process/o32/socket.h).
// epoll_pwait puts the guest's mask in place for the wait as the kernel does: when a signal
// interrupts it, the handler runs with that mask and the frame restores the old one.

#include "process/o32/socket.h"
#include "process/signal_delivery.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <csignal>
#include <mutex>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace isomorph::process::syscalls {

namespace {

// The kernel's EP_MAX_EVENTS for the guest's structure size.
constexpr uint32_t max_events = INT32_MAX / sizeof(o32::EpollEvent);
// The host array is allocated for at most this many events per call; the rest wait for the next.
constexpr uint32_t max_events_per_call = 4096;

// How long to wait: milliseconds (negative: for ever) for epoll_wait and epoll_pwait, a timespec
// (null: for ever) for epoll_pwait2.
struct Timeout {
    int milliseconds = -1;
    bool precise = false;
    const struct timespec* time = nullptr;
};

long host_wait(int fd, epoll_event* events, int count, const Timeout& timeout, const sigset_t* mask)
{
    size_t mask_size = mask ? sizeof(uint64_t) : 0;
    if (timeout.precise)
        return syscall(SYS_epoll_pwait2, fd, events, count, timeout.time, mask, mask_size);
    return syscall(SYS_epoll_pwait, fd, events, count, timeout.milliseconds, mask, mask_size);
}

SyscallResult wait_for_events(Process& process, int fd, uint32_t address, int32_t count, const Timeout& timeout,
                              const GuestSignalSet* mask)
{
    if (count <= 0 || static_cast<uint32_t>(count) > max_events)
        return -EINVAL;
    if (!writable(process, address, static_cast<uint32_t>(count) * sizeof(o32::EpollEvent)))
        return -EFAULT;
    std::vector<epoll_event> events(std::min<uint32_t>(static_cast<uint32_t>(count), max_events_per_call));
    long ready = wait_with_signal_mask(process, mask, [&](const sigset_t* host_mask) {
        return host_wait(fd, events.data(), static_cast<int>(events.size()), timeout, host_mask);
    });
    if (ready < 0)
        return -errno;
    for (long index = 0; index < ready; ++index) {
        o32::EpollEvent guest{events[index].events, 0, events[index].data.u64};
        if (!write_guest(process, address + static_cast<uint32_t>(index) * sizeof guest, guest))
            return -EFAULT;
    }
    return ready;
}

// The optional signal mask of epoll_pwait and epoll_pwait2.
SyscallResult read_mask(Process& process, uint32_t address, uint32_t size, GuestSignalSet& mask)
{
    if (address == 0)
        return 0;
    if (size != sizeof mask.words)
        return -EINVAL;
    return read_guest(process, address, mask.words) ? 0 : -EFAULT;
}

} // namespace

// epoll_create(size): the size must be positive and is otherwise ignored.
SyscallResult sys_epoll_create(Process&, const SyscallArguments& a)
{
    if (static_cast<int32_t>(a[0]) <= 0)
        return -EINVAL;
    return host_result(epoll_create1(0));
}

// epoll_create1(flags): EPOLL_CLOEXEC is O_CLOEXEC, 0x80000, on MIPS as on the host.
SyscallResult sys_epoll_create1(Process&, const SyscallArguments& a)
{
    if (a[0] & ~static_cast<uint32_t>(EPOLL_CLOEXEC))
        return -EINVAL;
    return host_result(epoll_create1(static_cast<int>(a[0])));
}

// epoll_ctl(epoll descriptor, operation, descriptor, event)
SyscallResult sys_epoll_ctl(Process& process, const SyscallArguments& a)
{
    epoll_event host{};
    epoll_event* event = nullptr;
    if (a[1] != EPOLL_CTL_DEL) {
        o32::EpollEvent guest;
        if (!read_guest(process, a[3], guest))
            return -EFAULT;
        host.events = guest.events;
        host.data.u64 = guest.data;
        event = &host;
    }
    return host_result(epoll_ctl(descriptor(a[0]), static_cast<int>(a[1]), descriptor(a[2]), event));
}

// epoll_wait(epoll descriptor, events, count, timeout in milliseconds)
SyscallResult sys_epoll_wait(Process& process, const SyscallArguments& a)
{
    return wait_for_events(process, descriptor(a[0]), a[1], static_cast<int32_t>(a[2]),
                           Timeout{static_cast<int32_t>(a[3])}, nullptr);
}

// epoll_pwait(epoll descriptor, events, count, timeout, signal mask, size of sigset_t)
SyscallResult sys_epoll_pwait(Process& process, const SyscallArguments& a)
{
    GuestSignalSet mask;
    if (SyscallResult error = read_mask(process, a[4], a[5], mask))
        return error;
    return wait_for_events(process, descriptor(a[0]), a[1], static_cast<int32_t>(a[2]),
                           Timeout{static_cast<int32_t>(a[3])}, a[4] != 0 ? &mask : nullptr);
}

// epoll_pwait2(epoll descriptor, events, count, struct __kernel_timespec timeout, signal mask,
// size of sigset_t): a null timeout waits for ever.
SyscallResult sys_epoll_pwait2(Process& process, const SyscallArguments& a)
{
    struct timespec time;
    if (a[3] != 0) {
        o32::Timespec64 guest;
        if (!read_guest(process, a[3], guest))
            return -EFAULT;
        // A 32-bit kernel ignores the upper half of the nanoseconds.
        int32_t nanoseconds = static_cast<int32_t>(guest.nanoseconds);
        if (guest.seconds < 0 || nanoseconds < 0 || nanoseconds >= 1000000000)
            return -EINVAL;
        time = {static_cast<time_t>(guest.seconds), nanoseconds};
    }
    GuestSignalSet mask;
    if (SyscallResult error = read_mask(process, a[4], a[5], mask))
        return error;
    return wait_for_events(process, descriptor(a[0]), a[1], static_cast<int32_t>(a[2]),
                           Timeout{-1, true, a[3] != 0 ? &time : nullptr}, a[4] != 0 ? &mask : nullptr);
}

} // namespace isomorph::process::syscalls
