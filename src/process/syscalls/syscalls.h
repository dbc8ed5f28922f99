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

// A handler returns the result, or a negated errno value (-4095..-1) on failure.
using SyscallResult = int64_t;
using SyscallHandler = SyscallResult (*)(Process&, const SyscallArguments&);

// One row of the o32 system call table. format has one letter per argument, for --strace:
//   d signed decimal   u unsigned   x hex   p pointer   s string   f file descriptor
//   b buffer (its length is the next argument)   o open flags   m mode (octal)   * not printed
// The result is printed in the same letters by result_format.
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
