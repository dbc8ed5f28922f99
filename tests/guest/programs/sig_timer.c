// Signals from the host's timers: setitimer(ITIMER_REAL) fires a handler N times while the
// program waits in pause(); alarm() interrupts a blocking read from an empty pipe, which
// restarts under SA_RESTART (the handler writes to the pipe, so the read then returns the data)
// and fails with EINTR without it; getitimer reports a disarmed timer.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile int ticks;
static int pipe_ends[2];

static void on_tick(int number)
{
    (void)number;
    ++ticks;
}

static void on_alarm_write(int number)
{
    (void)number;
    ++ticks;
    write(pipe_ends[1], "x", 1);
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_tick;
    sigaction(SIGALRM, &action, NULL);

    struct itimerval timer = {.it_interval = {0, 20000}, .it_value = {0, 20000}};
    setitimer(ITIMER_REAL, &timer, NULL);
    while (ticks < 5)
        pause();
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    struct itimerval now;
    getitimer(ITIMER_REAL, &now);
    printf("ticks %d, disarmed %d\n", ticks >= 5, now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0);

    pipe(pipe_ends);
    char buffer[4];
    action.sa_handler = on_alarm_write;
    action.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &action, NULL);
    ticks = 0;
    alarm(1);
    ssize_t got = read(pipe_ends[0], buffer, sizeof buffer);
    printf("restarted read %zd '%c', handler ran %d\n", got, got > 0 ? buffer[0] : '?', ticks);

    action.sa_handler = on_tick;
    action.sa_flags = 0;
    sigaction(SIGALRM, &action, NULL);
    ticks = 0;
    alarm(1);
    got = read(pipe_ends[0], buffer, sizeof buffer);
    printf("interrupted read %zd errno EINTR %d, handler ran %d\n", got, errno == EINTR, ticks);
    printf("alarm left %u\n", alarm(0));
    return 0;
}
