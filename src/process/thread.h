#pragma once

// One guest thread: the CPU state the engine runs, the signal state that is the thread's own,
// and the bookkeeping the kernel keeps per task. Every guest thread runs on a host thread of its
// own (process/threads.cpp), so the host kernel schedules, blocks and signals guest threads the
// way it would schedule native ones.

#include "cpu/state.h"
#include "process/signals.h"

#include <cstdint>
#include <string>

namespace isomorph::process {

class Process;

struct GuestThread {
    Process* process = nullptr;
    cpu::CpuState cpu;
    ThreadSignalState signals;
    // The thread ID: the host thread's, so that tgkill and /proc agree with the host.
    int32_t tid = 0;

    // set_tid_address / CLONE_CHILD_CLEARTID: cleared, and a futex waiter woken, at exit.
    uint32_t clear_child_tid = 0;
    // set_robust_list: the robust futex list walked at exit.
    uint32_t robust_list_head = 0;
    uint32_t robust_list_length = 0;
    // PR_SET_NAME: at most 15 characters.
    std::string name;

    // exit() ends the thread once the system call returns; exit_status is its status.
    bool exiting = false;
    int exit_status = 0;
};

} // namespace isomorph::process
