#pragma once

// Every implemented system call, grouped by the file that implements it.

#include "process/syscalls/syscalls.h"

namespace isomorph::process::syscalls {

#define DECLARE(name) SyscallResult name(Process&, const SyscallArguments&)

// file.cpp
DECLARE(sys_read);
DECLARE(sys_write);
DECLARE(sys_writev);
DECLARE(sys_close);

// memory.cpp
DECLARE(sys_brk);

// process_control.cpp
DECLARE(sys_exit_group);

// thread.cpp
DECLARE(sys_set_thread_area);
DECLARE(sys_set_tid_address);

#undef DECLARE

} // namespace isomorph::process::syscalls
