#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace isomorph::process {

class Process;

// The arguments of one o32 system call: a0..a3, then the words at sp+16..sp+28.
struct SyscallArguments {
    uint32_t number = 0;
    std::array<uint32_t, 8> values{};
    uint32_t operator[](size_t index) const { return values[index]; }
};

// A handler returns the result, or a negated *host* errno value (-4095..-1) on failure; the
// dispatcher translates the error to its MIPS number (process/o32/errno.h). A handler that
// returns a second value (pipe) writes v1 itself.
using SyscallResult = int64_t;
using SyscallHandler = SyscallResult (*)(Process&, const SyscallArguments&);

// One row of the o32 system call table. format has one letter per argument word, for --strace:
//   d signed decimal   u unsigned decimal   x hexadecimal   p pointer   * pointer, never decoded
//   s string           f file descriptor    a directory descriptor (AT_FDCWD)
//   b buffer the call reads (its length is the next argument)
//   r buffer the call fills (its length is the result)
//   o open flags       m mode (octal)       P mmap protection         M mmap flags
//   S signal number    w lseek whence       c clock id
//   l 64-bit value in two words, low first  h 64-bit value in two words, high first
//   _ a padding word (o32 aligns 64-bit arguments to even registers), not printed
//   F T L A E  socket family, socket type, option level, socket address, epoll_ctl operation
//              (syscalls/strace_socket.h)
// The result is printed by result_format: d decimal, x or p hexadecimal, o octal.
struct SyscallInfo {
    uint32_t number;
    std::string_view name;
    std::string_view format;
    std::string_view result_format;
    SyscallHandler handler; // nullptr: not implemented, returns -ENOSYS
};

const SyscallInfo* find_syscall(uint32_t number);

// Reads the call from the CPU state, runs it, writes v0/a3 and moves past the SYSCALL.
void dispatch_syscall(Process& process);

} // namespace isomorph::process
