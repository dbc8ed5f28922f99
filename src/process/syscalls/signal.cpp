// Signal dispositions, the blocked mask, the alternate stack, and signals sent with kill, tkill
// and tgkill. Handlers are recorded in the process's SignalState for signal delivery to run; a
// signal the process sends itself whose action is the default one takes effect here, as Linux
// would make it: termination ends the emulator the way the signal ends a native process.

#include "process/o32/flags.h"
#include "process/o32/layouts.h"
#include "process/signal_delivery.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <csignal>
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

// What happens to a signal that reaches the process and is not blocked.
void act_on(Process& process, unsigned signal, int32_t code)
{
    const GuestSignalAction& action = process.signals().actions[signal];
    if (signal != sigkill && signal != sigstop) {
        if (action.handler == GuestSignalAction::ignore_handler)
            return;
        if (action.handler != GuestSignalAction::default_handler) {
            queue_signal(process, sender_siginfo(signal, code)); // the handler runs after the call
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

SyscallResult signal_self(Process& process, unsigned signal, int32_t code = o32::si_user)
{
    if (signal > guest_signal_count)
        return -EINVAL;
    if (signal == 0)
        return 0;
    if (process.signals().blocked.contains(signal) && signal != sigkill && signal != sigstop) {
        queue_signal(process, sender_siginfo(signal, code));
        return 0;
    }
    act_on(process, signal, code);
    return 0;
}

// Signals that became deliverable because the mask changed.
void act_on_unblocked(Process& process)
{
    SignalState& state = process.signals();
    for (unsigned signal = 1; signal <= guest_signal_count; ++signal) {
        if (!state.pending.contains(signal) || state.blocked.contains(signal))
            continue;
        const GuestSignalAction& action = state.actions[signal];
        if (action.handler != GuestSignalAction::default_handler && action.handler != GuestSignalAction::ignore_handler)
            continue; // stays pending for delivery
        state.pending.remove(signal);
        act_on(process, signal, o32::si_user);
    }
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
        if (ignored)
            process.signals().pending.remove(signal);
    }
    return 0;
}

// rt_sigprocmask(how, set, old set, size of sigset_t): MIPS numbers how from 1.
SyscallResult sys_rt_sigprocmask(Process& process, const SyscallArguments& a)
{
    if (a[3] != signal_set_size)
        return -EINVAL;
    SignalState& state = process.signals();
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
    SignalState& state = process.signals();
    GuestSignalSet pending;
    for (size_t word = 0; word < 4; ++word)
        pending.words[word] = state.pending.words[word] & state.blocked.words[word];
    return process.memory().copy_to_guest(a[0], pending.words.data(), a[1]) ? 0 : -EFAULT;
}

// sigaltstack(new stack, old stack) with MIPS's stack_t (pointer, size, flags).
SyscallResult sys_sigaltstack(Process& process, const SyscallArguments& a)
{
    SignalState& state = process.signals();
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
        return signal_self(process, a[1]);
    bool valid;
    int host = host_signal_or_zero(a[1], valid);
    if (!valid)
        return -EINVAL;
    return host_result(kill(pid, host));
}

// tkill(tid, signal) and tgkill(tgid, tid, signal): the process has one thread so far, whose
// thread ID is the process ID.
SyscallResult sys_tkill(Process& process, const SyscallArguments& a)
{
    int32_t tid = static_cast<int32_t>(a[0]);
    if (tid <= 0)
        return -EINVAL;
    if (tid == gettid())
        return signal_self(process, a[1], o32::si_tkill);
    bool valid;
    int host = host_signal_or_zero(a[1], valid);
    if (!valid)
        return -EINVAL;
    return host_result(syscall(SYS_tkill, tid, host));
}

SyscallResult sys_tgkill(Process& process, const SyscallArguments& a)
{
    int32_t tgid = static_cast<int32_t>(a[0]), tid = static_cast<int32_t>(a[1]);
    if (tgid <= 0 || tid <= 0)
        return -EINVAL;
    if (tgid == getpid() && tid == gettid())
        return signal_self(process, a[2], o32::si_tkill);
    bool valid;
    int host = host_signal_or_zero(a[2], valid);
    if (!valid)
        return -EINVAL;
    return host_result(syscall(SYS_tgkill, tgid, tid, host));
}

} // namespace isomorph::process::syscalls
