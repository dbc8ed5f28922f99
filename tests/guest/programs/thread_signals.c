// Threads and signals: pthread_kill runs the handler on the chosen thread; a signal sent to the
// process reaches the one thread that does not block it; sigwait in a thread; a blocking read in
// a thread interrupted by a signal (EINTR without SA_RESTART, restarted with it); the signal
// mask is per thread and inherited by new threads.
// CFLAGS: -pthread
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile pid_t handler_tid;
static volatile int handled;

static void record(int signal)
{
    (void)signal;
    handler_tid = (pid_t)syscall(SYS_gettid);
    ++handled;
}

static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }

static sem_t ready, proceed;
static volatile pid_t worker_tid;

static void* waits_for_signal(void* argument)
{
    (void)argument;
    worker_tid = gettid_();
    sem_post(&ready);
    while (handled == 0)
        usleep(1000);
    return NULL;
}

static void* unblocked_worker(void* argument)
{
    (void)argument;
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
    worker_tid = gettid_();
    sem_post(&ready);
    // Not pause(): a signal that arrives between the test and the call would leave it waiting
    // forever (a window that a loaded machine under a sanitizer did hit).
    while (handled == 0)
        usleep(1000);
    return NULL;
}

static void* waiter(void* argument)
{
    (void)argument;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sem_post(&ready);
    int received = 0;
    sigwait(&set, &received);
    return (void*)(long)received;
}

static int pipe_ends[2];

static void* reader(void* argument)
{
    (void)argument;
    worker_tid = gettid_();
    char byte;
    sem_post(&ready);
    ssize_t result = read(pipe_ends[0], &byte, 1);
    if (result < 0)
        return (void*)(long)-errno;
    return (void*)(long)byte;
}

static void* reports_mask(void* argument)
{
    (void)argument;
    sigset_t current;
    pthread_sigmask(SIG_BLOCK, NULL, &current);
    return (void*)(long)(sigismember(&current, SIGUSR1) * 10 + sigismember(&current, SIGUSR2));
}

static void install(int signal, int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record;
    action.sa_flags = flags;
    sigaction(signal, &action, NULL);
}

int main(void)
{
    sem_init(&ready, 0, 0);
    sem_init(&proceed, 0, 0);
    install(SIGUSR1, 0);
    install(SIGUSR2, 0);

    // pthread_kill: the handler runs on the target thread.
    pthread_t thread;
    pthread_create(&thread, NULL, waits_for_signal, NULL);
    sem_wait(&ready);
    pthread_kill(thread, SIGUSR1);
    pthread_join(thread, NULL);
    printf("pthread_kill: handled %d, on the target thread %d\n", handled, handler_tid == worker_tid);

    // kill to the process while main blocks SIGUSR2: the worker, which does not, takes it.
    handled = 0;
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, NULL);
    pthread_create(&thread, NULL, unblocked_worker, NULL);
    sem_wait(&ready);
    kill(getpid(), SIGUSR2);
    pthread_join(thread, NULL);
    printf("process signal: handled %d, by the thread that does not block it %d\n", handled,
           handler_tid == worker_tid);
    pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);

    // New threads inherit the creator's mask.
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    void* mask;
    pthread_create(&thread, NULL, reports_mask, NULL);
    pthread_join(thread, &mask);
    printf("inherited mask: SIGUSR1 %ld, SIGUSR2 %ld\n", (long)mask / 10, (long)mask % 10);

    // sigwait in a thread (SIGUSR1 blocked in every thread).
    pthread_create(&thread, NULL, waiter, NULL);
    sem_wait(&ready);
    usleep(20000);
    pthread_kill(thread, SIGUSR1);
    void* received;
    pthread_join(thread, &received);
    printf("sigwait received SIGUSR1: %d\n", (long)received == SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);

    // A blocking read in a thread: EINTR without SA_RESTART...
    pipe(pipe_ends);
    handled = 0;
    pthread_create(&thread, NULL, reader, NULL);
    sem_wait(&ready);
    usleep(50000);
    pthread_kill(thread, SIGUSR1);
    void* result;
    pthread_join(thread, &result);
    printf("read without SA_RESTART: %s, handled %d\n", (long)result == -EINTR ? "EINTR" : "other", handled);

    // ... and restarted with it, then satisfied by a write.
    install(SIGUSR1, SA_RESTART);
    handled = 0;
    pthread_create(&thread, NULL, reader, NULL);
    sem_wait(&ready);
    usleep(50000);
    pthread_kill(thread, SIGUSR1);
    usleep(50000);
    write(pipe_ends[1], "x", 1);
    pthread_join(thread, &result);
    printf("read with SA_RESTART: '%c', handled %d\n", (int)(long)result, handled);
    return 0;
}
