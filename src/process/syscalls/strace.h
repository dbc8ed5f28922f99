#pragma once

#include "process/o32/signal_frame.h"
#include "process/signals.h"
#include "process/syscalls/syscalls.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isomorph::process {

// --strace: one line per system call in strace's style, `write(1, "hi\n", 3) = 3`, or
// `open("x", O_RDONLY) = -1 ENOENT (No such file or directory)`. The arguments the call reads
// are decoded before it runs; buffers it fills are decoded after it returns, and the whole line is
// printed then, in one piece.
class SyscallTrace {
public:
    SyscallTrace(Process& process, const SyscallInfo* info, const SyscallArguments& arguments);
    void finish(SyscallResult result);

private:
    struct Argument {
        char kind;
        uint32_t value;
        std::optional<std::string> text; // empty for buffers decoded after the call
    };

    Process& m_process;
    const SyscallInfo* m_info;
    SyscallArguments m_arguments;
    std::vector<Argument> m_decoded;
};

// --strace lines for what is not a system call, as strace prints them: a signal about to be
// delivered to a handler, `--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---`;
// the return from a handler, `rt_sigreturn({mask=[USR1]}) = 0`; and the end of the process,
// `+++ exited with 0 +++` or `+++ killed by SIGSEGV +++`. Lines of threads other than the main
// one start with `[pid TID] `.
void trace_signal(Process& process, const o32::Siginfo& info);
void trace_sigreturn(Process& process, bool rt, const GuestSignalSet& mask, uint32_t result);
void trace_process_end(Process& process, std::string_view how);

// Helpers the trace uses, exposed for tests.
std::string quoted_string(const std::string& text, size_t limit);
std::string open_flags_text(uint32_t guest_flags);
std::string mmap_protection_text(uint32_t protection);
std::string mmap_flags_text(uint32_t flags);

} // namespace isomorph::process
