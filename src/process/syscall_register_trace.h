#pragma once

// --syscall-trace FILE: the whole register state of every guest thread at each system call's
// entry and return, one line each, for scripts/trace-compare to align with qemu-mipsel's
// (`-d cpu`) or another engine's and report the first system call where they differ.
//
//   # isomorph-syscall-trace 1
//   # stack 0x7f7f0000-0x7fff0000 initial-sp 0x7ffefc50
//   # strings 0x7ffefa51-0x7ffefffc random 0x7ffefa37 platform 0x7ffefa47
//   # random-bytes 6f1c0a...(the 16 AT_RANDOM bytes in hex)
//   # sigreturn-page 0x7ffff000
//   enter pid=4242 tid=4242 pc=0x0042a528 syscall=4045 name=brk zero=00000000 at=fffffff8 ... lo=00000000
//   return pid=4242 tid=4242 pc=0x0042a52c syscall=4045 name=brk zero=00000000 ... lo=00000000
//
// The return line holds the registers as the guest sees them after the call (v0 the result or
// errno, a3 the error flag) and pc the instruction the guest resumes at. A call that does not
// return (exit, exit_group, a successful execve) has no return line. Each line is one write()
// to a file opened for appending, so the lines of threads, and of a forked child, never mix.
//
// Test-only fault injection: ISOMORPH_TEST_PERTURB_SYSCALL=NUMBER:NTH (in Isomorph's own
// environment, read only when the trace is on) adds 1 to v0 after the NTH call (counting from 1,
// over all threads) of the system call NUMBER returns, so that tests can plant a divergence for
// trace-compare to find. The guest sees the perturbed value.

#include "cpu/state.h"
#include "process/initial_stack.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace isomorph::process {

class SyscallRegisterTrace {
public:
    // Opens (creates or truncates) the file; throws UserError when it cannot.
    explicit SyscallRegisterTrace(const std::string& path);
    ~SyscallRegisterTrace();
    SyscallRegisterTrace(const SyscallRegisterTrace&) = delete;
    SyscallRegisterTrace& operator=(const SyscallRegisterTrace&) = delete;

    // The header lines that tell the comparer where this side's initial stack and the strings
    // and bytes the kernel puts on it lie.
    void write_layout(uint32_t stack_low, uint32_t stack_high, const StackLayout& layout);

    enum class Point { Entry, Return };
    // The calling thread's registers at a system call's entry (pc at the syscall instruction) or
    // return (pc where the guest resumes).
    void record(Point point, int32_t tid, uint32_t number, const cpu::CpuState& cpu);

    // Applies the planted fault, if any, to a call that just returned.
    void perturb_result(uint32_t number, cpu::CpuState& cpu);

private:
    void write_line(const std::string& line);

    int m_descriptor = -1;
    // ISOMORPH_TEST_PERTURB_SYSCALL, when set: which call to perturb.
    bool m_perturb = false;
    uint32_t m_perturb_number = 0;
    uint64_t m_perturb_occurrence = 0;
    std::atomic<uint64_t> m_perturb_seen{0};
};

} // namespace isomorph::process
