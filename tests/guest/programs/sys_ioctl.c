// ioctl on terminals and pipes: termios through a pseudo-terminal (MIPS orders the control
// characters and some local flags differently from x86), window sizes, FIONREAD, FIONBIO, and
// ENOTTY for descriptors that are not terminals.
#define _GNU_SOURCE
#include "sys_common.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
    // Not a terminal: standard input is /dev/null in the tests, and a pipe.
    struct termios settings;
    CHECK(tcgetattr(0, &settings));
    CHECK(isatty(0));
    int ends[2];
    CHECK(pipe(ends));
    CHECK(tcgetattr(ends[0], &settings));
    struct winsize size;
    CHECK(ioctl(ends[0], TIOCGWINSZ, &size));
    CHECK(ioctl(99, TIOCGWINSZ, &size));
    // (An unknown request fails with ENOTTY on Linux; QEMU 7.2 answers ENOSYS, so it is not
    // checked here.)

    // FIONREAD and FIONBIO on a pipe.
    int available = -1;
    CHECK(ioctl(ends[0], FIONREAD, &available));
    printf("  available %d\n", available);
    CHECK(write(ends[1], "twelve bytes", 12));
    CHECK(ioctl(ends[0], FIONREAD, &available));
    printf("  available %d\n", available);
    int on = 1;
    CHECK(ioctl(ends[1], FIONBIO, &on));
    printf("  O_NONBLOCK %d\n", !!(fcntl(ends[1], F_GETFL) & O_NONBLOCK));
    CHECK(ioctl(ends[0], FIOCLEX));
    CHECK(fcntl(ends[0], F_GETFD));
    CHECK(ioctl(ends[0], FIONCLEX));
    CHECK(fcntl(ends[0], F_GETFD));

    // A pseudo-terminal.
    int master = CHECK(posix_openpt(O_RDWR | O_NOCTTY));
    if (master < 0)
        return 0;
    CHECK(grantpt(master));
    CHECK(unlockpt(master));
    const char* name = ptsname(master);
    printf("  ptsname under /dev/pts: %d\n", name != NULL && strncmp(name, "/dev/pts/", 9) == 0);
    int slave = CHECK(open(name, O_RDWR | O_NOCTTY));
    CHECK(isatty(slave));
    CHECK(tcgetattr(slave, &settings));
    printf("  defaults: ICANON %d ECHO %d ISIG %d IEXTEN %d TOSTOP %d ONLCR %d ICRNL %d CS8 %d\n",
           !!(settings.c_lflag & ICANON), !!(settings.c_lflag & ECHO), !!(settings.c_lflag & ISIG),
           !!(settings.c_lflag & IEXTEN), !!(settings.c_lflag & TOSTOP), !!(settings.c_oflag & ONLCR),
           !!(settings.c_iflag & ICRNL), (settings.c_cflag & CSIZE) == CS8);
    printf("  VINTR %d VQUIT %d VERASE %d VKILL %d VEOF %d VSTART %d VSTOP %d VSUSP %d VMIN %d VTIME %d\n",
           settings.c_cc[VINTR], settings.c_cc[VQUIT], settings.c_cc[VERASE], settings.c_cc[VKILL],
           settings.c_cc[VEOF], settings.c_cc[VSTART], settings.c_cc[VSTOP], settings.c_cc[VSUSP],
           settings.c_cc[VMIN], settings.c_cc[VTIME]);

    // Raw mode with a few control characters changed, read back.
    struct termios raw = settings;
    cfmakeraw(&raw);
    raw.c_lflag |= TOSTOP;
    raw.c_cc[VMIN] = 3;
    raw.c_cc[VTIME] = 7;
    raw.c_cc[VINTR] = 'C' & 0x1F;
    raw.c_cc[VEOF] = 'X' & 0x1F;
    CHECK(tcsetattr(slave, TCSANOW, &raw));
    struct termios back;
    CHECK(tcgetattr(slave, &back));
    printf("  raw: ICANON %d ECHO %d ISIG %d IEXTEN %d TOSTOP %d OPOST %d VMIN %d VTIME %d VINTR %d VEOF %d\n",
           !!(back.c_lflag & ICANON), !!(back.c_lflag & ECHO), !!(back.c_lflag & ISIG), !!(back.c_lflag & IEXTEN),
           !!(back.c_lflag & TOSTOP), !!(back.c_oflag & OPOST), back.c_cc[VMIN], back.c_cc[VTIME], back.c_cc[VINTR],
           back.c_cc[VEOF]);
    CHECK(cfsetospeed(&back, B9600));
    CHECK(tcsetattr(slave, TCSADRAIN, &back));
    CHECK(tcgetattr(slave, &back));
    printf("  output speed 9600: %d\n", cfgetospeed(&back) == B9600);
    CHECK(tcsetattr(slave, TCSAFLUSH, &settings));
    CHECK(tcgetattr(slave, &back));
    printf("  restored: ICANON %d VMIN %d\n", !!(back.c_lflag & ICANON), back.c_cc[VMIN]);

    // Data through the terminal, counted by FIONREAD.
    CHECK(write(master, "line\n", 5));
    // The terminal passes the line on asynchronously: wait until the slave has it.
    struct pollfd ready = {slave, POLLIN, 0};
    CHECK(poll(&ready, 1, 5000));
    CHECK(ioctl(slave, FIONREAD, &available));
    printf("  available on the terminal %d\n", available);
    CHECK(tcflush(slave, TCIFLUSH));
    CHECK(ioctl(slave, FIONREAD, &available));
    printf("  available after flush %d\n", available);
    CHECK(tcdrain(slave));

    // Window size.
    struct winsize set_size = {.ws_row = 24, .ws_col = 80, .ws_xpixel = 640, .ws_ypixel = 480};
    CHECK(ioctl(master, TIOCSWINSZ, &set_size));
    CHECK(ioctl(slave, TIOCGWINSZ, &size));
    printf("  window %dx%d pixels %dx%d\n", size.ws_col, size.ws_row, size.ws_xpixel, size.ws_ypixel);
    // No controlling terminal here.
    pid_t group;
    CHECK(ioctl(slave, TIOCGPGRP, &group));
    CHECK(tcgetpgrp(slave));
    CHECK(close(slave));
    CHECK(close(master));
    return 0;
}
