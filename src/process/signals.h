#pragma once

#include "process/o32/signal_frame.h"

#include <array>
#include <csignal>
#include <cstdint>
#include <optional>
#include <string_view>

namespace isomorph::process {

// Linux/MIPS signal numbers (arch/mips/include/uapi/asm/signal.h); several differ from x86's.
enum class GuestSignal : uint8_t {
    SIGHUP_ = 1, SIGINT_ = 2, SIGQUIT_ = 3, SIGILL_ = 4, SIGTRAP_ = 5, SIGABRT_ = 6, SIGEMT_ = 7, SIGFPE_ = 8,
    SIGKILL_ = 9, SIGBUS_ = 10, SIGSEGV_ = 11, SIGSYS_ = 12, SIGPIPE_ = 13, SIGALRM_ = 14, SIGTERM_ = 15,
    SIGUSR1_ = 16, SIGUSR2_ = 17, SIGCHLD_ = 18, SIGPWR_ = 19, SIGWINCH_ = 20, SIGURG_ = 21, SIGIO_ = 22,
    SIGSTOP_ = 23, SIGTSTP_ = 24, SIGCONT_ = 25, SIGTTIN_ = 26, SIGTTOU_ = 27, SIGVTALRM_ = 28, SIGPROF_ = 29,
    SIGXCPU_ = 30, SIGXFSZ_ = 31,
};

constexpr unsigned guest_signal_count = 128; // _NSIG on MIPS

// The host's number for a guest signal, and back; 0 where there is none.
int host_signal(unsigned guest_signal);
unsigned guest_signal(int host_signal);
// "SIGSEGV" for a guest signal number.
std::string_view guest_signal_name(unsigned guest_signal);

// What the kernel does with a signal whose disposition is SIG_DFL (signal(7)).
enum class DefaultAction : uint8_t { Terminate, CoreDump, Ignore, Stop, Continue };
DefaultAction default_action(unsigned guest_signal);

// A set of guest signals 1..128 as the o32 sigset_t stores it: signal n is bit (n-1)%32 of
// word (n-1)/32.
struct GuestSignalSet {
    std::array<uint32_t, 4> words{};

    bool contains(unsigned signal) const
    {
        return signal >= 1 && signal <= guest_signal_count && (words[(signal - 1) / 32] >> ((signal - 1) % 32)) & 1;
    }
    void add(unsigned signal)
    {
        if (signal >= 1 && signal <= guest_signal_count)
            words[(signal - 1) / 32] |= 1u << ((signal - 1) % 32);
    }
    void remove(unsigned signal)
    {
        if (signal >= 1 && signal <= guest_signal_count)
            words[(signal - 1) / 32] &= ~(1u << ((signal - 1) % 32));
    }
    bool empty() const { return (words[0] | words[1] | words[2] | words[3]) == 0; }
};

// The guest's disposition of one signal, as rt_sigaction records it.
struct GuestSignalAction {
    static constexpr uint32_t default_handler = 0; // SIG_DFL
    static constexpr uint32_t ignore_handler = 1;  // SIG_IGN

    uint32_t handler = default_handler;
    uint32_t flags = 0;
    GuestSignalSet mask;
};

// Signals waiting for delivery, each with the siginfo of its first sender (a standard signal
// pending twice is delivered once).
struct PendingSignals {
    GuestSignalSet set;
    std::array<o32::Siginfo, guest_signal_count + 1> info{};
    std::array<bool, guest_signal_count + 1> has_info{};

    void add(const o32::Siginfo& signal_info)
    {
        unsigned signal = static_cast<unsigned>(signal_info.si_signo);
        if (signal == 0 || signal > guest_signal_count)
            return;
        if (!set.contains(signal)) {
            info[signal] = signal_info;
            has_info[signal] = true;
        }
        set.add(signal);
    }
    // Removes the signal and returns its siginfo (SI_USER with no sender when none was kept).
    o32::Siginfo take(unsigned signal)
    {
        o32::Siginfo taken{};
        if (has_info[signal])
            taken = info[signal];
        else
            taken.si_code = 0; // SI_USER
        taken.si_signo = static_cast<int32_t>(signal);
        has_info[signal] = false;
        set.remove(signal);
        return taken;
    }
    void discard(unsigned signal)
    {
        set.remove(signal);
        if (signal <= guest_signal_count)
            has_info[signal] = false;
    }
};

// What a process's threads share: the dispositions and the signals sent to the process as a
// whole. Change them under Process::signal_lock().
struct SignalState {
    std::array<GuestSignalAction, guest_signal_count + 1> actions{}; // indexed by signal number
    PendingSignals pending;
};

// What each thread has of its own: the blocked mask, the signals sent to it (and the ones the
// host delivered to its host thread), the alternate signal stack, and the mask rt_sigsuspend
// replaced, which the next frame saves.
struct ThreadSignalState {
    GuestSignalSet blocked;
    PendingSignals pending;
    uint32_t alternate_stack_base = 0;
    uint32_t alternate_stack_size = 0;
    bool alternate_stack_enabled = false;
    std::optional<GuestSignalSet> mask_to_restore;
};

// The state a process starts with after execve: signals the parent ignored stay ignored and the
// blocked mask is inherited; both are read from the host process, which inherited them too.
SignalState inherited_signal_state();
GuestSignalSet inherited_blocked_mask();

// Makes the host treat a guest disposition as the guest asked for the cases where the host
// itself acts on the signal: SIG_IGN is ignored on the host too (so that a write to a closed
// pipe fails with EPIPE instead of ending the emulator), anything else restores the host's
// default. The signals the emulator relies on itself (SIGSEGV, SIGBUS) are left alone.
void apply_host_disposition(unsigned guest_signal, const GuestSignalAction& action);

// The host signals that report faults of the emulator itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
// SIGTRAP): never blocked on the host, never forwarded to a guest handler.
bool host_fault_signal(int host);

// Whether the host can carry a guest signal to a guest handler: it has a host number, can be
// caught, and is not a fault signal the emulator keeps for itself.
bool carried_by_host(unsigned guest_signal);

// Every host signal but the fault signals: the mask of a host thread that must take none of the
// guest's signals, or that waits for them with sigsuspend.
sigset_t all_but_fault_signals();

// Mirrors the guest's blocked mask onto the calling host thread, so that a blocked guest
// SIGPIPE stays pending on the host too. Synchronous fault signals are never blocked.
void apply_host_mask(const GuestSignalSet& blocked);

} // namespace isomorph::process
