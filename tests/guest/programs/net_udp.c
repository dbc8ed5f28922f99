// UDP over 127.0.0.1: sendto and recvfrom with addresses, connected datagram sockets,
// sendmsg/recvmsg with several buffers, sendmmsg/recvmmsg, and a receive timeout.
#define _GNU_SOURCE
#include "sys_common.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static struct sockaddr_in bound_address(int fd)
{
    struct sockaddr_in address = {.sin_family = AF_INET};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr*)&address, sizeof address);
    socklen_t length = sizeof address;
    getsockname(fd, (struct sockaddr*)&address, &length);
    return address;
}

int main(void)
{
    int a = CHECK(socket(AF_INET, SOCK_DGRAM, 0));
    int b = CHECK(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
    struct sockaddr_in address_a = bound_address(a);
    struct sockaddr_in address_b = bound_address(b);

    CHECK(sendto(a, "datagram", 8, 0, (struct sockaddr*)&address_b, sizeof address_b));
    char buffer[64] = {0};
    struct sockaddr_in from;
    socklen_t length = sizeof from;
    CHECK(recvfrom(b, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &length));
    printf("  \"%s\" from a: %d length %u\n", buffer, from.sin_port == address_a.sin_port, (unsigned)length);
    // A short address buffer gets the beginning of the address and the full length.
    CHECK(sendto(a, "x", 1, 0, (struct sockaddr*)&address_b, sizeof address_b));
    length = 4;
    memset(&from, 0, sizeof from);
    CHECK(recvfrom(b, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &length));
    printf("  length %u family %d port zero %d\n", (unsigned)length, from.sin_family, from.sin_port == 0);

    // Connected: send and recv without addresses.
    CHECK(connect(a, (struct sockaddr*)&address_b, sizeof address_b));
    CHECK(send(a, "connected", 9, 0));
    CHECK(recv(b, buffer, sizeof buffer, 0));

    // sendmsg with three buffers, recvmsg into two.
    struct iovec out[3] = {{"abc", 3}, {"defg", 4}, {"hi", 2}};
    struct msghdr message = {.msg_name = &address_b, .msg_namelen = sizeof address_b, .msg_iov = out, .msg_iovlen = 3};
    CHECK(sendmsg(a, &message, 0));
    char first[4] = {0}, second[16] = {0};
    struct iovec in[2] = {{first, 3}, {second, sizeof second - 1}};
    struct msghdr incoming = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = in, .msg_iovlen = 2};
    CHECK(recvmsg(b, &incoming, 0));
    printf("  \"%s\" \"%s\" namelen %u flags %d\n", first, second, (unsigned)incoming.msg_namelen, incoming.msg_flags);
    CHECK(sendmsg(a, &message, 0));
    incoming.msg_iovlen = 1;
    CHECK(recvmsg(b, &incoming, 0));
    printf("  truncated: %d\n", (incoming.msg_flags & MSG_TRUNC) != 0);

    // sendmmsg and recvmmsg.
    struct iovec vectors[3] = {{"one", 3}, {"two!", 4}, {"three", 5}};
    struct mmsghdr messages[3];
    memset(messages, 0, sizeof messages);
    for (int index = 0; index < 3; ++index) {
        messages[index].msg_hdr.msg_iov = &vectors[index];
        messages[index].msg_hdr.msg_iovlen = 1;
    }
    CHECK(sendmmsg(a, messages, 3, 0));
    printf("  sent lengths %u %u %u\n", messages[0].msg_len, messages[1].msg_len, messages[2].msg_len);
    char receive_buffers[4][16];
    struct iovec receive_vectors[4];
    struct mmsghdr received[4];
    memset(received, 0, sizeof received);
    memset(receive_buffers, 0, sizeof receive_buffers);
    for (int index = 0; index < 4; ++index) {
        receive_vectors[index] = (struct iovec){receive_buffers[index], 15};
        received[index].msg_hdr.msg_iov = &receive_vectors[index];
        received[index].msg_hdr.msg_iovlen = 1;
    }
    // Without MSG_WAITFORONE the call waits for each of the three, however loopback delivers them.
    CHECK(recvmmsg(b, received, 3, 0, NULL));
    for (int index = 0; index < 3; ++index)
        printf("  received %u \"%s\"\n", received[index].msg_len, receive_buffers[index]);

    // A receive timeout with the old 32-bit timeval.
    struct timeval timeout = {0, 20000};
    CHECK(setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout));
    struct timeval read_back = {0, 0};
    length = sizeof read_back;
    CHECK(getsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &read_back, &length));
    printf("  SO_RCVTIMEO %ld.%06ld length %u\n", (long)read_back.tv_sec, (long)read_back.tv_usec, (unsigned)length);
    CHECK(recv(b, buffer, sizeof buffer, 0));
    CHECK(recv(b, buffer, sizeof buffer, MSG_DONTWAIT));

    // Broadcast and buffer sizes through SOL_SOCKET.
    int value = 1;
    CHECK(setsockopt(a, SOL_SOCKET, SO_BROADCAST, &value, sizeof value));
    length = sizeof value;
    value = 0;
    CHECK(getsockopt(a, SOL_SOCKET, SO_BROADCAST, &value, &length));
    printf("  SO_BROADCAST %d\n", value);
    value = 65536;
    CHECK(setsockopt(a, SOL_SOCKET, SO_RCVBUF, &value, sizeof value));
    length = sizeof value;
    CHECK(getsockopt(a, SOL_SOCKET, SO_RCVBUF, &value, &length));
    printf("  SO_RCVBUF doubled %d\n", value == 131072);

    // A socket filter that drops everything, then one that keeps everything (qemu-mipsel 7.2
    // has no SO_DETACH_FILTER).
    struct sock_filter drop[] = {{BPF_RET | BPF_K, 0, 0, 0}};
    struct sock_fprog program = {1, drop};
    CHECK(setsockopt(b, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program));
    CHECK(send(a, "dropped", 7, 0));
    CHECK(recv(b, buffer, sizeof buffer, MSG_DONTWAIT));
    struct sock_filter keep[] = {{BPF_RET | BPF_K, 0, 0, 0xffffffff}};
    program.filter = keep;
    CHECK(setsockopt(b, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program));
    CHECK(send(a, "kept", 4, 0));
    CHECK(recv(b, buffer, sizeof buffer, 0));
    struct sock_filter* volatile unmapped = (struct sock_filter*)16;
    program.filter = unmapped;
    CHECK(setsockopt(b, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program));
    CHECK(close(a));
    CHECK(close(b));
    return 0;
}
