// POSIX timers and queued signals: timer_create with a real-time signal and a value, periodic
// expiry seen by an SA_SIGINFO handler (SI_TIMER, the value, the timer ID), timer_gettime, the
// default sigevent (SIGALRM carrying the timer ID), SIGEV_THREAD (a thread runs the function),
// sigqueue with a value, and the errors for a deleted timer and a bad clock. Checked against
// expected text (Linux's answers, the same as a native x86-64 build's): qemu-mipsel 7.2 never
// finishes this program.
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int expirations, last_code, last_value, last_pid;
static volatile timer_t last_timer;

static void on_signal(int signal, siginfo_t* info, void* context)
{
    (void)signal;
    (void)context;
    ++expirations;
    last_code = info->si_code;
    last_value = info->si_value.sival_int;
    last_pid = info->si_pid;
    last_timer = (timer_t)(long)info->si_timerid;
}

static void install(int signal)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_signal;
    action.sa_flags = SA_SIGINFO;
    sigaction(signal, &action, NULL);
}

static sem_t fired;
static void on_thread_timer(union sigval value)
{
    if (value.sival_int == 99)
        sem_post(&fired);
}

int main(void)
{
    int signal_number = SIGRTMIN + 1;
    install(signal_number);
    sigset_t block, previous;
    sigemptyset(&block);
    sigaddset(&block, signal_number);
    sigprocmask(SIG_BLOCK, &block, &previous);

    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = signal_number;
    event.sigev_value.sival_int = 1234;
    timer_t timer;
    if (timer_create(CLOCK_MONOTONIC, &event, &timer) != 0) {
        perror("timer_create");
        return 1;
    }
    struct itimerspec period = {{0, 10 * 1000 * 1000}, {0, 10 * 1000 * 1000}};
    timer_settime(timer, 0, &period, NULL);
    struct itimerspec current;
    timer_gettime(timer, &current);
    printf("interval %ld ns, armed %d\n", current.it_interval.tv_nsec, current.it_value.tv_sec > 0 || current.it_value.tv_nsec > 0);
    while (expirations < 3)
        sigsuspend(&previous);
    printf("periodic: at least 3 expirations, si_code SI_TIMER %d, value %d, the timer's ID %d\n",
           last_code == SI_TIMER, last_value, last_timer == timer);
    printf("overrun count not negative: %d\n", timer_getoverrun(timer) >= 0);
    timer_delete(timer);
    errno = 0;
    int result = timer_settime(timer, 0, &period, NULL);
    printf("settime on a deleted timer: %d %s\n", result, errno == EINVAL ? "EINVAL" : "other");
    errno = 0;
    result = timer_create((clockid_t)1234, &event, &timer);
    printf("bad clock: %d %s\n", result, errno == EINVAL ? "EINVAL" : "other");
    sigprocmask(SIG_SETMASK, &previous, NULL);

    // No sigevent: SIGALRM with the timer's ID as the value.
    install(SIGALRM);
    expirations = 0;
    timer_t plain;
    timer_create(CLOCK_REALTIME, NULL, &plain);
    struct itimerspec once = {{0, 0}, {0, 5 * 1000 * 1000}};
    timer_settime(plain, 0, &once, NULL);
    while (expirations == 0)
        pause();
    printf("default sigevent: SIGALRM, value is the ID %d\n", last_value == (int)(long)plain);
    timer_delete(plain);

    // SIGEV_THREAD: the C library runs the function on a thread of its own.
    sem_init(&fired, 0, 0);
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_THREAD;
    event.sigev_notify_function = on_thread_timer;
    event.sigev_value.sival_int = 99;
    timer_t threaded;
    if (timer_create(CLOCK_MONOTONIC, &event, &threaded) != 0) {
        perror("timer_create SIGEV_THREAD");
        return 1;
    }
    timer_settime(threaded, 0, &once, NULL);
    sem_wait(&fired);
    printf("SIGEV_THREAD: the function ran with its value\n");
    timer_delete(threaded);

    // sigqueue: a value travels with the signal.
    install(SIGUSR1);
    expirations = 0;
    union sigval value = {.sival_int = 77};
    sigqueue(getpid(), SIGUSR1, value);
    printf("sigqueue: delivered %d, SI_QUEUE %d, value %d, from this process %d\n", expirations,
           last_code == SI_QUEUE, last_value, last_pid == getpid());
    return 0;
}
