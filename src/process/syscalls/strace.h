#pragma once

#include "process/syscalls/syscalls.h"

#include <optional>
#include <string>
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

// Helpers the trace uses, exposed for tests.
std::string quoted_string(const std::string& text, size_t limit);
std::string open_flags_text(uint32_t guest_flags);
std::string mmap_protection_text(uint32_t protection);
std::string mmap_flags_text(uint32_t flags);

} // namespace isomorph::process
