#pragma once

// Helpers the system-call handlers share: host results, guest structures and path arguments.

#include "process/o32/layouts.h"
#include "process/process.h"
#include "process/syscalls/syscalls.h"

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <string>

struct rusage;

namespace isomorph::process::syscalls {

// The result of a host call that returns -1 and sets errno on failure.
inline SyscallResult host_result(int64_t value) { return value < 0 ? -errno : value; }

// A 64-bit argument passed in two words; o32 puts the low word first on a little-endian CPU.
inline int64_t pair64(uint32_t low, uint32_t high)
{
    return static_cast<int64_t>((uint64_t{high} << 32) | low);
}

// A descriptor argument: a sign-extended word (AT_FDCWD is -100 on every architecture).
inline int descriptor(uint32_t value) { return static_cast<int32_t>(value); }

// Copies a guest structure in or out; false if the guest memory is not accessible.
template <class T> bool read_guest(Process& process, uint32_t address, T& value)
{
    return process.memory().copy_from_guest(&value, address, sizeof value);
}
template <class T> bool write_guest(Process& process, uint32_t address, const T& value)
{
    return process.memory().copy_to_guest(address, &value, sizeof value);
}

// Whether [address, address + length) may be handed to the host kernel to read or to fill.
inline bool readable(Process& process, uint32_t address, uint32_t length)
{
    return process.memory().range_has(address, length, memory::ProtectionRead);
}
inline bool writable(Process& process, uint32_t address, uint32_t length)
{
    return process.memory().range_has(address, length, memory::ProtectionWrite);
}

// How many bytes from address on, at most length, may be handed to the host kernel with the given
// protection: the call then works on the accessible prefix, as Linux stops at the first page it
// cannot touch. 0 means the first byte is not accessible (EFAULT). For ProtectionWrite the range
// is also made ready for the host kernel to write (code watching ends for it).
uint32_t accessible_length(Process& process, uint32_t address, uint32_t length, uint8_t protection);

// Reads a path argument and translates it for the host (process/paths.h). Returns 0, or
// -EFAULT / -ENAMETOOLONG as the kernel's getname() would. Relative paths stay relative (to the
// current directory or the descriptor of an *at call).
SyscallResult read_path(Process& process, uint32_t address, std::string& host_path);

// An o32 struct itimerspec (32- or 64-bit words) to and from the host's. A 32-bit kernel ignores
// the upper half of 64-bit nanoseconds.
template <class Itimerspec> bool read_itimerspec(Process& process, uint32_t address, struct itimerspec& host)
{
    Itimerspec guest;
    if (!read_guest(process, address, guest))
        return false;
    host.it_interval = {static_cast<time_t>(guest.interval.seconds), static_cast<int32_t>(guest.interval.nanoseconds)};
    host.it_value = {static_cast<time_t>(guest.value.seconds), static_cast<int32_t>(guest.value.nanoseconds)};
    return true;
}

template <class Itimerspec> bool write_itimerspec(Process& process, uint32_t address, const struct itimerspec& host)
{
    Itimerspec guest{};
    guest.interval.seconds = static_cast<decltype(guest.interval.seconds)>(host.it_interval.tv_sec);
    guest.interval.nanoseconds = static_cast<decltype(guest.interval.nanoseconds)>(host.it_interval.tv_nsec);
    guest.value.seconds = static_cast<decltype(guest.value.seconds)>(host.it_value.tv_sec);
    guest.value.nanoseconds = static_cast<decltype(guest.value.nanoseconds)>(host.it_value.tv_nsec);
    return write_guest(process, address, guest);
}

// (handle, flags, new value, old value) and (handle, value) for timerfds and POSIX timers:
// set(handle, flags, &new, &old) and get(handle, &value) are the host's calls.
template <class Itimerspec, class Set> SyscallResult set_interval_timer(Process& process, const SyscallArguments& a, Set set)
{
    struct itimerspec requested, old;
    if (!read_itimerspec<Itimerspec>(process, a[2], requested))
        return -EFAULT;
    if (set(static_cast<int>(a[0]), static_cast<int>(a[1]), &requested, &old) < 0)
        return -errno;
    if (a[3] != 0 && !write_itimerspec<Itimerspec>(process, a[3], old))
        return -EFAULT;
    return 0;
}

template <class Itimerspec, class Get> SyscallResult get_interval_timer(Process& process, const SyscallArguments& a, Get get)
{
    struct itimerspec current;
    if (get(static_cast<int>(a[0]), &current) < 0)
        return -errno;
    return write_itimerspec<Itimerspec>(process, a[1], current) ? 0 : -EFAULT;
}

// struct rusage in its o32 layout (time.cpp).
o32::Rusage to_guest_rusage(const struct rusage& host);

} // namespace isomorph::process::syscalls
