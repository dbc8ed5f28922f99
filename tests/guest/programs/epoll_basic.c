// epoll on pipes and sockets: adding, changing and deleting descriptors, level and edge
// triggering, one-shot events, the 64-bit data word, timeouts, epoll_pwait with a signal mask that
// lets a blocked signal in, and the error cases.
#define _GNU_SOURCE
#include "sys_common.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_signal(int signal)
{
    (void)signal;
    handled = 1;
}

static void show(int count, const struct epoll_event* events)
{
    for (int index = 0; index < count; ++index)
        printf("  event data %#llx:%s%s%s%s%s\n", (unsigned long long)events[index].data.u64,
               events[index].events & EPOLLIN ? " EPOLLIN" : "", events[index].events & EPOLLOUT ? " EPOLLOUT" : "",
               events[index].events & EPOLLHUP ? " EPOLLHUP" : "", events[index].events & EPOLLERR ? " EPOLLERR" : "",
               events[index].events & EPOLLRDHUP ? " EPOLLRDHUP" : "");
}

int main(void)
{
    int epoll = CHECK(epoll_create1(EPOLL_CLOEXEC));
    printf("cloexec %d\n", (fcntl(epoll, F_GETFD) & FD_CLOEXEC) != 0);
    int old_style = CHECK(epoll_create(10));
    CHECK(close(old_style));
    CHECK(epoll_create(0));
    CHECK(epoll_create1(1));

    int ends[2];
    CHECK(pipe(ends));
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull};
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, ends[0], &event));
    event.events = EPOLLOUT;
    event.data.u64 = 0xAABBCCDD00000001ull;
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, ends[1], &event));
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, ends[1], &event));
    struct epoll_event events[8];
    memset(events, 0, sizeof events);
    int count = CHECK(epoll_wait(epoll, events, 8, 0));
    show(count, events);
    CHECK(write(ends[1], "x", 1));
    count = CHECK(epoll_wait(epoll, events, 8, 100));
    show(count, events);
    // Only one slot: one event per call.
    count = CHECK(epoll_wait(epoll, events, 1, 0));
    CHECK(epoll_ctl(epoll, EPOLL_CTL_DEL, ends[1], NULL));
    count = CHECK(epoll_wait(epoll, events, 8, 0));
    show(count, events);

    // Edge triggered: reported once until more data arrives.
    event.events = EPOLLIN | EPOLLET;
    event.data.u64 = 7;
    CHECK(epoll_ctl(epoll, EPOLL_CTL_MOD, ends[0], &event));
    count = CHECK(epoll_wait(epoll, events, 8, 0));
    show(count, events);
    CHECK(epoll_wait(epoll, events, 8, 0));
    CHECK(write(ends[1], "y", 1));
    CHECK(epoll_wait(epoll, events, 8, 0));
    // One-shot: disabled after the first report until modified again.
    event.events = EPOLLIN | EPOLLONESHOT;
    event.data.u64 = 8;
    CHECK(epoll_ctl(epoll, EPOLL_CTL_MOD, ends[0], &event));
    CHECK(epoll_wait(epoll, events, 8, 0));
    CHECK(epoll_wait(epoll, events, 8, 0));
    CHECK(epoll_ctl(epoll, EPOLL_CTL_MOD, ends[0], &event));
    CHECK(epoll_wait(epoll, events, 8, 0));
    char buffer[8];
    CHECK(read(ends[0], buffer, sizeof buffer));
    // The writer goes: the reader sees EPOLLHUP.
    event.events = EPOLLIN;
    event.data.u64 = 9;
    CHECK(epoll_ctl(epoll, EPOLL_CTL_MOD, ends[0], &event));
    CHECK(close(ends[1]));
    count = CHECK(epoll_wait(epoll, events, 8, 0));
    show(count, events);
    CHECK(close(ends[0]));

    // A socket pair: EPOLLRDHUP when the peer shuts down writing.
    int pair[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = pair[0];
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, pair[0], &event));
    CHECK(shutdown(pair[1], SHUT_WR));
    count = CHECK(epoll_wait(epoll, events, 8, 0));
    printf("  fd matches %d\n", count == 1 && events[0].data.fd == pair[0]);
    CHECK(epoll_ctl(epoll, EPOLL_CTL_DEL, pair[0], NULL));

    // Timeout with nothing ready.
    CHECK(pipe(ends));
    event.events = EPOLLIN;
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, ends[0], &event));
    CHECK(epoll_wait(epoll, events, 8, 20));

    // epoll_pwait: SIGUSR1 is blocked, the call's mask lets it in, the handler runs.
    struct sigaction action = {.sa_handler = on_signal};
    sigaction(SIGUSR1, &action, NULL);
    sigset_t blocked, during;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    raise(SIGUSR1);
    printf("  pending before: handled %d\n", handled);
    sigemptyset(&during);
    CHECK(epoll_pwait(epoll, events, 8, 1000, &during));
    printf("  handled %d\n", handled);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("  SIGUSR1 blocked again %d\n", sigismember(&now, SIGUSR1));
    CHECK(epoll_pwait(epoll, events, 8, 0, &blocked));

    // Errors.
    CHECK(epoll_wait(epoll, events, 0, 0));
    struct epoll_event* volatile unmapped = (struct epoll_event*)16;
    CHECK(epoll_wait(epoll, unmapped, 8, 0));
    CHECK(epoll_wait(ends[0], events, 8, 0));
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, ends[0], unmapped));
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, epoll, &event));
    CHECK(epoll_ctl(epoll, EPOLL_CTL_MOD, 99, &event));
    CHECK(epoll_ctl(epoll, 77, ends[0], &event));
    CHECK(epoll_ctl(ends[0], EPOLL_CTL_ADD, ends[1], &event));
    CHECK(syscall(SYS_epoll_pwait, epoll, events, 8, 0, &blocked, 4));
    return 0;
}
