#pragma once

// Sockets and event descriptors as an o32 process sees them: the structures of the socket,
// epoll and timerfd calls, laid out as a 32-bit Linux/MIPS kernel reads them, and the numbers
// MIPS assigns its own way (arch/mips/include/uapi/asm/socket.h, include/uapi/linux/socket.h).
//
// What is the same everywhere and passes through unchanged: address families (AF_UNIX 1,
// AF_INET 2, AF_INET6 10), struct sockaddr and its family-specific forms, MSG_* flags, SCM_RIGHTS
// and SCM_CREDENTIALS with struct ucred, struct linger, the IPPROTO_* levels and their options,
// shutdown's SHUT_* and the EPOLL* event bits and control operations.

#include "process/o32/layouts.h"

#include <cstddef>
#include <cstdint>

namespace isomorph::process::o32 {

// struct user_msghdr: pointers and lengths are words.
struct Msghdr {
    uint32_t name;
    uint32_t name_length;
    uint32_t iov;
    uint32_t iov_length;
    uint32_t control;
    uint32_t control_length;
    uint32_t flags;
};
static_assert(sizeof(Msghdr) == 28 && offsetof(Msghdr, control) == 16);

// struct mmsghdr (sendmmsg, recvmmsg).
struct Mmsghdr {
    Msghdr header;
    uint32_t length;
};
static_assert(sizeof(Mmsghdr) == 32);

// struct cmsghdr: a word-sized length, and data aligned to a word (CMSG_ALIGN uses sizeof(long)).
struct Cmsghdr {
    uint32_t length;
    int32_t level;
    int32_t type;
};
static_assert(sizeof(Cmsghdr) == 12);
constexpr uint32_t control_align(uint32_t length) { return (length + 3) & ~3u; }

// struct epoll_event: not packed on MIPS, so the 64-bit data sits at offset 8.
struct EpollEvent {
    uint32_t events;
    uint32_t pad;
    uint64_t data;
};
static_assert(sizeof(EpollEvent) == 16 && offsetof(EpollEvent, data) == 8);

// Socket types: MIPS swaps SOCK_STREAM and SOCK_DGRAM; SOCK_NONBLOCK is O_NONBLOCK (0x80).
namespace socket_type {
constexpr uint32_t datagram = 1;
constexpr uint32_t stream = 2;
constexpr uint32_t mask = 0xf;
constexpr uint32_t nonblock = 0x80;
constexpr uint32_t close_on_exec = 0x80000;
} // namespace socket_type

// The host's type word for a guest socket type with its flags, or -1 for flags Linux rejects.
int socket_type_to_host(uint32_t guest);
// A host socket type (SO_TYPE) as the guest numbers it.
uint32_t socket_type_to_guest(int host);
// SOCK_NONBLOCK and SOCK_CLOEXEC of accept4, or -1 for other bits.
int socket_flags_to_host(uint32_t guest);

// SOL_SOCKET is 0xffff on MIPS.
constexpr int32_t sol_socket = 0xffff;

// SOL_SOCKET option numbers MIPS assigns its own way (the others agree with the host).
namespace socket_option {
constexpr uint32_t debug = 0x0001;
constexpr uint32_t reuse_address = 0x0004;
constexpr uint32_t keep_alive = 0x0008;
constexpr uint32_t dont_route = 0x0010;
constexpr uint32_t broadcast = 0x0020;
constexpr uint32_t linger = 0x0080;
constexpr uint32_t out_of_band_inline = 0x0100;
constexpr uint32_t reuse_port = 0x0200;
constexpr uint32_t send_buffer = 0x1001;
constexpr uint32_t receive_buffer = 0x1002;
constexpr uint32_t send_low_water = 0x1003;
constexpr uint32_t receive_low_water = 0x1004;
constexpr uint32_t send_timeout_old = 0x1005;
constexpr uint32_t receive_timeout_old = 0x1006;
constexpr uint32_t error = 0x1007;
constexpr uint32_t type = 0x1008;
constexpr uint32_t accept_connections = 0x1009;
constexpr uint32_t protocol = 0x1028;
constexpr uint32_t domain = 0x1029;
constexpr uint32_t pass_credentials = 17;
constexpr uint32_t peer_credentials = 18;
constexpr uint32_t timestamp_old = 29;
constexpr uint32_t peer_security = 30;
constexpr uint32_t send_buffer_force = 31;
constexpr uint32_t timestamp_nanoseconds_old = 35;
constexpr uint32_t attach_filter = 26;
constexpr uint32_t attach_reuseport_cbpf = 51;
} // namespace socket_option

// The host's SOL_SOCKET option number for a guest one, or -1 where MIPS has no such option.
int socket_option_to_host(uint32_t guest);

// A socket-option level: SOL_SOCKET becomes the host's; level 1, which is SOL_SOCKET on the host
// but no socket level on MIPS, is -1; the protocol levels pass through.
int socket_level_to_host(int32_t guest);
int32_t socket_level_to_guest(int host);

} // namespace isomorph::process::o32
