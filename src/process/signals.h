#pragma once

#include <cstdint>
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

} // namespace isomorph::process
