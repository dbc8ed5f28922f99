// eventfd and timerfd: counters, semaphore mode, non-blocking reads, flags, timers that expire
// once and periodically, absolute times, and both under epoll.
#define _GNU_SOURCE
#include "sys_common.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int counter = CHECK(eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC));
    printf("nonblock %d cloexec %d\n", (fcntl(counter, F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(counter, F_GETFD) & FD_CLOEXEC) != 0);
    uint64_t value = 0;
    CHECK(read(counter, &value, sizeof value));
    printf("  value %llu\n", (unsigned long long)value);
    CHECK(read(counter, &value, sizeof value));
    value = 0x100000005ull;
    CHECK(write(counter, &value, sizeof value));
    CHECK(read(counter, &value, sizeof value));
    printf("  value %#llx\n", (unsigned long long)value);
    CHECK(read(counter, &value, 4));
    value = UINT64_MAX;
    CHECK(write(counter, &value, sizeof value));
    CHECK(close(counter));

    int semaphore = CHECK(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
    CHECK(read(semaphore, &value, sizeof value));
    printf("  value %llu\n", (unsigned long long)value);
    CHECK(read(semaphore, &value, sizeof value));
    CHECK(read(semaphore, &value, sizeof value));
    CHECK(close(semaphore));
    CHECK(syscall(SYS_eventfd, 1));

    // Under epoll.
    int epoll = CHECK(epoll_create1(0));
    counter = CHECK(eventfd(0, EFD_NONBLOCK));
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 42};
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, counter, &event));
    CHECK(epoll_wait(epoll, &event, 1, 0));
    value = 1;
    CHECK(write(counter, &value, sizeof value));
    CHECK(epoll_wait(epoll, &event, 1, 0));
    printf("  data %llu\n", (unsigned long long)event.data.u64);
    // Drained, so that the timer below is the only thing epoll can report.
    CHECK(read(counter, &value, sizeof value));

    // A one-shot timer, then a periodic one.
    int timer = CHECK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    printf("nonblock %d cloexec %d\n", (fcntl(timer, F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(timer, F_GETFD) & FD_CLOEXEC) != 0);
    CHECK(read(timer, &value, sizeof value));
    struct itimerspec setting = {.it_value = {0, 20000000}}, old;
    CHECK(timerfd_settime(timer, 0, &setting, &old));
    printf("  old %ld.%09ld\n", (long)old.it_value.tv_sec, old.it_value.tv_nsec);
    struct itimerspec current;
    CHECK(timerfd_gettime(timer, &current));
    // At most the time set is left (none if the emulator was slow enough to let it expire).
    printf("  left at most 20 ms %d interval %ld\n", current.it_value.tv_sec == 0 && current.it_value.tv_nsec <= 20000000,
           current.it_interval.tv_nsec);
    event.events = EPOLLIN;
    event.data.u64 = 43;
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, timer, &event));
    CHECK(epoll_wait(epoll, &event, 1, 2000));
    CHECK(read(timer, &value, sizeof value));
    printf("  expirations %llu\n", (unsigned long long)value);
    CHECK(timerfd_gettime(timer, &current));
    printf("  disarmed %d\n", current.it_value.tv_sec == 0 && current.it_value.tv_nsec == 0);

    setting.it_value.tv_nsec = 5000000;
    setting.it_interval.tv_nsec = 5000000;
    CHECK(timerfd_settime(timer, 0, &setting, NULL));
    struct timespec pause = {0, 30000000};
    nanosleep(&pause, NULL);
    CHECK(read(timer, &value, sizeof value) == 8);
    printf("  several expirations %d\n", value >= 2);
    CHECK(timerfd_settime(timer, 0, &(struct itimerspec){0}, &old));
    printf("  old interval %ld\n", old.it_interval.tv_nsec);

    // An absolute time in the past expires at once.
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    setting = (struct itimerspec){.it_value = {now.tv_sec - 1, 0}};
    CHECK(timerfd_settime(timer, TFD_TIMER_ABSTIME, &setting, NULL));
    CHECK(read(timer, &value, sizeof value));
    printf("  expirations %llu\n", (unsigned long long)value);

    // Errors.
    setting.it_value.tv_nsec = 2000000000;
    CHECK(timerfd_settime(timer, 0, &setting, NULL));
    // The C library converts 64-bit times itself, so bad pointers go to the calls directly.
    CHECK(syscall(SYS_timerfd_settime, timer, 0, 16, NULL));
    CHECK(syscall(SYS_timerfd_gettime, timer, 16));
    CHECK(syscall(SYS_timerfd_settime64, timer, 0, 16, NULL));
    CHECK(syscall(SYS_timerfd_gettime64, timer, 16));
    CHECK(timerfd_gettime(counter, &current));
    CHECK(timerfd_create(12345, 0));
    // (Unknown flags are EINVAL on Linux, not under qemu-mipsel 7.2: tests/unit checks them.)
    return 0;
}
