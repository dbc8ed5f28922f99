// Times in socket options and control messages, in both generations: this program is built with
// 64-bit time_t, so the C library picks SO_RCVTIMEO_NEW and recvmmsg_time64, and converts the old
// SO_TIMESTAMP control message, which the emulator rebuilds with a 32-bit timeval, into a new one.
// CFLAGS: -D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64
#define _GNU_SOURCE
#include "sys_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define OLD_SO_TIMESTAMP 29

static void receive_with_time(int fd, const char* what)
{
    char data[16] = {0};
    struct iovec vector = {data, sizeof data - 1};
    union {
        char buffer[128];
        struct cmsghdr align;
    } control;
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = sizeof control.buffer};
    ssize_t received = recvmsg(fd, &message, 0);
    printf("%s: recvmsg %ld \"%s\" controllen %u\n", what, (long)received, data, (unsigned)message.msg_controllen);
    time_t now = time(NULL);
    for (struct cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        int32_t words[4];
        memcpy(words, CMSG_DATA(header), sizeof words);
        // An old timeval or timespec is two 32-bit words; a new one two 64-bit words.
        int64_t seconds = header->cmsg_len - CMSG_LEN(0) == 8 ? words[0] : ((int64_t)words[1] << 32 | (uint32_t)words[0]);
        printf("  cmsg level %s type %d len %u recent %d\n", header->cmsg_level == SOL_SOCKET ? "SOL_SOCKET" : "other",
               header->cmsg_type, (unsigned)header->cmsg_len, seconds > now - 100 && seconds <= now + 1);
    }
}

int main(void)
{
    int a = CHECK(socket(AF_INET, SOCK_DGRAM, 0));
    int b = CHECK(socket(AF_INET, SOCK_DGRAM, 0));
    struct sockaddr_in address = {.sin_family = AF_INET};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(b, (struct sockaddr*)&address, sizeof address));
    socklen_t length = sizeof address;
    CHECK(getsockname(b, (struct sockaddr*)&address, &length));
    CHECK(connect(a, (struct sockaddr*)&address, sizeof address));

    int one = 1;
    CHECK(setsockopt(b, SOL_SOCKET, OLD_SO_TIMESTAMP, &one, sizeof one));
    CHECK(send(a, "old", 3, 0));
    receive_with_time(b, "SO_TIMESTAMP_OLD");
    CHECK(setsockopt(b, SOL_SOCKET, OLD_SO_TIMESTAMP, &(int){0}, sizeof one));
    // (qemu-mipsel 7.2 knows neither SO_TIMESTAMPNS_OLD nor SO_TIMESTAMP_NEW, which a 64-bit
    // time_t selects, nor the length of SO_RCVTIMEO_NEW: those are left out.)
    // A receive timeout through the C library's 64-bit timeval.
    struct timeval timeout = {0, 30000};
    CHECK(setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout));
    char buffer[16];
    CHECK(recv(b, buffer, sizeof buffer, 0));

    // recvmmsg with a 64-bit timeout.
    CHECK(send(a, "m1", 2, 0));
    CHECK(send(a, "m2", 2, 0));
    char buffers[2][8] = {{0}};
    struct iovec vectors[2] = {{buffers[0], 7}, {buffers[1], 7}};
    struct mmsghdr messages[2];
    memset(messages, 0, sizeof messages);
    for (int index = 0; index < 2; ++index) {
        messages[index].msg_hdr.msg_iov = &vectors[index];
        messages[index].msg_hdr.msg_iovlen = 1;
    }
    struct timespec wait = {1, 0};
    CHECK(recvmmsg(b, messages, 2, 0, &wait));
    printf("  \"%s\" \"%s\"\n", buffers[0], buffers[1]);
    CHECK(close(a));
    CHECK(close(b));
    return 0;
}
