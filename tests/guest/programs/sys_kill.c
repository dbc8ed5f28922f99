// A process that sends itself SIGTERM with the default action ends with it, output flushed
// before; the exit status is 128 + 15, as for a native process.
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("before the signal\n");
    fflush(stdout);
    // Blocked first: the signal waits until it is unblocked.
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGTERM);
    printf("still here while it is blocked\n");
    fflush(stdout);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("not reached\n");
    return 0;
}
