#include "process/signals.h"

#include <csignal>
#include <pthread.h>

namespace isomorph::process {

namespace {

struct SignalPair {
    unsigned guest;
    int host;
    std::string_view name;
};

constexpr SignalPair signal_pairs[] = {
    {1, SIGHUP, "SIGHUP"},     {2, SIGINT, "SIGINT"},       {3, SIGQUIT, "SIGQUIT"},     {4, SIGILL, "SIGILL"},
    {5, SIGTRAP, "SIGTRAP"},   {6, SIGABRT, "SIGABRT"},     {7, 0, "SIGEMT"},            {8, SIGFPE, "SIGFPE"},
    {9, SIGKILL, "SIGKILL"},   {10, SIGBUS, "SIGBUS"},      {11, SIGSEGV, "SIGSEGV"},    {12, SIGSYS, "SIGSYS"},
    {13, SIGPIPE, "SIGPIPE"},  {14, SIGALRM, "SIGALRM"},    {15, SIGTERM, "SIGTERM"},    {16, SIGUSR1, "SIGUSR1"},
    {17, SIGUSR2, "SIGUSR2"},  {18, SIGCHLD, "SIGCHLD"},    {19, SIGPWR, "SIGPWR"},      {20, SIGWINCH, "SIGWINCH"},
    {21, SIGURG, "SIGURG"},    {22, SIGIO, "SIGIO"},        {23, SIGSTOP, "SIGSTOP"},    {24, SIGTSTP, "SIGTSTP"},
    {25, SIGCONT, "SIGCONT"},  {26, SIGTTIN, "SIGTTIN"},    {27, SIGTTOU, "SIGTTOU"},    {28, SIGVTALRM, "SIGVTALRM"},
    {29, SIGPROF, "SIGPROF"},  {30, SIGXCPU, "SIGXCPU"},    {31, SIGXFSZ, "SIGXFSZ"},
};

// Signals the emulator itself needs: host faults on guest memory arrive as SIGSEGV and SIGBUS.
bool reserved_by_emulator(int host) { return host == SIGSEGV || host == SIGBUS; }

} // namespace

int host_signal(unsigned guest)
{
    for (const SignalPair& pair : signal_pairs)
        if (pair.guest == guest)
            return pair.host;
    // Real-time signals keep their offset from the first one.
    if (guest >= 32 && guest < 32 + static_cast<unsigned>(SIGRTMAX - SIGRTMIN) + 1)
        return SIGRTMIN + static_cast<int>(guest - 32);
    return 0;
}

unsigned guest_signal(int host)
{
    for (const SignalPair& pair : signal_pairs)
        if (pair.host == host && host != 0)
            return pair.guest;
    if (host >= SIGRTMIN && host <= SIGRTMAX)
        return 32 + static_cast<unsigned>(host - SIGRTMIN);
    return 0;
}

std::string_view guest_signal_name(unsigned guest)
{
    for (const SignalPair& pair : signal_pairs)
        if (pair.guest == guest)
            return pair.name;
    return "a real-time signal";
}

DefaultAction default_action(unsigned guest)
{
    switch (static_cast<GuestSignal>(guest)) {
    case GuestSignal::SIGQUIT_:
    case GuestSignal::SIGILL_:
    case GuestSignal::SIGTRAP_:
    case GuestSignal::SIGABRT_:
    case GuestSignal::SIGEMT_:
    case GuestSignal::SIGFPE_:
    case GuestSignal::SIGBUS_:
    case GuestSignal::SIGSEGV_:
    case GuestSignal::SIGSYS_:
    case GuestSignal::SIGXCPU_:
    case GuestSignal::SIGXFSZ_: return DefaultAction::CoreDump;
    case GuestSignal::SIGCHLD_:
    case GuestSignal::SIGWINCH_:
    case GuestSignal::SIGURG_: return DefaultAction::Ignore;
    case GuestSignal::SIGSTOP_:
    case GuestSignal::SIGTSTP_:
    case GuestSignal::SIGTTIN_:
    case GuestSignal::SIGTTOU_: return DefaultAction::Stop;
    case GuestSignal::SIGCONT_: return DefaultAction::Continue;
    default: return DefaultAction::Terminate;
    }
}

SignalState inherited_signal_state()
{
    SignalState state;
    for (unsigned guest = 1; guest <= guest_signal_count; ++guest) {
        int host = host_signal(guest);
        if (host == 0 || host == SIGKILL || host == SIGSTOP || reserved_by_emulator(host))
            continue;
        struct sigaction action;
        if (sigaction(host, nullptr, &action) == 0 && action.sa_handler == SIG_IGN)
            state.actions[guest].handler = GuestSignalAction::ignore_handler;
    }
    return state;
}

GuestSignalSet inherited_blocked_mask()
{
    GuestSignalSet blocked;
    sigset_t host_blocked;
    pthread_sigmask(SIG_BLOCK, nullptr, &host_blocked);
    for (unsigned guest = 1; guest <= guest_signal_count; ++guest) {
        int host = host_signal(guest);
        if (host != 0 && host != SIGKILL && host != SIGSTOP && sigismember(&host_blocked, host) == 1)
            blocked.add(guest);
    }
    return blocked;
}

void apply_host_disposition(unsigned guest, const GuestSignalAction& action)
{
    int host = host_signal(guest);
    if (host == 0 || host == SIGKILL || host == SIGSTOP || reserved_by_emulator(host))
        return;
    std::signal(host, action.handler == GuestSignalAction::ignore_handler ? SIG_IGN : SIG_DFL);
}

bool host_fault_signal(int host)
{
    return host == SIGSEGV || host == SIGBUS || host == SIGILL || host == SIGFPE || host == SIGTRAP;
}

bool carried_by_host(unsigned guest)
{
    int host = host_signal(guest);
    return host != 0 && host != SIGKILL && host != SIGSTOP && !host_fault_signal(host);
}

sigset_t all_but_fault_signals()
{
    sigset_t set;
    sigfillset(&set);
    for (int host : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP})
        sigdelset(&set, host);
    return set;
}

void apply_host_mask(const GuestSignalSet& blocked)
{
    sigset_t host_set;
    sigemptyset(&host_set);
    for (unsigned guest = 1; guest <= guest_signal_count; ++guest) {
        if (!blocked.contains(guest))
            continue;
        int host = host_signal(guest);
        if (host != 0 && host != SIGKILL && host != SIGSTOP && !host_fault_signal(host))
            sigaddset(&host_set, host);
    }
    pthread_sigmask(SIG_SETMASK, &host_set, nullptr);
}

} // namespace isomorph::process
