// Clocks and sleeping, in both the 32-bit and the time64 generations of o32 calls. Only
// relations between readings are printed: the readings themselves differ from run to run.
#define _GNU_SOURCE
#include "sys_common.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

// The raw o32 calls that take 32-bit seconds (glibc uses the time64 ones when they exist).
struct old_timespec {
    long seconds;
    long nanoseconds;
};

static long long nanoseconds(const struct timespec* time)
{
    return (long long)time->tv_sec * 1000000000LL + time->tv_nsec;
}

int main(void)
{
    struct timespec first, second;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &first));
    CHECK(clock_gettime(CLOCK_MONOTONIC, &second));
    printf("monotonic does not go back: %d\n", nanoseconds(&second) >= nanoseconds(&first));
    CHECK(clock_gettime(CLOCK_REALTIME, &first));
    time_t now = time(NULL);
    // time() may read the coarse realtime clock, which lags the precise one by up to a tick: at a
    // second boundary it can still show the previous second.
    printf("realtime and time() agree: %d\n", now - first.tv_sec >= -1 && now - first.tv_sec <= 2);
    printf("after 2020: %d\n", now > 1577836800);
    time_t stored = 0;
    CHECK(time(&stored) >= now);
    printf("time stored: %d\n", stored >= now);
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL));
    printf("gettimeofday agrees: %d microseconds valid: %d\n", tv.tv_sec - now >= 0 && tv.tv_sec - now <= 2,
           tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    struct timezone zone;
    CHECK(gettimeofday(&tv, &zone));
    CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &first));
    CHECK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &first));
    CHECK(clock_gettime(CLOCK_BOOTTIME, &first));
    CHECK(clock_gettime(CLOCK_MONOTONIC_COARSE, &first));
    CHECK(clock_gettime(12345, &first));

    struct timespec resolution;
    CHECK(clock_getres(CLOCK_MONOTONIC, &resolution));
    printf("resolution at most 1 ms: %d\n", resolution.tv_sec == 0 && resolution.tv_nsec <= 1000000);
    CHECK(clock_getres(CLOCK_REALTIME, NULL));
    CHECK(clock_getres(12345, &resolution));

    // Sleeping: at least as long as asked.
    struct timespec request = {0, 20000000}, remaining;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &first));
    CHECK(nanosleep(&request, &remaining));
    CHECK(clock_gettime(CLOCK_MONOTONIC, &second));
    printf("nanosleep slept 20 ms: %d\n", nanoseconds(&second) - nanoseconds(&first) >= 20000000);
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &request, NULL));
    CHECK(clock_gettime(CLOCK_MONOTONIC, &first));
    struct timespec deadline = {first.tv_sec, first.tv_nsec + 10000000};
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000;
    }
    printf("clock_nanosleep absolute = %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL));
    CHECK(clock_gettime(CLOCK_MONOTONIC, &second));
    printf("woke after the deadline: %d\n", nanoseconds(&second) >= nanoseconds(&deadline));
    struct timespec invalid = {0, 1000000000};
    CHECK(nanosleep(&invalid, NULL));
    printf("clock_nanosleep invalid = %s\n", strerrorname_np(clock_nanosleep(CLOCK_MONOTONIC, 0, &invalid, NULL)));
    CHECK(usleep(1000));

    // The raw 32-bit calls.
    struct old_timespec old;
    CHECK(syscall(SYS_clock_gettime, CLOCK_REALTIME, &old));
    printf("old clock_gettime agrees: %d\n", old.seconds - now >= 0 && old.seconds - now <= 2);
    CHECK(syscall(SYS_clock_getres, CLOCK_MONOTONIC, &old));
    struct old_timespec short_sleep = {0, 1000000};
    CHECK(syscall(SYS_nanosleep, &short_sleep, NULL));
    CHECK(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &short_sleep, NULL));
    long raw_time = syscall(SYS_time, NULL);
    printf("raw time agrees: %d\n", raw_time - now >= 0 && raw_time - now <= 2);

    // Process times: some CPU time is spent by now, none by children.
    volatile double sink = 0;
    for (int index = 0; index < 3000000; ++index)
        sink += index * 0.5;
    struct tms process_times;
    clock_t ticks = times(&process_times);
    printf("times: children 0: %d\n", process_times.tms_cutime == 0 && process_times.tms_cstime == 0);
    printf("times returned: %d\n", ticks != (clock_t)-1);
    printf("CLK_TCK: %ld\n", sysconf(_SC_CLK_TCK));
    struct rusage usage;
    CHECK(getrusage(RUSAGE_SELF, &usage));
    printf("rusage: user time valid %d maxrss > 0 %d\n", usage.ru_utime.tv_usec < 1000000, usage.ru_maxrss > 0);
    CHECK(getrusage(RUSAGE_CHILDREN, &usage));
    printf("children: %ld.%06ld\n", (long)usage.ru_utime.tv_sec, (long)usage.ru_utime.tv_usec);
    CHECK(getrusage(99, &usage));
    return 0;
}
