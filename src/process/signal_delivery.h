#pragma once

// Running guest signal handlers the way Linux/MIPS does for an o32 process: the frame
// (process/o32/signal_frame.h) is built on the guest stack or the alternate signal stack, the
// handler runs with the registers the kernel sets, and sigreturn / rt_sigreturn, reached through
// a small trampoline page, restore the interrupted state.

#include "cpu/exit.h"
#include "cpu/state.h"
#include "process/o32/signal_frame.h"
#include "process/signals.h"

#include <csignal>
#include <cstdint>
#include <functional>

namespace isomorph::process {

class Process;

// The fixed user page holding the return trampolines, like a vDSO: "li v0, 4119; syscall"
// (sigreturn) at its start and "li v0, 4193; syscall" (rt_sigreturn) 8 bytes on.
constexpr uint32_t sigreturn_page = 0x7FFFF000;
constexpr uint32_t sigreturn_trampoline = sigreturn_page;
constexpr uint32_t rt_sigreturn_trampoline = sigreturn_page + 8;

// How many guest instructions the process runs between checks for signals from the host.
constexpr uint64_t signal_check_interval = uint64_t{1} << 18;

// A system call as it was before the dispatcher replaced v0 and a3 and moved past it: what the
// kernel needs to restart it when a SA_RESTART handler interrupted it.
struct InterruptedSyscall {
    uint32_t pc = 0;
    uint32_t number = 0; // v0
    uint32_t a3 = 0;
};

// The interrupted state as the frame keeps it (setup_sigcontext), and back (restore_sigcontext):
// the restart pc, the GPRs, HI and LO, the FPU registers and FCSR. Restoring resumes at sc_pc.
void save_sigcontext(const cpu::CpuState& cpu, o32::Sigcontext& context);
void restore_sigcontext(cpu::CpuState& cpu, const o32::Sigcontext& context);

// The signal a guest exception raises, delivered as force_sig does it: a handler runs; a signal
// that is blocked or ignored, or whose action is the default one, ends the process.
void deliver_exception_signal(Process& process, const cpu::Exit& exit);

// The signal and siginfo the Linux/MIPS kernel reports for a guest exception (signal 0: none).
o32::Siginfo exception_siginfo(const Process& process, const cpu::Exit& exit);

// Makes a signal pending with its siginfo: for the whole process (kill to itself), or for the
// calling thread only (tkill and tgkill to itself).
void queue_signal(Process& process, const o32::Siginfo& info);
void queue_thread_signal(Process& process, const o32::Siginfo& info);

// The siginfo of a signal a process sends: si_code (SI_USER for kill, SI_TKILL for tkill and
// tgkill), the sender's process and user IDs.
o32::Siginfo sender_siginfo(unsigned signal, int32_t code);

// Delivers every pending signal that is not blocked, at a point where the guest state is
// between instructions. After a system call that failed with EINTR, syscall describes it, and a
// SA_RESTART handler makes it run again after the handler returns.
void deliver_pending_signals(Process& process, const InterruptedSyscall* syscall = nullptr);

// Handles the sigreturn and rt_sigreturn system calls (v0 = 4119 or 4193) without the
// dispatcher, since they set every register themselves. False for any other system call.
bool handle_sigreturn(Process& process);

// Whether signals from the host wait to be taken into the guest's pending set.
bool host_signals_waiting();

// Makes the host forward a signal to the guest when the guest disposition is a handler: the
// host handler records it, and deliver_pending_signals() runs the guest handler. Called after
// apply_host_disposition().
void forward_host_signal(unsigned guest_signal, const GuestSignalAction& action);

// The wait of ppoll, pselect6 and epoll_pwait with the call's signal mask in place, as the kernel
// does it: wait(host mask) makes the host call with the mask as a host sigset_t; a signal the
// mask lets in that already waits in the guest's own pending sets interrupts the call at once
// (EINTR without waiting); and when a signal interrupts it, the handler runs with the call's
// mask, its frame saving the mask from before, which sigreturn brings back. Without a mask, wait
// gets none. Returns wait's result (-1 with errno set on failure).
long wait_with_signal_mask(Process& process, const GuestSignalSet* mask,
                           const std::function<long(const sigset_t*)>& wait);

// The signal mask rt_sigsuspend replaced: the next frame saves it, so that sigreturn brings it
// back, or it is restored when no handler runs.
void set_mask_to_restore(Process& process, const GuestSignalSet& mask);

} // namespace isomorph::process
