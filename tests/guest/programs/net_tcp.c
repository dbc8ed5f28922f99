// TCP over 127.0.0.1: a forked child connects to the parent's listening socket on an ephemeral
// port found with getsockname, sends lines the parent echoes back, and both close in order.
#define _GNU_SOURCE
#include "sys_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int child(const struct sockaddr_in* server)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (const struct sockaddr*)server, sizeof *server) != 0)
        return 10;
    const char* lines[] = {"hello\n", "echo me\n", "bye\n"};
    char buffer[64];
    for (int index = 0; index < 3; ++index) {
        size_t length = strlen(lines[index]);
        if (send(fd, lines[index], length, 0) != (ssize_t)length)
            return 11;
        size_t got = 0;
        while (got < length) {
            ssize_t count = recv(fd, buffer + got, sizeof buffer - got, 0);
            if (count <= 0)
                return 12;
            got += (size_t)count;
        }
        if (memcmp(buffer, lines[index], length) != 0)
            return 13;
    }
    shutdown(fd, SHUT_WR);
    if (recv(fd, buffer, sizeof buffer, 0) != 0)
        return 14;
    close(fd);
    return 0;
}

int main(void)
{
    int listener = CHECK(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP));
    int one = 1;
    CHECK(setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(listener, (struct sockaddr*)&address, sizeof address));
    CHECK(listen(listener, 4));
    struct sockaddr_in bound;
    socklen_t length = sizeof bound;
    CHECK(getsockname(listener, (struct sockaddr*)&bound, &length));
    printf("bound: length %u family %d loopback %d port set %d\n", (unsigned)length, bound.sin_family,
           bound.sin_addr.s_addr == htonl(INADDR_LOOPBACK), bound.sin_port != 0);
    int value = 0;
    socklen_t value_length = sizeof value;
    CHECK(getsockopt(listener, SOL_SOCKET, SO_ACCEPTCONN, &value, &value_length));
    printf("SO_ACCEPTCONN %d\n", value);
    fflush(stdout);

    pid_t pid = fork();
    if (pid == 0)
        _exit(child(&bound));

    struct sockaddr_in peer;
    length = sizeof peer;
    int connection = CHECK(accept4(listener, (struct sockaddr*)&peer, &length, SOCK_CLOEXEC));
    printf("peer: length %u family %d loopback %d\n", (unsigned)length, peer.sin_family,
           peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    struct sockaddr_in name;
    length = sizeof name;
    CHECK(getpeername(connection, (struct sockaddr*)&name, &length));
    printf("getpeername matches accept: %d\n", name.sin_port == peer.sin_port);
    CHECK(setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
    value_length = sizeof value;
    CHECK(getsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &value, &value_length));
    printf("TCP_NODELAY %d\n", value != 0);

    char buffer[256];
    ssize_t total = 0;
    for (;;) {
        ssize_t count = recv(connection, buffer, sizeof buffer, 0);
        if (count <= 0) {
            report("final recv", count);
            break;
        }
        total += count;
        if (send(connection, buffer, (size_t)count, MSG_NOSIGNAL) != count)
            printf("short send\n");
    }
    printf("echoed %ld bytes\n", (long)total);
    CHECK(close(connection));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

    // A second connection with connect from this process, without a child: the backlog holds it.
    int client = CHECK(socket(AF_INET, SOCK_STREAM, 0));
    CHECK(connect(client, (struct sockaddr*)&bound, sizeof bound));
    connection = CHECK(accept(listener, NULL, NULL));
    CHECK(write(client, "ping", 4));
    CHECK(read(connection, buffer, sizeof buffer));
    CHECK(recv(connection, buffer, sizeof buffer, MSG_DONTWAIT));
    CHECK(close(client));
    CHECK(recv(connection, buffer, sizeof buffer, 0));
    CHECK(close(connection));
    CHECK(close(listener));
    return 0;
}
