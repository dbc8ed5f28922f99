#pragma once

// Helpers the system-call handlers share: host results, guest structures and path arguments.

#include "process/o32/layouts.h"
#include "process/process.h"
#include "process/syscalls/syscalls.h"

#include <cerrno>
#include <cstdint>
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

// struct rusage in its o32 layout (time.cpp).
o32::Rusage to_guest_rusage(const struct rusage& host);

} // namespace isomorph::process::syscalls
