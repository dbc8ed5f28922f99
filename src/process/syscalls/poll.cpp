// Waiting on descriptors: poll, ppoll, select and pselect6, in both time generations. struct
// pollfd has one layout everywhere, but MIPS's POLLWRBAND and POLLWRNORM bits differ from x86's
// (process/o32/flags.h). An o32 fd_set is an array of 32-bit words; on a little-endian host its
// bytes mean the same as the host's 64-bit words, so sets are copied byte for byte. The time left
// is written back, as the kernel does.

#include "process/o32/flags.h"
#include "process/o32/layouts.h"
#include "process/signal_delivery.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <csignal>
#include <poll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <vector>

namespace isomorph::process::syscalls {

namespace {

constexpr uint32_t signal_set_size = 16;

// Reads the optional sigmask argument of ppoll/pselect6 into storage; mask is null when there is
// none.
SyscallResult read_signal_mask(Process& process, uint32_t address, uint32_t size, GuestSignalSet& storage,
                               GuestSignalSet*& mask)
{
    mask = nullptr;
    if (address == 0)
        return 0;
    if (size != signal_set_size)
        return -EINVAL;
    if (!read_guest(process, address, storage.words))
        return -EFAULT;
    mask = &storage;
    return 0;
}

// Reads a guest timespec of either generation into a host one.
template <class Timespec> SyscallResult read_timeout(Process& process, uint32_t address, struct timespec& host)
{
    Timespec guest;
    if (!read_guest(process, address, guest))
        return -EFAULT;
    int32_t nanoseconds = static_cast<int32_t>(guest.nanoseconds);
    if (guest.seconds < 0 || nanoseconds < 0 || nanoseconds >= 1000000000)
        return -EINVAL;
    host = {static_cast<time_t>(guest.seconds), nanoseconds};
    return 0;
}

template <class Timespec> void write_timeout(Process& process, uint32_t address, const struct timespec& host)
{
    Timespec guest{static_cast<decltype(guest.seconds)>(host.tv_sec), static_cast<decltype(guest.nanoseconds)>(host.tv_nsec)};
    write_guest(process, address, guest);
}

// Polls the guest's pollfd array with an optional timeout and signal mask.
SyscallResult poll_descriptors(Process& process, uint32_t address, uint32_t count, struct timespec* timeout,
                               const GuestSignalSet* mask)
{
    if (count > 1024 * 1024)
        return -EINVAL;
    std::vector<struct pollfd> descriptors(count);
    if (count != 0 && !process.memory().copy_from_guest(descriptors.data(), address, count * sizeof(struct pollfd)))
        return -EFAULT;
    for (struct pollfd& descriptor : descriptors)
        descriptor.events = o32::poll_events_to_host(static_cast<uint16_t>(descriptor.events));
    long ready = wait_with_signal_mask(process, mask, [&](const sigset_t* host_mask) {
        return syscall(SYS_ppoll, descriptors.data(), static_cast<nfds_t>(count), timeout, host_mask,
                       host_mask ? sizeof(uint64_t) : 0);
    });
    if (ready < 0)
        return -errno;
    for (struct pollfd& descriptor : descriptors) {
        descriptor.events = static_cast<short>(o32::poll_events_to_guest(descriptor.events));
        descriptor.revents = static_cast<short>(o32::poll_events_to_guest(descriptor.revents));
    }
    if (count != 0 && !process.memory().copy_to_guest(address, descriptors.data(), count * sizeof(struct pollfd)))
        return -EFAULT;
    return ready;
}

template <class Timespec> SyscallResult ppoll_common(Process& process, const SyscallArguments& a)
{
    struct timespec timeout;
    if (a[2] != 0)
        if (SyscallResult error = read_timeout<Timespec>(process, a[2], timeout))
            return error;
    GuestSignalSet storage;
    GuestSignalSet* mask;
    if (SyscallResult error = read_signal_mask(process, a[3], a[4], storage, mask))
        return error;
    SyscallResult result = poll_descriptors(process, a[0], a[1], a[2] ? &timeout : nullptr, mask);
    if (a[2] != 0 && result != -EFAULT)
        write_timeout<Timespec>(process, a[2], timeout);
    return result;
}

// The three descriptor sets of select, copied in and out as bytes.
class DescriptorSets {
public:
    DescriptorSets(int count) : m_bytes((static_cast<size_t>(count) + 31) / 32 * 4)
    {
        // The host's sets are arrays of 64-bit words: allocate whole words.
        size_t host_bytes = (static_cast<size_t>(count) + 63) / 64 * 8;
        for (auto& set : m_sets)
            set.assign(std::max<size_t>(host_bytes, sizeof(fd_set)), 0);
    }

    SyscallResult read(Process& process, const uint32_t (&addresses)[3])
    {
        for (int index = 0; index < 3; ++index)
            if (addresses[index] != 0 &&
                !process.memory().copy_from_guest(m_sets[index].data(), addresses[index], m_bytes))
                return -EFAULT;
        return 0;
    }

    SyscallResult write(Process& process, const uint32_t (&addresses)[3])
    {
        for (int index = 0; index < 3; ++index)
            if (addresses[index] != 0 && !process.memory().copy_to_guest(addresses[index], m_sets[index].data(), m_bytes))
                return -EFAULT;
        return 0;
    }

    void* host(int index, uint32_t address) { return address ? m_sets[index].data() : nullptr; }

private:
    size_t m_bytes;
    std::vector<uint8_t> m_sets[3];
};

SyscallResult select_descriptors(Process& process, const SyscallArguments& a, struct timespec* timeout,
                                 const GuestSignalSet* mask)
{
    int count = static_cast<int32_t>(a[0]);
    if (count < 0 || count > 1024 * 1024)
        return -EINVAL;
    uint32_t addresses[3] = {a[1], a[2], a[3]};
    DescriptorSets sets(count);
    if (SyscallResult error = sets.read(process, addresses))
        return error;
    long ready = wait_with_signal_mask(process, mask, [&](const sigset_t* host_mask) {
        struct {
            const sigset_t* mask;
            size_t size;
        } mask_argument = {host_mask, sizeof(uint64_t)};
        return syscall(SYS_pselect6, count, sets.host(0, a[1]), sets.host(1, a[2]), sets.host(2, a[3]), timeout,
                       host_mask ? &mask_argument : nullptr);
    });
    if (ready < 0)
        return -errno;
    if (SyscallResult error = sets.write(process, addresses))
        return error;
    return ready;
}

template <class Timespec> SyscallResult pselect_common(Process& process, const SyscallArguments& a)
{
    struct timespec timeout;
    if (a[4] != 0)
        if (SyscallResult error = read_timeout<Timespec>(process, a[4], timeout))
            return error;
    GuestSignalSet storage;
    GuestSignalSet* mask = nullptr;
    if (a[5] != 0) {
        // The sixth argument points to a pair: the sigset_t's address and its size.
        uint32_t pair[2];
        if (!read_guest(process, a[5], pair))
            return -EFAULT;
        if (SyscallResult error = read_signal_mask(process, pair[0], pair[1], storage, mask))
            return error;
    }
    SyscallResult result = select_descriptors(process, a, a[4] ? &timeout : nullptr, mask);
    if (a[4] != 0 && result != -EFAULT)
        write_timeout<Timespec>(process, a[4], timeout);
    return result;
}

} // namespace

// poll(descriptors, count, timeout in milliseconds; negative waits for ever)
SyscallResult sys_poll(Process& process, const SyscallArguments& a)
{
    int32_t milliseconds = static_cast<int32_t>(a[2]);
    struct timespec timeout = {milliseconds / 1000, (milliseconds % 1000) * 1000000L};
    return poll_descriptors(process, a[0], a[1], milliseconds >= 0 ? &timeout : nullptr, nullptr);
}

// ppoll(descriptors, count, timeout, signal mask, size of sigset_t)
SyscallResult sys_ppoll(Process& process, const SyscallArguments& a) { return ppoll_common<o32::Timespec32>(process, a); }

SyscallResult sys_ppoll_time64(Process& process, const SyscallArguments& a)
{
    return ppoll_common<o32::Timespec64>(process, a);
}

// _newselect(count, read set, write set, exception set, struct timeval32 timeout)
SyscallResult sys_newselect(Process& process, const SyscallArguments& a)
{
    struct timespec timeout;
    if (a[4] != 0) {
        o32::Timeval32 guest;
        if (!read_guest(process, a[4], guest))
            return -EFAULT;
        if (guest.seconds < 0 || guest.microseconds < 0 || guest.microseconds >= 1000000)
            return -EINVAL;
        timeout = {guest.seconds, guest.microseconds * 1000L};
    }
    SyscallResult result = select_descriptors(process, a, a[4] ? &timeout : nullptr, nullptr);
    if (a[4] != 0 && result != -EFAULT) {
        o32::Timeval32 left{static_cast<int32_t>(timeout.tv_sec), static_cast<int32_t>(timeout.tv_nsec / 1000)};
        write_guest(process, a[4], left);
    }
    return result;
}

// pselect6(count, read set, write set, exception set, timeout, {signal mask, size})
SyscallResult sys_pselect6(Process& process, const SyscallArguments& a)
{
    return pselect_common<o32::Timespec32>(process, a);
}

SyscallResult sys_pselect6_time64(Process& process, const SyscallArguments& a)
{
    return pselect_common<o32::Timespec64>(process, a);
}

} // namespace isomorph::process::syscalls
