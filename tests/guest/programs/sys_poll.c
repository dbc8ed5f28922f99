// Waiting on descriptors: poll, ppoll, select and pselect on pipes, with timeouts and masks.
#define _GNU_SOURCE
#include "sys_common.h"

#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void show(const char* what, const struct pollfd* descriptor)
{
    printf("  %s revents:%s%s%s%s%s%s\n", what, descriptor->revents & POLLIN ? " POLLIN" : "",
           descriptor->revents & POLLOUT ? " POLLOUT" : "", descriptor->revents & POLLHUP ? " POLLHUP" : "",
           descriptor->revents & POLLERR ? " POLLERR" : "", descriptor->revents & POLLNVAL ? " POLLNVAL" : "",
           descriptor->revents & POLLWRNORM ? " POLLWRNORM" : "");
}

int main(void)
{
    int ends[2];
    CHECK(pipe(ends));
    struct pollfd descriptors[3] = {{ends[0], POLLIN, 0}, {ends[1], POLLOUT | POLLWRNORM, 0}, {99, POLLIN, 0}};
    CHECK(poll(descriptors, 1, 0));
    show("empty pipe", &descriptors[0]);
    CHECK(poll(descriptors, 3, 0));
    show("read end", &descriptors[0]);
    show("write end", &descriptors[1]);
    show("bad descriptor", &descriptors[2]);
    CHECK(write(ends[1], "data", 4));
    CHECK(poll(descriptors, 2, 1000));
    show("read end with data", &descriptors[0]);

    struct timespec timeout = {0, 10000000};
    CHECK(ppoll(descriptors, 2, &timeout, NULL));
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    CHECK(ppoll(descriptors, 1, &timeout, &mask));
    char buffer[8];
    CHECK(read(ends[0], buffer, sizeof buffer));
    timeout.tv_nsec = 20000000;
    CHECK(ppoll(descriptors, 1, &timeout, NULL));
    printf("  timeout used up: %d\n", timeout.tv_sec == 0 && timeout.tv_nsec == 0);
    CHECK(poll(descriptors, 1, 15));
    struct timespec bad = {0, -1};
    CHECK(ppoll(descriptors, 1, &bad, NULL));
    struct pollfd* volatile unmapped = (struct pollfd*)16;
    CHECK(poll(unmapped, 1, 0));

    // select and pselect.
    fd_set readable, writable;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_SET(ends[0], &readable);
    FD_SET(ends[1], &writable);
    struct timeval wait = {0, 0};
    CHECK(select(ends[1] + 1, &readable, &writable, NULL, &wait));
    printf("  readable %d writable %d\n", FD_ISSET(ends[0], &readable), FD_ISSET(ends[1], &writable));
    CHECK(write(ends[1], "more", 4));
    FD_SET(ends[0], &readable);
    wait.tv_sec = 1;
    CHECK(select(ends[0] + 1, &readable, NULL, NULL, &wait));
    printf("  readable %d time left: %d\n", FD_ISSET(ends[0], &readable), wait.tv_sec <= 1);
    CHECK(read(ends[0], buffer, sizeof buffer));
    FD_SET(ends[0], &readable);
    wait.tv_sec = 0;
    wait.tv_usec = 10000;
    CHECK(select(ends[0] + 1, &readable, NULL, NULL, &wait));
    printf("  readable %d\n", FD_ISSET(ends[0], &readable));
    FD_ZERO(&readable);
    FD_SET(60, &readable);
    CHECK(select(61, &readable, NULL, NULL, &wait));
    CHECK(select(-1, NULL, NULL, NULL, &wait));
    // select with no descriptors sleeps.
    wait.tv_usec = 5000;
    CHECK(select(0, NULL, NULL, NULL, &wait));

    FD_ZERO(&writable);
    FD_SET(ends[1], &writable);
    struct timespec ptimeout = {0, 5000000};
    CHECK(pselect(ends[1] + 1, NULL, &writable, NULL, &ptimeout, &mask));
    printf("  writable %d\n", FD_ISSET(ends[1], &writable));
    FD_ZERO(&readable);
    FD_SET(ends[0], &readable);
    CHECK(pselect(ends[0] + 1, &readable, NULL, NULL, &ptimeout, NULL));

    // A closed writer shows as a hang-up on the read end.
    CHECK(close(ends[1]));
    descriptors[0].events = POLLIN;
    CHECK(poll(descriptors, 1, 0));
    show("after the writer closed", &descriptors[0]);
    CHECK(close(ends[0]));
    return 0;
}
