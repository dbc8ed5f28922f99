// sigwaitinfo and sigtimedwait take a blocked pending signal without running its handler (the
// process's own raise, then a timer's SIGALRM from the host), and time out with EAGAIN.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static volatile int handler_ran;

static void on_signal(int number)
{
    (void)number;
    handler_ran = 1;
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGALRM, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGALRM);
    sigprocmask(SIG_BLOCK, &set, NULL);

    raise(SIGUSR1);
    siginfo_t info;
    int number = sigwaitinfo(&set, &info);
    printf("sigwaitinfo %d (SIGUSR1 %d) code %d, handler ran %d\n", number, SIGUSR1, info.si_code,
           handler_ran);

    struct itimerval timer = {.it_interval = {0, 0}, .it_value = {0, 20000}};
    setitimer(ITIMER_REAL, &timer, NULL);
    number = sigwaitinfo(&set, &info);
    printf("timer: %d (SIGALRM %d), handler ran %d\n", number, SIGALRM, handler_ran);

    struct timespec timeout = {0, 10000000};
    number = sigtimedwait(&set, &info, &timeout);
    printf("timeout: %d errno EAGAIN %d\n", number, errno == EAGAIN);
    return 0;
}
