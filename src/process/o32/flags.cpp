#include "process/o32/flags.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>

namespace isomorph::process::o32 {

namespace {

struct FlagPair {
    uint32_t guest;
    int host;
};

// The host C library defines O_LARGEFILE as 0 on x86-64; the kernel's value is 0100000.
constexpr int host_large_file = 0100000;

constexpr FlagPair open_flag_pairs[] = {
    {open_flag::append, O_APPEND},
    {open_flag::dsync, O_DSYNC},
    {open_flag::nonblock, O_NONBLOCK},
    {open_flag::create, O_CREAT},
    {open_flag::truncate, O_TRUNC},
    {open_flag::exclusive, O_EXCL},
    {open_flag::no_controlling_tty, O_NOCTTY},
    {open_flag::async, O_ASYNC},
    {open_flag::large_file, host_large_file},
    {open_flag::sync, O_SYNC & ~O_DSYNC},
    {open_flag::direct, O_DIRECT},
    {open_flag::directory, O_DIRECTORY},
    {open_flag::no_follow, O_NOFOLLOW},
    {open_flag::no_access_time, O_NOATIME},
    {open_flag::close_on_exec, O_CLOEXEC},
    {open_flag::path, O_PATH},
    {open_flag::temporary_file, O_TMPFILE & ~O_DIRECTORY},
};

} // namespace

int open_flags_to_host(uint32_t guest)
{
    int host = static_cast<int>(guest & O_ACCMODE);
    for (const FlagPair& pair : open_flag_pairs)
        if (guest & pair.guest)
            host |= pair.host;
    return host;
}

uint32_t open_flags_to_guest(int host)
{
    uint32_t guest = static_cast<uint32_t>(host & O_ACCMODE);
    for (const FlagPair& pair : open_flag_pairs)
        if ((host & pair.host) == pair.host)
            guest |= pair.guest;
    return guest;
}

short poll_events_to_host(uint16_t guest)
{
    // POLLIN, POLLPRI, POLLOUT (= POLLWRNORM), POLLERR, POLLHUP, POLLNVAL, POLLRDNORM, POLLRDBAND
    // keep their bits; POLLMSG (0x400) and POLLRDHUP (0x2000) too.
    int host = guest & (0x00FF | 0x0400 | 0x2000);
    if (guest & 0x0100)
        host |= POLLWRBAND;
    return static_cast<short>(host);
}

uint16_t poll_events_to_guest(short host_events)
{
    int host = static_cast<unsigned short>(host_events);
    unsigned guest = static_cast<unsigned>(host) & (0x00FF | 0x0400 | 0x2000);
    if (host & POLLWRNORM)
        guest |= 0x0004;
    if (host & POLLWRBAND)
        guest |= 0x0100;
    return static_cast<uint16_t>(guest);
}

int resource_to_host(uint32_t guest)
{
    switch (guest) {
    case 0: return RLIMIT_CPU;
    case 1: return RLIMIT_FSIZE;
    case 2: return RLIMIT_DATA;
    case 3: return RLIMIT_STACK;
    case 4: return RLIMIT_CORE;
    case 5: return RLIMIT_NOFILE;
    case 6: return RLIMIT_AS;
    case 7: return RLIMIT_RSS;
    case 8: return RLIMIT_NPROC;
    case 9: return RLIMIT_MEMLOCK;
    case 10: return RLIMIT_LOCKS;
    case 11: return RLIMIT_SIGPENDING;
    case 12: return RLIMIT_MSGQUEUE;
    case 13: return RLIMIT_NICE;
    case 14: return RLIMIT_RTPRIO;
    case 15: return RLIMIT_RTTIME;
    default: return -1;
    }
}

namespace {

// The MIPS index of each control character, and x86's (the host's kernel and glibc agree).
struct ControlCharacter {
    unsigned guest;
    unsigned host;
};
constexpr ControlCharacter control_characters[] = {
    {0, VINTR},     {1, VQUIT},      {2, VERASE},     {3, VKILL},    {4, VMIN},     {5, VTIME},
    {6, VEOL2},     {7, VSWTC},      {8, VSTART},     {9, VSTOP},    {10, VSUSP},   {12, VREPRINT},
    {13, VDISCARD}, {14, VWERASE},   {15, VLNEXT},    {16, VEOF},    {17, VEOL},
};

// Local-mode flags that sit at different bits: MIPS value, host value.
constexpr FlagPair moved_local_flags[] = {
    {0x00100, IEXTEN},
    {0x02000, FLUSHO},
    {0x08000, TOSTOP},
};
constexpr uint32_t moved_local_mask = 0x00100 | 0x02000 | 0x08000;

} // namespace

Termios termios_to_guest(const struct termios& host)
{
    Termios guest{};
    guest.c_iflag = host.c_iflag;
    guest.c_oflag = host.c_oflag;
    guest.c_cflag = host.c_cflag;
    uint32_t host_moved = IEXTEN | FLUSHO | TOSTOP;
    guest.c_lflag = host.c_lflag & ~host_moved;
    for (const FlagPair& pair : moved_local_flags)
        if (host.c_lflag & static_cast<tcflag_t>(pair.host))
            guest.c_lflag |= pair.guest;
    guest.c_line = host.c_line;
    for (const ControlCharacter& character : control_characters)
        guest.c_cc[character.guest] = host.c_cc[character.host];
    return guest;
}

void termios_to_host(const Termios& guest, struct termios& host)
{
    host.c_iflag = guest.c_iflag;
    host.c_oflag = guest.c_oflag;
    host.c_cflag = guest.c_cflag;
    host.c_lflag = guest.c_lflag & ~moved_local_mask;
    for (const FlagPair& pair : moved_local_flags)
        if (guest.c_lflag & pair.guest)
            host.c_lflag |= static_cast<tcflag_t>(pair.host);
    host.c_line = guest.c_line;
    for (const ControlCharacter& character : control_characters)
        host.c_cc[character.host] = guest.c_cc[character.guest];
}

} // namespace isomorph::process::o32
