#include "process/signals.h"

#include <csignal>

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

} // namespace isomorph::process
