// UNIX sockets: a socketpair passes a pipe's descriptor with SCM_RIGHTS and credentials with
// SCM_CREDENTIALS; control buffers too small for the message are truncated with MSG_CTRUNC; a
// named socket in the current directory accepts a connection; datagram pairs keep boundaries.
#define _GNU_SOURCE
#include "sys_common.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int send_descriptors(int socket_fd, const int* descriptors, int count)
{
    char data = 'F';
    struct iovec vector = {&data, 1};
    union {
        char buffer[CMSG_SPACE(4 * sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = CMSG_SPACE(count * sizeof(int))};
    struct cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(count * sizeof(int));
    memcpy(CMSG_DATA(header), descriptors, count * sizeof(int));
    return sendmsg(socket_fd, &message, 0);
}

static void receive_descriptors(int socket_fd, size_t control_size, int show_flags)
{
    char data = 0;
    struct iovec vector = {&data, 1};
    union {
        char buffer[256];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = control_size};
    ssize_t received = recvmsg(socket_fd, &message, MSG_CMSG_CLOEXEC);
    report("recvmsg", received);
    if (received < 0)
        return;
    printf("  data %c controllen %u flags%s\n", data, (unsigned)message.msg_controllen,
           show_flags && (message.msg_flags & MSG_CTRUNC) ? " MSG_CTRUNC" : "");
    for (struct cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        printf("  cmsg level %s type %d len %u\n", header->cmsg_level == SOL_SOCKET ? "SOL_SOCKET" : "other",
               header->cmsg_type, (unsigned)header->cmsg_len);
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
            int count = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int index = 0; index < count; ++index) {
                int fd;
                memcpy(&fd, CMSG_DATA(header) + index * sizeof(int), sizeof fd);
                char text[16] = {0};
                ssize_t length = read(fd, text, sizeof text - 1);
                printf("  descriptor %d: cloexec %d read \"%s\" (%ld)\n", index,
                       (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, length > 0 ? text : "", (long)length);
                close(fd);
            }
        }
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_CREDENTIALS) {
            struct ucred credentials;
            memcpy(&credentials, CMSG_DATA(header), sizeof credentials);
            printf("  credentials: pid %d uid %d gid %d\n", credentials.pid == getpid(),
                   credentials.uid == getuid(), credentials.gid == getgid());
        }
    }
}

static int pipe_with(const char* text)
{
    int ends[2];
    if (pipe(ends) != 0)
        return -1;
    write(ends[1], text, strlen(text));
    close(ends[1]);
    return ends[0];
}

int main(void)
{
    int pair[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
    int type = 0;
    socklen_t length = sizeof type;
    CHECK(getsockopt(pair[0], SOL_SOCKET, SO_TYPE, &type, &length));
    printf("SO_TYPE stream %d length %u\n", type == SOCK_STREAM, (unsigned)length);
    length = sizeof type;
    CHECK(getsockopt(pair[0], SOL_SOCKET, SO_DOMAIN, &type, &length));
    printf("SO_DOMAIN unix %d\n", type == AF_UNIX);

    // One descriptor, then two, then three into a buffer with room for one.
    int first = pipe_with("one");
    CHECK(send_descriptors(pair[0], &first, 1));
    close(first);
    receive_descriptors(pair[1], CMSG_SPACE(sizeof(int)), 1);
    int two[2] = {pipe_with("two-a"), pipe_with("two-b")};
    CHECK(send_descriptors(pair[0], two, 2));
    close(two[0]);
    close(two[1]);
    receive_descriptors(pair[1], CMSG_SPACE(2 * sizeof(int)), 1);
    int three[3] = {pipe_with("3a"), pipe_with("3b"), pipe_with("3c")};
    CHECK(send_descriptors(pair[0], three, 3));
    for (int index = 0; index < 3; ++index)
        close(three[index]);
    // (Linux adds MSG_CTRUNC here, qemu-mipsel 7.2 does not: tests/unit checks it.)
    receive_descriptors(pair[1], CMSG_SPACE(sizeof(int)), 0);
    // No control buffer at all: the descriptor is dropped.
    first = pipe_with("dropped");
    CHECK(send_descriptors(pair[0], &first, 1));
    close(first);
    receive_descriptors(pair[1], 0, 1);
    // Not a descriptor: EBADF.
    int bad = 999;
    CHECK(send_descriptors(pair[0], &bad, 1));

    // Credentials, with SO_PASSCRED on the receiving end.
    int one = 1;
    CHECK(setsockopt(pair[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one));
    length = sizeof type;
    CHECK(getsockopt(pair[1], SOL_SOCKET, SO_PASSCRED, &type, &length));
    printf("SO_PASSCRED %d\n", type);
    CHECK(send(pair[0], "c", 1, 0));
    receive_descriptors(pair[1], 64, 1);
    struct ucred peer;
    length = sizeof peer;
    CHECK(getsockopt(pair[0], SOL_SOCKET, SO_PEERCRED, &peer, &length));
    printf("SO_PEERCRED pid %d uid %d length %u\n", peer.pid == getpid(), peer.uid == getuid(), (unsigned)length);
    CHECK(close(pair[0]));
    CHECK(close(pair[1]));

    // A named socket in the current directory, and a forked client.
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strcpy(address.sun_path, "net_unix.socket");
    unlink(address.sun_path);
    int listener = CHECK(socket(AF_UNIX, SOCK_STREAM, 0));
    CHECK(bind(listener, (struct sockaddr*)&address, sizeof address));
    CHECK(listen(listener, 1));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int client = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(client, (struct sockaddr*)&address, sizeof address) != 0)
            _exit(1);
        write(client, "from child", 10);
        _exit(0);
    }
    struct sockaddr_un peer_address;
    length = sizeof peer_address;
    int connection = CHECK(accept(listener, (struct sockaddr*)&peer_address, &length));
    printf("unnamed peer: length %u family %d\n", (unsigned)length, peer_address.sun_family);
    char buffer[32] = {0};
    CHECK(read(connection, buffer, sizeof buffer - 1));
    printf("  \"%s\"\n", buffer);
    struct sockaddr_un name;
    length = sizeof name;
    CHECK(getsockname(listener, (struct sockaddr*)&name, &length));
    printf("name %s\n", name.sun_path);
    int status;
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    CHECK(close(connection));
    CHECK(close(listener));
    CHECK(unlink(address.sun_path));

    // Datagram pairs keep message boundaries; MSG_TRUNC reports the full length.
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pair));
    CHECK(send(pair[0], "first", 5, 0));
    CHECK(send(pair[0], "second message", 14, 0));
    CHECK(recv(pair[1], buffer, 3, 0));
    CHECK(recv(pair[1], buffer, 3, MSG_TRUNC));
    CHECK(recv(pair[1], buffer, sizeof buffer, 0));
    length = sizeof type;
    CHECK(getsockopt(pair[0], SOL_SOCKET, SO_TYPE, &type, &length));
    printf("SO_TYPE dgram %d\n", type == SOCK_DGRAM);
    printf("nonblocking %d\n", (fcntl(pair[1], F_GETFL) & O_NONBLOCK) != 0);
    return 0;
}
