// Sockets and epoll across threads: a server thread blocks in accept and echoes what clients in
// the main thread send; another thread blocks in epoll_wait until the main thread writes to an
// eventfd; a thread blocked in recv is woken by shutdown.
// CFLAGS: -pthread
#define _GNU_SOURCE
#include "sys_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

static int listener;

static void* serve(void* argument)
{
    long connections = (long)argument;
    long echoed = 0;
    for (long index = 0; index < connections; ++index) {
        int connection = accept(listener, NULL, NULL);
        if (connection < 0)
            return (void*)-1L;
        char buffer[64];
        ssize_t count;
        while ((count = recv(connection, buffer, sizeof buffer, 0)) > 0) {
            send(connection, buffer, (size_t)count, 0);
            echoed += count;
        }
        close(connection);
    }
    return (void*)echoed;
}

static int counter;

static void* wait_for_counter(void* argument)
{
    int epoll = *(int*)argument;
    struct epoll_event event;
    int ready = epoll_wait(epoll, &event, 1, 10000);
    uint64_t value = 0;
    if (ready == 1)
        read(counter, &value, sizeof value);
    return (void*)(long)(ready == 1 && event.data.u64 == 0x55 ? (long)value : -1L);
}

static void* receive_until_shutdown(void* argument)
{
    char byte;
    return (void*)(long)recv(*(int*)argument, &byte, 1, 0);
}

int main(void)
{
    listener = CHECK(socket(AF_INET, SOCK_STREAM, 0));
    struct sockaddr_in address = {.sin_family = AF_INET};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(listener, (struct sockaddr*)&address, sizeof address));
    socklen_t length = sizeof address;
    CHECK(getsockname(listener, (struct sockaddr*)&address, &length));
    CHECK(listen(listener, 2));
    pthread_t server;
    CHECK(pthread_create(&server, NULL, serve, (void*)2L));
    for (int client_index = 0; client_index < 2; ++client_index) {
        // The server's accept may take a descriptor first: numbers are not printed.
        int client = socket(AF_INET, SOCK_STREAM, 0);
        CHECK(client >= 0);
        CHECK(connect(client, (struct sockaddr*)&address, sizeof address));
        const char* text = client_index == 0 ? "first client" : "second";
        CHECK(send(client, text, strlen(text), 0));
        char buffer[32] = {0};
        size_t got = 0;
        while (got < strlen(text)) {
            ssize_t count = recv(client, buffer + got, sizeof buffer - 1 - got, 0);
            if (count <= 0)
                break;
            got += (size_t)count;
        }
        printf("  echoed \"%s\"\n", buffer);
        CHECK(close(client));
    }
    void* result;
    CHECK(pthread_join(server, &result));
    printf("server echoed %ld bytes\n", (long)result);

    counter = CHECK(eventfd(0, 0));
    int epoll = CHECK(epoll_create1(0));
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 0x55};
    CHECK(epoll_ctl(epoll, EPOLL_CTL_ADD, counter, &event));
    pthread_t waiter;
    CHECK(pthread_create(&waiter, NULL, wait_for_counter, &epoll));
    struct timespec pause = {0, 20000000};
    nanosleep(&pause, NULL);
    uint64_t value = 9;
    CHECK(write(counter, &value, sizeof value));
    CHECK(pthread_join(waiter, &result));
    printf("waiter read %ld\n", (long)result);

    int pair[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
    pthread_t receiver;
    CHECK(pthread_create(&receiver, NULL, receive_until_shutdown, &pair[0]));
    nanosleep(&pause, NULL);
    CHECK(shutdown(pair[1], SHUT_WR));
    CHECK(pthread_join(receiver, &result));
    printf("receiver got %ld\n", (long)result);
    return 0;
}
