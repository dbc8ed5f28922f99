// System calls given pointers to unmapped or read-only guest memory must fail with EFAULT and
// leave both the guest and the host running; none of them may crash the emulator. Each line
// shows a call's result and errno, compared with qemu-mipsel.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static void *const unmapped = (void*)0x10000000;
static void *const above_stack = (void*)0x7ffffff0;

static void show(const char* what, long result)
{
    printf("%-28s %ld %s\n", what, result, result < 0 ? strerror(errno) : "");
    fflush(stdout);
}

int main(void)
{
    int pipe_ends[2];
    if (pipe(pipe_ends) != 0)
        return 1;
    if (write(pipe_ends[1], "0123456789abcdef0123456789abcdef", 32) != 32)
        return 2;

    show("write from null", syscall(SYS_write, 1, NULL, 16));
    show("write from unmapped", syscall(SYS_write, 1, unmapped, 16));
    show("write above the stack", syscall(SYS_write, 1, above_stack, 16));
    show("read into null", syscall(SYS_read, pipe_ends[0], NULL, 4));
    show("read into .text", syscall(SYS_read, pipe_ends[0], (void*)main, 4));
    show("read into unmapped", syscall(SYS_read, pipe_ends[0], unmapped, 4));

    struct iovec bad_base = {unmapped, 8};
    show("writev of a null vector", syscall(SYS_writev, 1, NULL, 1));
    show("writev of a bad base", syscall(SYS_writev, 1, &bad_base, 1));

    show("openat of a null path", syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY));
    show("openat of an unmapped path", syscall(SYS_openat, AT_FDCWD, unmapped, O_RDONLY));
    show("clock_gettime into null", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL));
    show("clock_gettime into .text", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void*)main));
    show("rt_sigaction from unmapped", syscall(SYS_rt_sigaction, SIGUSR1, unmapped, NULL, 16));
    show("rt_sigprocmask into .text", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, (void*)main, 16));

    // The guest is still healthy: the pipe still holds what the failed reads did not take.
    char buffer[8] = {0};
    show("read after the faults", read(pipe_ends[0], buffer, 4));
    printf("%.4s\n", buffer);
    return 0;
}
