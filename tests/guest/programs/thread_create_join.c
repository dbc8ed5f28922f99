// Threads: creation and joining with results, thread-local storage, thread IDs, detached threads,
// pthread_exit values, and many threads created in waves.
// CFLAGS: -pthread
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static __thread int tls_counter = 100;
static __thread char tls_name[16];

struct work {
    int index;
    pid_t tid;
    long sum;
    int tls_seen;
};

static void* worker(void* argument)
{
    struct work* w = argument;
    w->tid = (pid_t)syscall(SYS_gettid);
    snprintf(tls_name, sizeof tls_name, "worker-%d", w->index);
    for (int i = 0; i <= 1000 * (w->index + 1); ++i) {
        w->sum += i;
        ++tls_counter;
    }
    w->tls_seen = tls_counter;
    if (strncmp(tls_name, "worker-", 7) != 0)
        return (void*)1;
    return (void*)(intptr_t)(w->index * 3);
}

static void* exits_early(void* argument)
{
    (void)argument;
    pthread_exit((void*)(intptr_t)42);
    return NULL;
}

static sem_t detached_done;
static int detached_value;

static void* detached(void* argument)
{
    detached_value = *(int*)argument * 2;
    sem_post(&detached_done);
    return NULL;
}

static void* trivial(void* argument) { return argument; }

int main(void)
{
    enum { count = 16 };
    pthread_t threads[count];
    struct work work[count];
    memset(work, 0, sizeof work);
    for (int i = 0; i < count; ++i) {
        work[i].index = i;
        if (pthread_create(&threads[i], NULL, worker, &work[i]) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    int distinct = 1;
    pid_t main_tid = (pid_t)syscall(SYS_gettid);
    for (int i = 0; i < count; ++i) {
        void* result;
        pthread_join(threads[i], &result);
        printf("thread %2d: sum %ld tls %d result %ld\n", i, work[i].sum, work[i].tls_seen, (long)(intptr_t)result);
        if (work[i].tid == main_tid || work[i].tid == getpid() || work[i].tid <= 0)
            distinct = 0;
        for (int j = 0; j < i; ++j)
            if (work[j].tid == work[i].tid)
                distinct = 0;
    }
    printf("main tid is the pid: %d\n", main_tid == getpid());
    printf("thread ids distinct: %d\n", distinct);
    printf("main tls untouched: %d\n", tls_counter);

    pthread_t early;
    void* value;
    pthread_create(&early, NULL, exits_early, NULL);
    pthread_join(early, &value);
    printf("pthread_exit value: %ld\n", (long)(intptr_t)value);

    sem_init(&detached_done, 0, 0);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    int argument = 21;
    pthread_t detached_thread;
    pthread_create(&detached_thread, &attributes, detached, &argument);
    sem_wait(&detached_done);
    printf("detached thread value: %d\n", detached_value);

    // Waves of short threads: thread records and stacks are reused.
    long total = 0;
    for (int wave = 0; wave < 10; ++wave) {
        pthread_t many[40];
        for (int i = 0; i < 40; ++i)
            if (pthread_create(&many[i], NULL, trivial, (void*)(intptr_t)(wave * 40 + i)) != 0)
                return 2;
        for (int i = 0; i < 40; ++i) {
            void* result;
            pthread_join(many[i], &result);
            total += (long)(intptr_t)result;
        }
    }
    printf("400 threads joined, total %ld\n", total);
    return 0;
}
