// Threads: a mutex-protected counter, atomic read-modify-write (LL/SC), a condition-variable
// queue between producers and consumers, a barrier and a read-write lock.
// CFLAGS: -pthread
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

enum { workers = 8, increments = 20000 };

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static long atomic_counter;

static void* count_up(void* argument)
{
    (void)argument;
    for (int i = 0; i < increments; ++i) {
        pthread_mutex_lock(&counter_lock);
        ++counter;
        pthread_mutex_unlock(&counter_lock);
        __atomic_fetch_add(&atomic_counter, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

// A bounded queue.
enum { capacity = 4, items_per_producer = 2000, producers = 3, consumers = 3 };
static int queue[capacity];
static int head, tail, size;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;

static void* produce(void* argument)
{
    int base = (int)(intptr_t)argument * items_per_producer;
    for (int i = 1; i <= items_per_producer; ++i) {
        pthread_mutex_lock(&queue_lock);
        while (size == capacity)
            pthread_cond_wait(&not_full, &queue_lock);
        queue[tail] = base + i;
        tail = (tail + 1) % capacity;
        ++size;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&queue_lock);
    }
    return NULL;
}

static void* consume(void* argument)
{
    long* sum = argument;
    for (;;) {
        pthread_mutex_lock(&queue_lock);
        while (size == 0)
            pthread_cond_wait(&not_empty, &queue_lock);
        int item = queue[head];
        head = (head + 1) % capacity;
        --size;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&queue_lock);
        if (item < 0)
            return NULL;
        *sum += item;
    }
}

static pthread_barrier_t barrier;
static int arrived_before[workers];
static int arrivals;

static void* meet(void* argument)
{
    int index = (int)(intptr_t)argument;
    __atomic_fetch_add(&arrivals, 1, __ATOMIC_SEQ_CST);
    int serial = pthread_barrier_wait(&barrier);
    arrived_before[index] = __atomic_load_n(&arrivals, __ATOMIC_SEQ_CST);
    return (void*)(intptr_t)(serial == PTHREAD_BARRIER_SERIAL_THREAD);
}

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static int table[64];

static void* read_or_write(void* argument)
{
    int index = (int)(intptr_t)argument;
    long seen = 0;
    for (int round = 0; round < 500; ++round) {
        if (index == 0) {
            pthread_rwlock_wrlock(&table_lock);
            for (int i = 0; i < 64; ++i)
                ++table[i];
            pthread_rwlock_unlock(&table_lock);
        } else {
            pthread_rwlock_rdlock(&table_lock);
            int first = table[0];
            for (int i = 1; i < 64; ++i)
                if (table[i] != first)
                    seen = -1000000; // a torn update
            pthread_rwlock_unlock(&table_lock);
            seen += seen >= 0;
        }
    }
    return (void*)(intptr_t)seen;
}

int main(void)
{
    pthread_t threads[workers];
    for (int i = 0; i < workers; ++i)
        pthread_create(&threads[i], NULL, count_up, NULL);
    for (int i = 0; i < workers; ++i)
        pthread_join(threads[i], NULL);
    printf("mutex counter %ld, atomic counter %ld (expected %d)\n", counter, atomic_counter, workers * increments);

    pthread_t producer_threads[producers], consumer_threads[consumers];
    long sums[consumers] = {0};
    for (int i = 0; i < consumers; ++i)
        pthread_create(&consumer_threads[i], NULL, consume, &sums[i]);
    for (int i = 0; i < producers; ++i)
        pthread_create(&producer_threads[i], NULL, produce, (void*)(intptr_t)i);
    for (int i = 0; i < producers; ++i)
        pthread_join(producer_threads[i], NULL);
    for (int i = 0; i < consumers; ++i) {
        pthread_mutex_lock(&queue_lock);
        while (size == capacity)
            pthread_cond_wait(&not_full, &queue_lock);
        queue[tail] = -1;
        tail = (tail + 1) % capacity;
        ++size;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&queue_lock);
    }
    long total = 0;
    for (int i = 0; i < consumers; ++i) {
        pthread_join(consumer_threads[i], NULL);
        total += sums[i];
    }
    long n = (long)producers * items_per_producer;
    printf("queue total %ld (expected %ld)\n", total, n * (n + 1) / 2);

    pthread_barrier_init(&barrier, NULL, workers);
    int serial_threads = 0, all_arrived = 1;
    for (int i = 0; i < workers; ++i)
        pthread_create(&threads[i], NULL, meet, (void*)(intptr_t)i);
    for (int i = 0; i < workers; ++i) {
        void* serial;
        pthread_join(threads[i], &serial);
        serial_threads += (int)(intptr_t)serial;
        all_arrived &= arrived_before[i] == workers;
    }
    printf("barrier: %d serial thread, every thread saw all arrivals: %d\n", serial_threads, all_arrived);

    for (int i = 0; i < 4; ++i)
        pthread_create(&threads[i], NULL, read_or_write, (void*)(intptr_t)i);
    long reads = 0;
    for (int i = 0; i < 4; ++i) {
        void* seen;
        pthread_join(threads[i], &seen);
        if (i > 0)
            reads += (long)(intptr_t)seen;
    }
    printf("rwlock: table[0] %d, consistent reads %ld\n", table[0], reads);
    return 0;
}
