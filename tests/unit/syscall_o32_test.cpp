// Translations between the o32 ABI and the host: errno numbers, open flags, poll events,
// resource numbers, termios, and the o32 structure layouts.

#include "process/o32/errno.h"
#include "process/o32/flags.h"
#include "process/o32/layouts.h"
#include "process/signals.h"

#include <cerrno>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>
#include <termios.h>

namespace isomorph::process::o32 {
namespace {

TEST(O32Errno, MipsNumbersDifferFromThe35thOn)
{
    EXPECT_EQ(guest_errno(ENOENT), 2);
    EXPECT_EQ(guest_errno(ERANGE), 34);
    EXPECT_EQ(guest_errno(EDEADLK), 45);
    EXPECT_EQ(guest_errno(ENAMETOOLONG), 78);
    EXPECT_EQ(guest_errno(ENOSYS), 89);
    EXPECT_EQ(guest_errno(ELOOP), 90);
    EXPECT_EQ(guest_errno(ENOTEMPTY), 93);
    EXPECT_EQ(guest_errno(EOPNOTSUPP), 122);
    EXPECT_EQ(guest_errno(ETIMEDOUT), 145);
    EXPECT_EQ(guest_errno(EINPROGRESS), 150);
    EXPECT_EQ(guest_errno(ECANCELED), 158);
    EXPECT_EQ(guest_errno(EDQUOT), 1133);
    EXPECT_EQ(errno_name(ENOTEMPTY), "ENOTEMPTY");
}

TEST(O32Errno, RoundTripsForEveryHostError)
{
    for (int host = 1; host < 134; ++host) {
        if (errno_name(host) == "E?")
            continue;
        int guest = guest_errno(host);
        EXPECT_GT(guest, 0) << host;
        EXPECT_EQ(host_errno(guest), host) << errno_name(host);
    }
}

TEST(O32Flags, OpenFlagsUseMipsBits)
{
    EXPECT_EQ(open_flags_to_host(0x0100 | 0x0002), O_CREAT | O_RDWR);
    EXPECT_EQ(open_flags_to_host(0x0008), O_APPEND);
    EXPECT_EQ(open_flags_to_host(0x0080), O_NONBLOCK);
    EXPECT_EQ(open_flags_to_host(0x0200 | 0x0400 | 0x0001), O_TRUNC | O_EXCL | O_WRONLY);
    EXPECT_EQ(open_flags_to_host(0x80000 | 0x10000 | 0x20000), O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW);
    EXPECT_EQ(open_flags_to_host(0x4010), O_SYNC);
    EXPECT_EQ(open_flags_to_host(0x410000), O_TMPFILE);
    EXPECT_EQ(open_flags_to_host(0x200000), O_PATH);
    // The host C library calls O_LARGEFILE 0; the kernel's bit must still come back.
    EXPECT_EQ(open_flags_to_guest(open_flags_to_host(0x2000)), 0x2000u);
    EXPECT_EQ(open_flags_to_guest(O_RDWR | O_APPEND | O_NONBLOCK), 0x0002u | 0x0008u | 0x0080u);
    for (uint32_t bit = 0; bit < 23; ++bit) {
        uint32_t guest = 1u << bit;
        if (guest & 3)
            continue;
        int host = open_flags_to_host(guest);
        if (host != 0) {
            EXPECT_EQ(open_flags_to_guest(host) & ~0x10u, guest & ~0x10u) << std::hex << guest;
        }
    }
}

TEST(O32Flags, PollWriteBitsMove)
{
    EXPECT_EQ(poll_events_to_host(0x0001 | 0x0004), POLLIN | POLLOUT);
    EXPECT_EQ(poll_events_to_host(0x0100), POLLWRBAND);
    EXPECT_EQ(poll_events_to_guest(POLLWRNORM), 0x0004);
    EXPECT_EQ(poll_events_to_guest(POLLWRBAND), 0x0100);
    EXPECT_EQ(poll_events_to_guest(POLLHUP | POLLNVAL | POLLERR), 0x0010 | 0x0020 | 0x0008);
}

TEST(O32Flags, ResourceNumbers)
{
    EXPECT_EQ(resource_to_host(3), RLIMIT_STACK);
    EXPECT_EQ(resource_to_host(5), RLIMIT_NOFILE);
    EXPECT_EQ(resource_to_host(6), RLIMIT_AS);
    EXPECT_EQ(resource_to_host(7), RLIMIT_RSS);
    EXPECT_EQ(resource_to_host(8), RLIMIT_NPROC);
    EXPECT_EQ(resource_to_host(9), RLIMIT_MEMLOCK);
    EXPECT_EQ(resource_to_host(16), -1);
}

TEST(O32Termios, ControlCharactersAndLocalFlagsMove)
{
    struct termios host = {};
    host.c_lflag = ICANON | ECHO | IEXTEN | TOSTOP;
    host.c_iflag = ICRNL | IXON;
    host.c_cc[VMIN] = 1;
    host.c_cc[VTIME] = 2;
    host.c_cc[VEOF] = 4;
    host.c_cc[VEOL] = 5;
    host.c_cc[VEOL2] = 6;
    host.c_cc[VINTR] = 3;
    Termios guest = termios_to_guest(host);
    EXPECT_EQ(guest.c_cc[4], 1);  // VMIN
    EXPECT_EQ(guest.c_cc[5], 2);  // VTIME
    EXPECT_EQ(guest.c_cc[16], 4); // VEOF
    EXPECT_EQ(guest.c_cc[17], 5); // VEOL
    EXPECT_EQ(guest.c_cc[6], 6);  // VEOL2
    EXPECT_EQ(guest.c_cc[0], 3);  // VINTR
    EXPECT_EQ(guest.c_lflag, 0x2u | 0x8u | 0x100u | 0x8000u); // ICANON ECHO IEXTEN TOSTOP on MIPS
    EXPECT_EQ(guest.c_iflag, host.c_iflag);

    struct termios back = {};
    termios_to_host(guest, back);
    EXPECT_EQ(back.c_lflag, host.c_lflag);
    EXPECT_EQ(back.c_cc[VMIN], 1);
    EXPECT_EQ(back.c_cc[VEOF], 4);
    EXPECT_EQ(back.c_cc[VEOL2], 6);
}

TEST(O32Signals, SetsAndDefaultActions)
{
    GuestSignalSet set;
    set.add(1);
    set.add(32);
    set.add(33);
    set.add(128);
    EXPECT_EQ(set.words[0], 0x80000001u);
    EXPECT_EQ(set.words[1], 1u);
    EXPECT_EQ(set.words[3], 0x80000000u);
    EXPECT_TRUE(set.contains(128));
    set.remove(32);
    EXPECT_FALSE(set.contains(32));
    EXPECT_EQ(default_action(18), DefaultAction::Ignore);    // SIGCHLD
    EXPECT_EQ(default_action(20), DefaultAction::Ignore);    // SIGWINCH
    EXPECT_EQ(default_action(23), DefaultAction::Stop);      // SIGSTOP
    EXPECT_EQ(default_action(25), DefaultAction::Continue);  // SIGCONT
    EXPECT_EQ(default_action(11), DefaultAction::CoreDump);  // SIGSEGV
    EXPECT_EQ(default_action(15), DefaultAction::Terminate); // SIGTERM
    EXPECT_EQ(default_action(19), DefaultAction::Terminate); // SIGPWR
}

} // namespace
} // namespace isomorph::process::o32
