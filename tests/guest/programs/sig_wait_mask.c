// ppoll, pselect and epoll_pwait put their signal mask in place for the wait: a signal that is
// pending but blocked, and that the call's mask lets in, interrupts the call at once (EINTR), its
// handler runs with the call's mask, and the old mask is back afterwards.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>

static volatile int handled;
static volatile int usr2_blocked_in_handler;

static void on_usr1(int signal)
{
    (void)signal;
    ++handled;
    sigset_t current;
    sigprocmask(SIG_BLOCK, NULL, &current);
    usr2_blocked_in_handler = sigismember(&current, SIGUSR2);
}

static void report(const char* name, int result, int error)
{
    sigset_t current;
    sigprocmask(SIG_BLOCK, NULL, &current);
    printf("%s: %d %s, handled %d, the call's mask in the handler %d, SIGUSR1 blocked again %d\n", name, result,
           error == EINTR ? "EINTR" : "other", handled, usr2_blocked_in_handler, sigismember(&current, SIGUSR1));
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    sigaction(SIGUSR1, &action, NULL);
    sigset_t blocked, call_mask;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    sigemptyset(&call_mask);
    sigaddset(&call_mask, SIGUSR2); // the call lets SIGUSR1 in and blocks SIGUSR2
    struct timespec second = {1, 0};

    raise(SIGUSR1);
    int result = ppoll(NULL, 0, &second, &call_mask);
    report("ppoll", result, errno);

    handled = 0;
    raise(SIGUSR1);
    result = pselect(0, NULL, NULL, NULL, &second, &call_mask);
    report("pselect", result, errno);

    handled = 0;
    int epoll = epoll_create1(0);
    struct epoll_event event;
    raise(SIGUSR1);
    result = epoll_pwait(epoll, &event, 1, 1000, &call_mask);
    report("epoll_pwait", result, errno);
    return 0;
}
