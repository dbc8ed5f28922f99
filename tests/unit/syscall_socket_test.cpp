// Sockets, epoll and event descriptors through the dispatcher: the MIPS numbering, the o32
// layouts, and the Linux answers QEMU 7.2 gives differently (so the guest tests leave them out):
// EINVAL for unknown socket-type and descriptor flags and for a negative option length, SO_ERROR
// as a MIPS errno, and MSG_CTRUNC when SCM_RIGHTS descriptors do not fit.

#include "process/o32/socket.h"
#include "syscall_test_support.h"

#include <arpa/inet.h>
#include <cstring>
#include <gtest/gtest.h>
#include <string>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <cstdlib>
#include <ctime>
#include <unistd.h>
#include <vector>

namespace isomorph::process::testing {
namespace {

constexpr uint32_t sys_close = 4006, sys_connect = 4170, sys_getsockopt = 4173, sys_recvmsg = 4177,
                   sys_setsockopt = 4181, sys_socket = 4183, sys_epoll_ctl = 4249, sys_epoll_wait = 4250, sys_timerfd_create = 4321,
                   sys_eventfd2 = 4325, sys_epoll_create1 = 4326, sys_socketcall = 4102;
constexpr uint32_t mips_sock_stream = 2, mips_sock_dgram = 1, mips_sol_socket = 0xffff, mips_so_type = 0x1008,
                   mips_so_error = 0x1007, mips_so_reuseaddr = 4, mips_o_nonblock = 0x80;
constexpr int64_t mips_econnrefused = 146;

TEST(SyscallSocket, NumbersTranslate)
{
    using namespace o32;
    EXPECT_EQ(socket_type_to_host(mips_sock_stream), SOCK_STREAM);
    EXPECT_EQ(socket_type_to_host(mips_sock_dgram | mips_o_nonblock), SOCK_DGRAM | SOCK_NONBLOCK);
    EXPECT_EQ(socket_type_to_host(99), -1);
    EXPECT_EQ(socket_type_to_guest(SOCK_STREAM), mips_sock_stream);
    EXPECT_EQ(socket_option_to_host(mips_so_type), SO_TYPE);
    EXPECT_EQ(socket_option_to_host(0x0020), SO_BROADCAST);
    EXPECT_EQ(socket_option_to_host(17), SO_PASSCRED);
    EXPECT_EQ(socket_option_to_host(18), SO_PEERCRED);
    EXPECT_EQ(socket_option_to_host(30), SO_PEERSEC);
    EXPECT_EQ(socket_option_to_host(31), SO_SNDBUFFORCE);
    EXPECT_EQ(socket_option_to_host(33), SO_RCVBUFFORCE);
    EXPECT_EQ(socket_option_to_host(66), 66); // SO_RCVTIMEO_NEW
    EXPECT_EQ(socket_option_to_host(38), -1); // SO_PROTOCOL is 0x1028 on MIPS
    EXPECT_EQ(socket_option_to_host(2), -1);
    EXPECT_EQ(socket_level_to_host(0xffff), SOL_SOCKET);
    EXPECT_EQ(socket_level_to_host(1), -1);
    EXPECT_EQ(socket_level_to_host(IPPROTO_TCP), IPPROTO_TCP);
}

TEST(SyscallSocket, UnknownFlagsAreInvalid)
{
    GuestProcess guest;
    EXPECT_EQ(guest.call(sys_socket, {AF_INET, 99, 0}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_socket, {AF_INET, mips_sock_stream | 0x4000, 0}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_timerfd_create, {CLOCK_MONOTONIC, 0x4000}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_eventfd2, {0, 0x4000}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_epoll_create1, {1}), -mips_errno::einval);
    EXPECT_EQ(guest.call(4329, {0x4000}), -mips_errno::einval); // inotify_init1
}

TEST(SyscallSocket, OptionsUseMipsNumbersAndValues)
{
    GuestProcess guest;
    int64_t fd = guest.call(sys_socket, {AF_INET, mips_sock_stream, 0});
    ASSERT_GE(fd, 0);
    uint32_t memory = guest.allocate(4096);
    uint32_t value = memory, length = memory + 4;
    uint32_t four = 4;
    guest.process().memory().copy_to_guest(length, &four, 4);
    EXPECT_EQ(guest.call(sys_getsockopt, {uint32_t(fd), mips_sol_socket, mips_so_type, value, length}), 0);
    uint32_t type = 0;
    guest.process().memory().copy_from_guest(&type, value, 4);
    EXPECT_EQ(type, mips_sock_stream);
    EXPECT_EQ(guest.call(sys_setsockopt, {uint32_t(fd), mips_sol_socket, mips_so_reuseaddr, value, 0xFFFFFFFF}),
              -mips_errno::einval);
    // Level 1 is SOL_SOCKET on the host only.
    EXPECT_EQ(guest.call(sys_getsockopt, {uint32_t(fd), 1, 3, value, length}), -99); // ENOPROTOOPT on MIPS

    // A refused non-blocking connection: SO_ERROR holds the MIPS ECONNREFUSED.
    int probe = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t address_length = sizeof address;
    getsockname(probe, reinterpret_cast<sockaddr*>(&address), &address_length);
    close(probe);
    int64_t client = guest.call(sys_socket, {AF_INET, mips_sock_stream | mips_o_nonblock, 0});
    ASSERT_GE(client, 0);
    uint32_t guest_address = memory + 64;
    guest.process().memory().copy_to_guest(guest_address, &address, sizeof address);
    guest.call(sys_connect, {uint32_t(client), guest_address, sizeof address});
    pollfd descriptor{static_cast<int>(client), POLLOUT, 0};
    poll(&descriptor, 1, 2000);
    guest.process().memory().copy_to_guest(length, &four, 4);
    EXPECT_EQ(guest.call(sys_getsockopt, {uint32_t(client), mips_sol_socket, mips_so_error, value, length}), 0);
    int32_t error = 0;
    guest.process().memory().copy_from_guest(&error, value, 4);
    EXPECT_EQ(error, mips_econnrefused);
    guest.call(sys_close, {uint32_t(client)});
    guest.call(sys_close, {uint32_t(fd)});
}

TEST(SyscallSocket, SocketcallRoutesToTheCalls)
{
    GuestProcess guest;
    uint32_t arguments = guest.allocate(4096);
    uint32_t words[3] = {AF_UNIX, mips_sock_dgram, 0};
    guest.process().memory().copy_to_guest(arguments, words, sizeof words);
    int64_t fd = guest.call(sys_socketcall, {1, arguments});
    ASSERT_GE(fd, 0);
    int type = 0;
    socklen_t length = sizeof type;
    getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_TYPE, &type, &length);
    EXPECT_EQ(type, SOCK_DGRAM);
    close(static_cast<int>(fd));
    EXPECT_EQ(guest.call(sys_socketcall, {99, arguments}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_socketcall, {1, 16}), -mips_errno::efault);
}

TEST(SyscallSocket, DescriptorsThatDoNotFitAreClosedWithCtrunc)
{
    GuestProcess guest;
    int pair[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
    int sent[3];
    for (int& fd : sent)
        fd = dup(0);
    char byte = 'x';
    iovec vector{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof sent)] = {};
    msghdr message{};
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof sent);
    std::memcpy(CMSG_DATA(header), sent, sizeof sent);
    ASSERT_EQ(sendmsg(pair[0], &message, 0), 1);
    for (int fd : sent)
        close(fd);

    // The guest's buffer has room for one descriptor: 12 bytes of header and 4 of data.
    uint32_t memory = guest.allocate(4096);
    uint32_t data = memory, iov = memory + 16, guest_control = memory + 32, header_address = memory + 64;
    o32::Iovec guest_vector{data, 1};
    guest.process().memory().copy_to_guest(iov, &guest_vector, sizeof guest_vector);
    o32::Msghdr guest_message{0, 0, iov, 1, guest_control, 16, 0};
    guest.process().memory().copy_to_guest(header_address, &guest_message, sizeof guest_message);
    EXPECT_EQ(guest.call(sys_recvmsg, {uint32_t(pair[1]), header_address, 0}), 1);
    guest.process().memory().copy_from_guest(&guest_message, header_address, sizeof guest_message);
    EXPECT_EQ(guest_message.control_length, 16u);
    EXPECT_TRUE(guest_message.flags & MSG_CTRUNC);
    o32::Cmsghdr received;
    guest.process().memory().copy_from_guest(&received, guest_control, sizeof received);
    EXPECT_EQ(received.length, 16u);
    EXPECT_EQ(received.level, 0xffff);
    EXPECT_EQ(received.type, SCM_RIGHTS);
    int32_t fd = -1;
    guest.process().memory().copy_from_guest(&fd, guest_control + 12, 4);
    EXPECT_GE(fd, 0);
    close(fd);
    close(pair[0]);
    close(pair[1]);
}

TEST(SyscallSocket, OldTimestampsBecome32BitTimes)
{
    GuestProcess guest;
    int pair[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, pair), 0);
    uint32_t memory = guest.allocate(4096);
    uint32_t one = 1;
    guest.process().memory().copy_to_guest(memory, &one, 4);
    for (uint32_t option : {29u, 35u}) { // SO_TIMESTAMP_OLD, SO_TIMESTAMPNS_OLD
        EXPECT_EQ(guest.call(sys_setsockopt, {uint32_t(pair[1]), mips_sol_socket, option, memory, 4}), 0);
        ASSERT_EQ(send(pair[0], "t", 1, 0), 1);
        uint32_t data = memory + 16, iov = memory + 32, control = memory + 64, header_address = memory + 256;
        o32::Iovec vector{data, 1};
        guest.process().memory().copy_to_guest(iov, &vector, sizeof vector);
        o32::Msghdr message{0, 0, iov, 1, control, 64, 0};
        guest.process().memory().copy_to_guest(header_address, &message, sizeof message);
        EXPECT_EQ(guest.call(sys_recvmsg, {uint32_t(pair[1]), header_address, 0}), 1);
        guest.process().memory().copy_from_guest(&message, header_address, sizeof message);
        EXPECT_EQ(message.control_length, 20u) << option;
        o32::Cmsghdr header;
        guest.process().memory().copy_from_guest(&header, control, sizeof header);
        EXPECT_EQ(header.length, 20u);
        EXPECT_EQ(header.level, 0xffff);
        EXPECT_EQ(header.type, int32_t(option));
        o32::Timespec32 time;
        guest.process().memory().copy_from_guest(&time, control + 12, sizeof time);
        EXPECT_LE(std::abs(time.seconds - static_cast<int32_t>(::time(nullptr))), 5);
        EXPECT_LT(time.nanoseconds, option == 29 ? 1000000 : 1000000000);
        uint32_t zero = 0;
        guest.process().memory().copy_to_guest(memory, &zero, 4);
        guest.call(sys_setsockopt, {uint32_t(pair[1]), mips_sol_socket, option, memory, 4});
        guest.process().memory().copy_to_guest(memory, &one, 4);
    }
    close(pair[0]);
    close(pair[1]);
}

TEST(SyscallSocket, StraceDecodesMipsNumbers)
{
    GuestProcess guest({}, true);
    int64_t fd = guest.call(sys_socket, {AF_INET, mips_sock_stream | 0x80000, IPPROTO_TCP});
    ASSERT_GE(fd, 0);
    uint32_t memory = guest.allocate(4096);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(9);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    guest.process().memory().copy_to_guest(memory, &address, sizeof address);
    guest.call(4169, {uint32_t(fd), memory, sizeof address}); // bind
    guest.call(sys_getsockopt, {uint32_t(fd), mips_sol_socket, mips_so_type, memory, 0});
    guest.call(sys_close, {uint32_t(fd)});
    std::string trace = guest.trace();
    EXPECT_NE(trace.find("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 6) = "), std::string::npos) << trace;
    EXPECT_NE(trace.find("bind(" + std::to_string(fd) +
                         ", {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.1\")}, 16)"),
              std::string::npos)
        << trace;
    EXPECT_NE(trace.find("getsockopt(" + std::to_string(fd) + ", SOL_SOCKET, 4104,"), std::string::npos) << trace;
}

TEST(SyscallEpoll, EventsAreSixteenBytesWithDataAtOffsetEight)
{
    GuestProcess guest;
    int ends[2];
    ASSERT_EQ(pipe(ends), 0);
    ASSERT_EQ(write(ends[1], "x", 1), 1);
    int64_t epoll = guest.call(sys_epoll_create1, {0});
    ASSERT_GE(epoll, 0);
    uint32_t memory = guest.allocate(4096);
    o32::EpollEvent event{EPOLLIN, 0xdeadbeef, 0x1122334455667788ull};
    guest.process().memory().copy_to_guest(memory, &event, sizeof event);
    EXPECT_EQ(guest.call(sys_epoll_ctl, {uint32_t(epoll), EPOLL_CTL_ADD, uint32_t(ends[0]), memory}), 0);
    std::vector<uint8_t> filler(64, 0xAA);
    guest.process().memory().copy_to_guest(memory + 64, filler.data(), filler.size());
    EXPECT_EQ(guest.call(sys_epoll_wait, {uint32_t(epoll), memory + 64, 4, 0}), 1);
    o32::EpollEvent returned;
    guest.process().memory().copy_from_guest(&returned, memory + 64, sizeof returned);
    EXPECT_EQ(returned.events, uint32_t(EPOLLIN));
    EXPECT_EQ(returned.data, 0x1122334455667788ull);
    uint8_t after = 0;
    guest.process().memory().copy_from_guest(&after, memory + 64 + 16, 1);
    EXPECT_EQ(after, 0xAA); // one event written, nothing beyond it
    close(ends[0]);
    close(ends[1]);
    guest.call(sys_close, {uint32_t(epoll)});
}


// epoll_pwait2 (which qemu-mipsel 7.2 does not have): a 64-bit timespec, null for ever.
TEST(SyscallEpoll, Pwait2TakesA64BitTimeout)
{
    constexpr uint32_t sys_epoll_pwait2 = 4441;
    GuestProcess guest;
    int ends[2];
    ASSERT_EQ(pipe(ends), 0);
    int64_t epoll = guest.call(sys_epoll_create1, {0});
    ASSERT_GE(epoll, 0);
    uint32_t memory = guest.allocate(4096);
    o32::EpollEvent event{EPOLLIN, 0, 77};
    guest.process().memory().copy_to_guest(memory, &event, sizeof event);
    ASSERT_EQ(guest.call(sys_epoll_ctl, {uint32_t(epoll), EPOLL_CTL_ADD, uint32_t(ends[0]), memory}), 0);
    uint32_t timeout = memory + 64, events = memory + 128;
    o32::Timespec64 time{0, 5000000};
    guest.process().memory().copy_to_guest(timeout, &time, sizeof time);
    EXPECT_EQ(guest.call(sys_epoll_pwait2, {uint32_t(epoll), events, 4, timeout, 0, 0}), 0);
    time.nanoseconds = 1000000000;
    guest.process().memory().copy_to_guest(timeout, &time, sizeof time);
    EXPECT_EQ(guest.call(sys_epoll_pwait2, {uint32_t(epoll), events, 4, timeout, 0, 0}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_epoll_pwait2, {uint32_t(epoll), events, 4, 16, 0, 0}), -mips_errno::efault);
    ASSERT_EQ(write(ends[1], "x", 1), 1);
    EXPECT_EQ(guest.call(sys_epoll_pwait2, {uint32_t(epoll), events, 4, 0, 0, 0}), 1);
    o32::EpollEvent returned;
    guest.process().memory().copy_from_guest(&returned, events, sizeof returned);
    EXPECT_EQ(returned.data, 77u);
    close(ends[0]);
    close(ends[1]);
    guest.call(sys_close, {uint32_t(epoll)});
}


// struct group_req is 132 bytes on o32 (the address follows the interface word directly) and 136
// on the host: a guest join must do what the same join does on the host.
TEST(SyscallSocket, MulticastGroupRequestsAreRepacked)
{
    GuestProcess guest;
    int64_t fd = guest.call(sys_socket, {AF_INET, mips_sock_dgram, 0});
    ASSERT_GE(fd, 0);
    int host_fd = socket(AF_INET, SOCK_DGRAM, 0);
    uint32_t interface = if_nametoindex("lo");
    sockaddr_in group{};
    group.sin_family = AF_INET;
    group.sin_addr.s_addr = inet_addr("239.1.2.3");
    group_req host_request{};
    host_request.gr_interface = interface;
    std::memcpy(&host_request.gr_group, &group, sizeof group);
    int host_result = setsockopt(host_fd, IPPROTO_IP, MCAST_JOIN_GROUP, &host_request, sizeof host_request);
    int host_errno = host_result < 0 ? errno : 0;

    uint8_t guest_request[132] = {};
    std::memcpy(guest_request, &interface, 4);
    std::memcpy(guest_request + 4, &group, sizeof group);
    uint32_t memory = guest.allocate(4096);
    guest.process().memory().copy_to_guest(memory, guest_request, sizeof guest_request);
    int64_t result = guest.call(sys_setsockopt, {uint32_t(fd), IPPROTO_IP, MCAST_JOIN_GROUP, memory, 132});
    if (host_result == 0) {
        EXPECT_EQ(result, 0);
        // Joined: a second join is EADDRINUSE (125 on MIPS), a leave succeeds.
        EXPECT_EQ(guest.call(sys_setsockopt, {uint32_t(fd), IPPROTO_IP, MCAST_JOIN_GROUP, memory, 132}), -125);
        EXPECT_EQ(guest.call(sys_setsockopt, {uint32_t(fd), IPPROTO_IP, MCAST_LEAVE_GROUP, memory, 132}), 0);
    } else {
        EXPECT_LT(result, 0) << "host errno " << host_errno;
    }
    EXPECT_EQ(guest.call(sys_setsockopt, {uint32_t(fd), IPPROTO_IP, MCAST_JOIN_GROUP, memory, 100}),
              -mips_errno::einval);
    close(host_fd);
    guest.call(sys_close, {uint32_t(fd)});
}


// MSG_ERRQUEUE: the errno that starts struct sock_extended_err is a MIPS number.
TEST(SyscallSocket, ExtendedErrorsCarryMipsErrno)
{
    GuestProcess guest;
    int probe = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in closed{};
    closed.sin_family = AF_INET;
    closed.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&closed), sizeof closed), 0);
    socklen_t length = sizeof closed;
    getsockname(probe, reinterpret_cast<sockaddr*>(&closed), &length);
    close(probe);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int one = 1;
    ASSERT_EQ(setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one), 0);
    ASSERT_EQ(sendto(fd, "x", 1, 0, reinterpret_cast<sockaddr*>(&closed), sizeof closed), 1);
    pollfd descriptor{fd, POLLERR, 0};
    ASSERT_EQ(poll(&descriptor, 1, 2000), 1);

    uint32_t memory = guest.allocate(4096);
    uint32_t data = memory, iov = memory + 16, control = memory + 64, header_address = memory + 512;
    o32::Iovec vector{data, 8};
    guest.process().memory().copy_to_guest(iov, &vector, sizeof vector);
    o32::Msghdr message{0, 0, iov, 1, control, 256, 0};
    guest.process().memory().copy_to_guest(header_address, &message, sizeof message);
    EXPECT_GE(guest.call(sys_recvmsg, {uint32_t(fd), header_address, MSG_ERRQUEUE}), 0);
    o32::Cmsghdr header;
    guest.process().memory().copy_from_guest(&header, control, sizeof header);
    EXPECT_EQ(header.level, SOL_IP);
    EXPECT_EQ(header.type, IP_RECVERR);
    uint32_t error = 0;
    guest.process().memory().copy_from_guest(&error, control + 12, 4);
    EXPECT_EQ(error, uint32_t(mips_econnrefused));
    close(fd);
}

} // namespace
} // namespace isomorph::process::testing
