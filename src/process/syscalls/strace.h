#pragma once

#include "process/syscalls/syscalls.h"

namespace isomorph::process {

// --strace: one line per system call in strace's style, "write(1, "hi\n", 3) = 3".
void trace_call(Process& process, const SyscallInfo* info, const SyscallArguments& arguments);
void trace_result(Process& process, const SyscallInfo* info, const SyscallArguments& arguments, SyscallResult result);

} // namespace isomorph::process
