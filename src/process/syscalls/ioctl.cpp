// ioctl: the terminal and descriptor requests C libraries and shells use. MIPS numbers most of
// them differently from x86: many terminal requests are historical constants, and its _IOC
// encoding has 13 size bits and puts "read" (2) and "write" (4) in the top three bits. Its
// struct termios orders the control characters its own way (process/o32/flags.h). Socket
// requests are in socket_ioctl.cpp. Requests known to neither fail with ENOTTY, as Linux answers
// a request a descriptor does not know.

#include "process/o32/flags.h"
#include "process/o32/layouts.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/socket_support.h"
#include "process/syscalls/support.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace isomorph::process::syscalls {

namespace {

// Request numbers from arch/mips/include/uapi/asm/ioctls.h.
namespace request {
constexpr uint32_t tcgets = 0x540D;
constexpr uint32_t tcsets = 0x540E;
constexpr uint32_t tcsetsw = 0x540F;
constexpr uint32_t tcsetsf = 0x5410;
constexpr uint32_t tcsbrk = 0x5405;
constexpr uint32_t tcxonc = 0x5406;
constexpr uint32_t tcflsh = 0x5407;
constexpr uint32_t tiocgwinsz = 0x40087468; // _IOR('t', 104, struct winsize)
constexpr uint32_t tiocswinsz = 0x80087467; // _IOW('t', 103, struct winsize)
constexpr uint32_t tiocgpgrp = 0x40047477;  // _IOR('t', 119, int)
constexpr uint32_t tiocspgrp = 0x80047476;  // _IOW('t', 118, int)
constexpr uint32_t tiocsctty = 0x5480;
constexpr uint32_t tiocnotty = 0x5471;
constexpr uint32_t tiocgsid = 0x7416;
constexpr uint32_t tiocoutq = 0x7472;
constexpr uint32_t fionread = 0x467F;
constexpr uint32_t fionbio = 0x667E;
constexpr uint32_t fioasync = 0x667D;
constexpr uint32_t fioclex = 0x6601;
constexpr uint32_t fionclex = 0x6602;
constexpr uint32_t tiocgptn = 0x40045430;   // _IOR('T', 0x30, unsigned int)
constexpr uint32_t tiocsptlck = 0x80045431; // _IOW('T', 0x31, int)
constexpr uint32_t tiocgptlck = 0x40045439; // _IOR('T', 0x39, int)
} // namespace request

// A request whose argument points to one int the kernel reads.
SyscallResult int_in(Process& process, int fd, unsigned long host_request, uint32_t address)
{
    int value;
    if (!read_guest(process, address, value))
        return -EFAULT;
    return host_result(ioctl(fd, host_request, &value));
}

// A request whose argument points to one int the kernel fills.
SyscallResult int_out(Process& process, int fd, unsigned long host_request, uint32_t address)
{
    int value = 0;
    if (ioctl(fd, host_request, &value) < 0)
        return -errno;
    return write_guest(process, address, value) ? 0 : -EFAULT;
}

SyscallResult set_terminal(Process& process, int fd, int when, uint32_t address)
{
    o32::Termios guest;
    if (!read_guest(process, address, guest))
        return -EFAULT;
    // Start from the current settings so that fields MIPS does not have keep their values.
    struct termios host;
    if (tcgetattr(fd, &host) < 0)
        return -errno;
    o32::termios_to_host(guest, host);
    return host_result(tcsetattr(fd, when, &host));
}

} // namespace

SyscallResult sys_ioctl(Process& process, const SyscallArguments& a)
{
    int fd = descriptor(a[0]);
    uint32_t argument = a[2];
    switch (a[1]) {
    case request::tcgets: {
        struct termios host;
        if (tcgetattr(fd, &host) < 0)
            return -errno;
        return write_guest(process, argument, o32::termios_to_guest(host)) ? 0 : -EFAULT;
    }
    case request::tcsets: return set_terminal(process, fd, TCSANOW, argument);
    case request::tcsetsw: return set_terminal(process, fd, TCSADRAIN, argument);
    case request::tcsetsf: return set_terminal(process, fd, TCSAFLUSH, argument);
    case request::tcsbrk: return host_result(ioctl(fd, TCSBRK, static_cast<int>(argument)));
    case request::tcxonc: return host_result(ioctl(fd, TCXONC, static_cast<int>(argument)));
    case request::tcflsh: return host_result(ioctl(fd, TCFLSH, static_cast<int>(argument)));
    case request::tiocgwinsz: {
        struct winsize size;
        if (ioctl(fd, TIOCGWINSZ, &size) < 0)
            return -errno;
        return write_guest(process, argument, size) ? 0 : -EFAULT;
    }
    case request::tiocswinsz: {
        struct winsize size;
        if (!read_guest(process, argument, size))
            return -EFAULT;
        return host_result(ioctl(fd, TIOCSWINSZ, &size));
    }
    case request::tiocgpgrp: return int_out(process, fd, TIOCGPGRP, argument);
    case request::tiocspgrp: return int_in(process, fd, TIOCSPGRP, argument);
    case request::tiocgsid: return int_out(process, fd, TIOCGSID, argument);
    case request::tiocoutq: return int_out(process, fd, TIOCOUTQ, argument);
    case request::fionread: return int_out(process, fd, FIONREAD, argument);
    case request::fionbio: return int_in(process, fd, FIONBIO, argument);
    case request::fioasync: return int_in(process, fd, FIOASYNC, argument);
    case request::tiocsctty: return host_result(ioctl(fd, TIOCSCTTY, static_cast<int>(argument)));
    case request::tiocnotty: return host_result(ioctl(fd, TIOCNOTTY));
    case request::fioclex: return host_result(ioctl(fd, FIOCLEX));
    case request::fionclex: return host_result(ioctl(fd, FIONCLEX));
    case request::tiocgptn: return int_out(process, fd, TIOCGPTN, argument);
    case request::tiocsptlck: return int_in(process, fd, TIOCSPTLCK, argument);
    case request::tiocgptlck: return int_out(process, fd, TIOCGPTLCK, argument);
    default:
        if (auto result = socket_ioctl(process, fd, a[1], argument))
            return *result;
        // An unknown request on a bad descriptor still reports the descriptor.
        if (fcntl(fd, F_GETFD) < 0)
            return -EBADF;
        return -ENOTTY;
    }
}

} // namespace isomorph::process::syscalls
