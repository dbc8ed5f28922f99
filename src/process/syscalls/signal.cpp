// Signal dispositions, the blocked mask, the alternate stack, and signals sent with kill, tkill
// and tgkill. Handlers are recorded in the process's SignalState for signal delivery to run; a
// signal the process sends itself whose action is the default one takes effect here, as Linux
// would make it: termination ends the emulator the way the signal ends a native process.
//
// With several threads, a signal for the process or for another of its threads goes through
// the host kernel where it can (kill, tgkill with the host's number), which picks the thread
// and interrupts its blocking call; signals the host cannot carry for the guest (the fault
// signals the emulator keeps, numbers the host lacks) are queued for the process or the thread.

#include "process/o32/flags.h"
#include "process/o32/layouts.h"
#include "process/signal_delivery.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <csignal>
#include <vector>
#include <sys/syscall.h>
#include <unistd.h>

namespace isomorph::process::syscalls {

namespace {

constexpr uint32_t signal_set_size = 16; // sizeof(sigset_t) on MIPS: 128 signals
constexpr unsigned sigkill = static_cast<unsigned>(GuestSignal::SIGKILL_);
constexpr unsigned sigstop = static_cast<unsigned>(GuestSignal::SIGSTOP_);
constexpr uint32_t ss_onstack = 1;
constexpr uint32_t ss_disable = 2;
constexpr uint32_t minimum_signal_stack = 2048; // MINSIGSTKSZ on MIPS

// What happens to a signal that reaches the calling thread (or, for_process, the process) and is
// not blocked.
void act_on(Process& process, const o32::Siginfo& info, bool for_process)
{
    unsigned signal = static_cast<unsigned>(info.si_signo);
    uint32_t handler;
    {
        std::lock_guard lock(process.signal_lock());
        handler = process.signals().actions[signal].handler;
    }
    if (signal != sigkill && signal != sigstop) {
        if (handler == GuestSignalAction::ignore_handler)
            return;
        if (handler != GuestSignalAction::default_handler) {
            // The handler runs after the call.
            if (for_process)
                queue_signal(process, info);
            else
                queue_thread_signal(process, info);
            return;
        }
    }
    switch (default_action(signal)) {
    case DefaultAction::Ignore:
    case DefaultAction::Continue: return;
    case DefaultAction::Stop: raise(SIGSTOP); return;
    case DefaultAction::Terminate:
    case DefaultAction::CoreDump: process.terminate_by_signal(signal, nullptr);
    }
}

// The host's siginfo for a guest one that another process (or the host's choice of thread)
// receives: the signal's host number, si_code, the sender and the value.
siginfo_t host_siginfo(const o32::Siginfo& info)
{
    siginfo_t host{};
    host.si_signo = host_signal(static_cast<unsigned>(info.si_signo));
    host.si_code = info.si_code;
    host.si_pid = static_cast<pid_t>(info.fields[0]);
    host.si_uid = info.fields[1];
    host.si_value.sival_ptr = reinterpret_cast<void*>(uintptr_t{info.fields[2]});
    return host;
}

// A signal the process sends to itself (for_process) or the calling thread to itself, with the
// siginfo the receiver sees.
SyscallResult signal_self(Process& process, const o32::Siginfo& info, bool for_process)
{
    unsigned signal = static_cast<unsigned>(info.si_signo);
    if (signal > guest_signal_count)
        return -EINVAL;
    if (signal == 0)
        return 0;
    // Another thread may take a signal sent to the process: the host picks one.
    if (for_process && carried_by_host(signal) && process.thread_count() > 1) {
        if (info.si_code == o32::si_user)
            return host_result(kill(getpid(), host_signal(signal)));
        siginfo_t host = host_siginfo(info);
        return host_result(syscall(SYS_rt_sigqueueinfo, getpid(), host.si_signo, &host));
    }
    if (process.thread().signals.blocked.contains(signal) && signal != sigkill && signal != sigstop) {
        if (for_process)
            queue_signal(process, info);
        else
            queue_thread_signal(process, info);
        return 0;
    }
    act_on(process, info, for_process);
    return 0;
}

// Signals that became deliverable because the mask changed.
void act_on_unblocked(Process& process)
{
    std::vector<unsigned> now_acting;
    {
        std::lock_guard lock(process.signal_lock());
        ThreadSignalState& state = process.thread().signals;
        for (PendingSignals* pending : {&state.pending, &process.signals().pending}) {
            for (unsigned signal = 1; signal <= guest_signal_count; ++signal) {
                if (!pending->set.contains(signal) || state.blocked.contains(signal))
                    continue;
                const GuestSignalAction& action = process.signals().actions[signal];
                if (action.handler != GuestSignalAction::default_handler &&
                    action.handler != GuestSignalAction::ignore_handler)
                    continue; // stays pending for delivery
                pending->discard(signal);
                now_acting.push_back(signal);
            }
        }
    }
    for (unsigned signal : now_acting)
        act_on(process, sender_siginfo(signal, o32::si_user), false);
}

int host_signal_or_zero(uint32_t signal, bool& valid)
{
    valid = signal <= guest_signal_count;
    if (signal == 0)
        return 0;
    int host = host_signal(signal);
    valid = valid && host != 0;
    return host;
}

bool own_process(int32_t pid) { return pid == getpid(); }

} // namespace

// rt_sigaction(signal, action, old action, size of sigset_t)
SyscallResult sys_rt_sigaction(Process& process, const SyscallArguments& a)
{
    uint32_t signal = a[0];
    if (a[3] != signal_set_size || signal == 0 || signal > guest_signal_count)
        return -EINVAL;
    o32::Sigaction requested;
    if (a[1] != 0) {
        if (signal == sigkill || signal == sigstop)
            return -EINVAL;
        if (!read_guest(process, a[1], requested))
            return -EFAULT;
    }
    std::unique_lock lock(process.signal_lock());
    GuestSignalAction& action = process.signals().actions[signal];
    if (a[2] != 0) {
        o32::Sigaction old{action.flags, action.handler, action.mask.words};
        if (!write_guest(process, a[2], old))
            return -EFAULT;
    }
    if (a[1] != 0) {
        action.handler = requested.handler;
        action.flags = requested.flags;
        action.mask.words = requested.mask;
        action.mask.remove(sigkill);
        action.mask.remove(sigstop);
        apply_host_disposition(signal, action);
        forward_host_signal(signal, action);
        // Ignoring a signal discards it if it is pending (POSIX).
        bool ignored = action.handler == GuestSignalAction::ignore_handler ||
                       (action.handler == GuestSignalAction::default_handler &&
                        default_action(signal) == DefaultAction::Ignore);
        if (ignored) {
            process.signals().pending.discard(signal);
            process.thread().signals.pending.discard(signal);
        }
    }
    return 0;
}

// rt_sigprocmask(how, set, old set, size of sigset_t): MIPS numbers how from 1.
SyscallResult sys_rt_sigprocmask(Process& process, const SyscallArguments& a)
{
    if (a[3] != signal_set_size)
        return -EINVAL;
    ThreadSignalState& state = process.thread().signals;
    GuestSignalSet requested;
    if (a[1] != 0) {
        if (a[0] != o32::sig_block && a[0] != o32::sig_unblock && a[0] != o32::sig_setmask)
            return -EINVAL;
        if (!read_guest(process, a[1], requested.words))
            return -EFAULT;
    }
    if (a[2] != 0 && !write_guest(process, a[2], state.blocked.words))
        return -EFAULT;
    if (a[1] == 0)
        return 0;
    for (size_t word = 0; word < 4; ++word) {
        uint32_t& blocked = state.blocked.words[word];
        switch (a[0]) {
        case o32::sig_block: blocked |= requested.words[word]; break;
        case o32::sig_unblock: blocked &= ~requested.words[word]; break;
        default: blocked = requested.words[word]; break;
        }
    }
    state.blocked.remove(sigkill);
    state.blocked.remove(sigstop);
    apply_host_mask(state.blocked);
    act_on_unblocked(process);
    return 0;
}

// rt_sigpending(set, size): the pending signals that are blocked.
SyscallResult sys_rt_sigpending(Process& process, const SyscallArguments& a)
{
    if (a[1] > signal_set_size)
        return -EINVAL;
    GuestSignalSet pending;
    {
        std::lock_guard lock(process.signal_lock());
        const ThreadSignalState& state = process.thread().signals;
        for (size_t word = 0; word < 4; ++word)
            pending.words[word] = (state.pending.set.words[word] | process.signals().pending.set.words[word]) &
                                  state.blocked.words[word];
    }
    return process.memory().copy_to_guest(a[0], pending.words.data(), a[1]) ? 0 : -EFAULT;
}

// sigaltstack(new stack, old stack) with MIPS's stack_t (pointer, size, flags).
SyscallResult sys_sigaltstack(Process& process, const SyscallArguments& a)
{
    ThreadSignalState& state = process.thread().signals;
    uint32_t sp = process.cpu().gpr[29];
    bool on_stack = state.alternate_stack_enabled && sp > state.alternate_stack_base &&
                    sp - state.alternate_stack_base <= state.alternate_stack_size;
    if (a[1] != 0) {
        uint32_t old_flags = !state.alternate_stack_enabled ? ss_disable : on_stack ? ss_onstack : 0;
        o32::StackT old{state.alternate_stack_base, state.alternate_stack_size,
                        static_cast<int32_t>(old_flags)};
        if (!write_guest(process, a[1], old))
            return -EFAULT;
    }
    if (a[0] == 0)
        return 0;
    if (on_stack)
        return -EPERM; // the stack in use cannot change
    o32::StackT requested;
    if (!read_guest(process, a[0], requested))
        return -EFAULT;
    uint32_t flags = static_cast<uint32_t>(requested.ss_flags);
    uint32_t mode = flags & ~(1u << 31); // SS_AUTODISARM
    if (mode != 0 && mode != ss_onstack && mode != ss_disable)
        return -EINVAL;
    if (mode == ss_disable) {
        state.alternate_stack_enabled = false;
        state.alternate_stack_base = 0;
        state.alternate_stack_size = 0;
        return 0;
    }
    if (requested.ss_size < minimum_signal_stack)
        return -ENOMEM;
    state.alternate_stack_enabled = true;
    state.alternate_stack_base = requested.ss_sp;
    state.alternate_stack_size = requested.ss_size;
    return 0;
}

// kill(pid, signal): to this process it acts here; to others the host kernel delivers it.
SyscallResult sys_kill(Process& process, const SyscallArguments& a)
{
    int32_t pid = static_cast<int32_t>(a[0]);
    if (own_process(pid))
        return signal_self(process, sender_siginfo(a[1], o32::si_user), true);
    bool valid;
    int host = host_signal_or_zero(a[1], valid);
    if (!valid)
        return -EINVAL;
    return host_result(kill(pid, host));
}

// A signal from tkill or tgkill: to the calling thread it acts here, to another thread of the
// process it goes through the host (or is queued for the thread), to other processes the host
// kernel delivers it.
SyscallResult signal_thread(Process& process, int32_t tgid, int32_t tid, uint32_t signal)
{
    bool own = tgid == getpid() || tgid == 0; // tkill names no process: any of ours may match
    if (own && tid == process.thread().tid)
        return signal_self(process, sender_siginfo(signal, o32::si_tkill), false);
    bool valid;
    int host = host_signal_or_zero(signal, valid);
    if (!valid)
        return -EINVAL;
    if (own && signal != 0 && !carried_by_host(signal) && host != SIGKILL && host != SIGSTOP) {
        if (process.queue_for_thread(tid, sender_siginfo(signal, o32::si_tkill)))
            return 0;
    }
    return tgid == 0 ? host_result(syscall(SYS_tkill, tid, host)) : host_result(syscall(SYS_tgkill, tgid, tid, host));
}

SyscallResult sys_tkill(Process& process, const SyscallArguments& a)
{
    int32_t tid = static_cast<int32_t>(a[0]);
    if (tid <= 0)
        return -EINVAL;
    return signal_thread(process, 0, tid, a[1]);
}

SyscallResult sys_tgkill(Process& process, const SyscallArguments& a)
{
    int32_t tgid = static_cast<int32_t>(a[0]), tid = static_cast<int32_t>(a[1]);
    if (tgid <= 0 || tid <= 0)
        return -EINVAL;
    return signal_thread(process, tgid, tid, a[2]);
}

// rt_sigqueueinfo(pid, signal, siginfo) and rt_tgsigqueueinfo(tgid, tid, signal, siginfo): a
// signal with the sender's own siginfo (sigqueue's value). Only the kernel may claim a
// non-negative si_code, or SI_TKILL, towards another process.
static SyscallResult queue_with_info(Process& process, int32_t tgid, int32_t tid, uint32_t signal, uint32_t address)
{
    o32::Siginfo info;
    if (!read_guest(process, address, info))
        return -EFAULT;
    if (signal == 0 || signal > guest_signal_count)
        return -EINVAL;
    info.si_signo = static_cast<int32_t>(signal);
    bool own = tgid == getpid();
    if ((info.si_code >= 0 || info.si_code == o32::si_tkill) && !own)
        return -EPERM;
    if (own && (tid == 0 || tid == process.thread().tid))
        return signal_self(process, info, tid == 0);
    if (host_signal(signal) == 0)
        return -EINVAL;
    if (own && !carried_by_host(signal) && process.queue_for_thread(tid, info))
        return 0;
    siginfo_t host = host_siginfo(info);
    return tid == 0 ? host_result(syscall(SYS_rt_sigqueueinfo, tgid, host.si_signo, &host))
                    : host_result(syscall(SYS_rt_tgsigqueueinfo, tgid, tid, host.si_signo, &host));
}

SyscallResult sys_rt_sigqueueinfo(Process& process, const SyscallArguments& a)
{
    return queue_with_info(process, static_cast<int32_t>(a[0]), 0, a[1], a[2]);
}

SyscallResult sys_rt_tgsigqueueinfo(Process& process, const SyscallArguments& a)
{
    if (static_cast<int32_t>(a[0]) <= 0 || static_cast<int32_t>(a[1]) <= 0)
        return -EINVAL;
    return queue_with_info(process, static_cast<int32_t>(a[0]), static_cast<int32_t>(a[1]), a[2], a[3]);
}

} // namespace isomorph::process::syscalls
