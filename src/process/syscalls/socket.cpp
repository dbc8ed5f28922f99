// Sockets: creating, naming and connecting them, moving data, their options, and the multiplexed
// socketcall. Guest sockets are host sockets. Addresses have one layout everywhere; what MIPS
// numbers its own way is translated (process/o32/socket.h): SOCK_STREAM is 2 and SOCK_DGRAM 1,
// SOCK_NONBLOCK is 0x80, SOL_SOCKET is 0xffff and most SO_* options have other numbers. Socket
// options whose values hold a type, an errno or an old 32-bit timeval are converted too, as are
// the o32 structures of SO_ATTACH_FILTER and the MCAST_* group options.
// sendmsg and recvmsg, with their control messages, are in socket_messages.cpp.

#include "process/o32/errno.h"
#include "process/o32/socket.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/socket_support.h"

#include <climits>
#include <cstring>
#include <linux/filter.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <vector>

namespace isomorph::process::syscalls {

// Linux caps one transfer at MAX_RW_COUNT, INT_MAX rounded down to a page.
constexpr uint32_t max_socket_transfer = INT_MAX & ~(memory::AddressSpace::page_size - 1);

SyscallResult read_socket_address(Process& process, uint32_t address, uint32_t length, sockaddr_storage& host,
                                  socklen_t& host_length)
{
    std::memset(&host, 0, sizeof host);
    if (length > sizeof host)
        return -EINVAL;
    host_length = length;
    if (length != 0 && !process.memory().copy_from_guest(&host, address, length))
        return -EFAULT;
    return 0;
}

SyscallResult write_socket_address(Process& process, uint32_t address, uint32_t length_address,
                                   const sockaddr_storage& host, socklen_t host_length)
{
    int32_t length;
    if (!read_guest(process, length_address, length))
        return -EFAULT;
    if (length < 0)
        return -EINVAL;
    uint32_t copied = std::min<uint32_t>(static_cast<uint32_t>(length), host_length);
    if (copied != 0 && !process.memory().copy_to_guest(address, &host, copied))
        return -EFAULT;
    uint32_t full = host_length;
    return write_guest(process, length_address, full) ? 0 : -EFAULT;
}

SyscallResult guest_buffer(Process& process, uint32_t address, uint32_t count, uint8_t protection, void*& host)
{
    count = std::min(count, max_socket_transfer);
    uint32_t usable = accessible_length(process, address, count, protection);
    if (usable == 0 && count != 0)
        return -EFAULT;
    host = process.memory().host_address(address);
    return usable;
}

namespace {

// The length word of an address the call fills: EFAULT if unreadable, EINVAL if negative.
SyscallResult check_address_length(Process& process, uint32_t length_address)
{
    int32_t length;
    if (!read_guest(process, length_address, length))
        return -EFAULT;
    return length < 0 ? -EINVAL : 0;
}

// accept, accept4, getsockname and getpeername: a call that fills a socket address.
template <class Call>
SyscallResult with_address_out(Process& process, uint32_t address, uint32_t length_address, Call&& call)
{
    if (address != 0)
        if (SyscallResult error = check_address_length(process, length_address))
            return error;
    sockaddr_storage host;
    std::memset(&host, 0, sizeof host);
    socklen_t host_length = sizeof host;
    SyscallResult result = call(address != 0 ? reinterpret_cast<sockaddr*>(&host) : nullptr,
                                address != 0 ? &host_length : nullptr);
    if (result < 0 || address == 0)
        return result;
    if (SyscallResult error = write_socket_address(process, address, length_address, host, host_length)) {
        // The kernel closes the new socket when it cannot report its peer (accept).
        return error;
    }
    return result;
}

SyscallResult accept_common(Process& process, const SyscallArguments& a, uint32_t flags)
{
    int host_flags = o32::socket_flags_to_host(flags);
    if (host_flags < 0)
        return -EINVAL;
    int fd = descriptor(a[0]);
    int accepted = -1;
    SyscallResult result = with_address_out(process, a[1], a[2], [&](sockaddr* address, socklen_t* length) {
        accepted = accept4(fd, address, length, host_flags);
        return host_result(accepted);
    });
    if (result < 0 && accepted >= 0)
        close(accepted);
    return result;
}

SyscallResult send_to(Process& process, int fd, uint32_t buffer, uint32_t count, uint32_t flags, uint32_t address,
                      uint32_t address_length)
{
    sockaddr_storage host_address;
    socklen_t host_length = 0;
    if (address != 0)
        if (SyscallResult error = read_socket_address(process, address, address_length, host_address, host_length))
            return error;
    void* host = nullptr;
    SyscallResult usable = guest_buffer(process, buffer, count, memory::ProtectionRead, host);
    if (usable < 0)
        return usable;
    return host_result(sendto(fd, host, static_cast<size_t>(usable), static_cast<int>(flags),
                              address != 0 ? reinterpret_cast<sockaddr*>(&host_address) : nullptr, host_length));
}

SyscallResult receive_from(Process& process, int fd, uint32_t buffer, uint32_t count, uint32_t flags,
                           uint32_t address, uint32_t length_address)
{
    void* host = nullptr;
    SyscallResult usable = guest_buffer(process, buffer, count, memory::ProtectionWrite, host);
    if (usable < 0)
        return usable;
    return with_address_out(process, address, length_address, [&](sockaddr* from, socklen_t* length) {
        return host_result(recvfrom(fd, host, static_cast<size_t>(usable), static_cast<int>(flags), from, length));
    });
}

// The value of a SOL_SOCKET option the guest sees differently from the host: a socket type, an
// errno value, or an old timeval of two 32-bit words. Returns false for the other options.
bool translated_option_value(int option, const uint8_t* host, std::vector<uint8_t>& guest)
{
    int32_t word;
    switch (option) {
    case SO_TYPE:
        std::memcpy(&word, host, sizeof word);
        word = static_cast<int32_t>(o32::socket_type_to_guest(word));
        break;
    case SO_ERROR:
        std::memcpy(&word, host, sizeof word);
        word = word != 0 ? o32::guest_errno(word) : 0;
        break;
    case SO_RCVTIMEO_OLD:
    case SO_SNDTIMEO_OLD: {
        timeval value;
        std::memcpy(&value, host, sizeof value);
        o32::Timeval32 old{static_cast<int32_t>(value.tv_sec), static_cast<int32_t>(value.tv_usec)};
        guest.assign(reinterpret_cast<const uint8_t*>(&old), reinterpret_cast<const uint8_t*>(&old) + sizeof old);
        return true;
    }
    default: return false;
    }
    guest.assign(reinterpret_cast<const uint8_t*>(&word), reinterpret_cast<const uint8_t*>(&word) + sizeof word);
    return true;
}

// The level and option numbers of a socket option on the host, or a negated errno.
SyscallResult host_option(uint32_t guest_level, uint32_t guest_option, int& level, int& option)
{
    level = o32::socket_level_to_host(static_cast<int32_t>(guest_level));
    if (level < 0)
        return -ENOPROTOOPT;
    option = static_cast<int>(guest_option);
    if (level == SOL_SOCKET) {
        option = o32::socket_option_to_host(guest_option);
        if (option < 0)
            return -ENOPROTOOPT;
    }
    return 0;
}

// SO_ATTACH_FILTER and SO_ATTACH_REUSEPORT_CBPF take a struct sock_fprog: a 16-bit count and a
// pointer, which is a word in o32. The instructions themselves have one layout.
SyscallResult attach_filter(Process& process, int fd, int option, uint32_t address, uint32_t length)
{
    struct {
        uint16_t count;
        uint16_t pad;
        uint32_t filter;
    } guest;
    if (length < sizeof guest)
        return -EINVAL;
    if (!read_guest(process, address, guest))
        return -EFAULT;
    std::vector<sock_filter> instructions(guest.count);
    if (guest.count != 0 &&
        !process.memory().copy_from_guest(instructions.data(), guest.filter, guest.count * sizeof(sock_filter)))
        return -EFAULT;
    sock_fprog program{guest.count, instructions.data()};
    return host_result(setsockopt(fd, SOL_SOCKET, option, &program, sizeof program));
}

// The MCAST_* group options of IPPROTO_IP and IPPROTO_IPV6 take struct group_req or struct
// group_source_req, whose struct sockaddr_storage members are 4-byte aligned on o32 and 8-byte
// aligned on the host: the interface word is followed directly by the addresses. Returns false
// for other options.
bool is_group_option(int level, int option)
{
    return (level == IPPROTO_IP || level == IPPROTO_IPV6) && option >= MCAST_JOIN_GROUP &&
           option <= MCAST_LEAVE_SOURCE_GROUP;
}

SyscallResult set_group_option(Process& process, int fd, int level, int option, uint32_t address, uint32_t length)
{
    bool with_source = option != MCAST_JOIN_GROUP && option != MCAST_LEAVE_GROUP;
    constexpr uint32_t storage = sizeof(sockaddr_storage);
    uint32_t guest_size = 4 + storage * (with_source ? 2 : 1);
    if (length < guest_size)
        return -EINVAL;
    std::vector<uint8_t> guest(guest_size);
    if (!process.memory().copy_from_guest(guest.data(), address, guest.size()))
        return -EFAULT;
    group_source_req host{};
    std::memcpy(&host.gsr_interface, guest.data(), 4);
    std::memcpy(&host.gsr_group, guest.data() + 4, storage);
    if (with_source) {
        std::memcpy(&host.gsr_source, guest.data() + 4 + storage, storage);
        return host_result(setsockopt(fd, level, option, &host, sizeof host));
    }
    return host_result(setsockopt(fd, level, option, &host, sizeof(group_req)));
}

} // namespace

// socket(family, type, protocol)
SyscallResult sys_socket(Process&, const SyscallArguments& a)
{
    int type = o32::socket_type_to_host(a[1]);
    if (type < 0)
        return -EINVAL;
    return host_result(socket(static_cast<int>(a[0]), type, static_cast<int>(a[2])));
}

// socketpair(family, type, protocol, int descriptors[2])
SyscallResult sys_socketpair(Process& process, const SyscallArguments& a)
{
    int type = o32::socket_type_to_host(a[1]);
    if (type < 0)
        return -EINVAL;
    int descriptors[2];
    if (socketpair(static_cast<int>(a[0]), type, static_cast<int>(a[2]), descriptors) < 0)
        return -errno;
    if (!write_guest(process, a[3], descriptors)) {
        close(descriptors[0]);
        close(descriptors[1]);
        return -EFAULT;
    }
    return 0;
}

// bind(fd, address, length) and connect(fd, address, length)
SyscallResult sys_bind(Process& process, const SyscallArguments& a)
{
    sockaddr_storage address;
    socklen_t length;
    if (SyscallResult error = read_socket_address(process, a[1], a[2], address, length))
        return error;
    return host_result(bind(descriptor(a[0]), reinterpret_cast<sockaddr*>(&address), length));
}

SyscallResult sys_connect(Process& process, const SyscallArguments& a)
{
    sockaddr_storage address;
    socklen_t length;
    if (SyscallResult error = read_socket_address(process, a[1], a[2], address, length))
        return error;
    return host_result(connect(descriptor(a[0]), reinterpret_cast<sockaddr*>(&address), length));
}

// listen(fd, backlog)
SyscallResult sys_listen(Process&, const SyscallArguments& a)
{
    return host_result(listen(descriptor(a[0]), static_cast<int32_t>(a[1])));
}

// accept(fd, address, length) and accept4(fd, address, length, flags)
SyscallResult sys_accept(Process& process, const SyscallArguments& a) { return accept_common(process, a, 0); }

SyscallResult sys_accept4(Process& process, const SyscallArguments& a) { return accept_common(process, a, a[3]); }

// getsockname(fd, address, length) and getpeername(fd, address, length)
SyscallResult sys_getsockname(Process& process, const SyscallArguments& a)
{
    if (a[1] == 0 || a[2] == 0)
        return -EFAULT;
    int fd = descriptor(a[0]);
    return with_address_out(process, a[1], a[2], [&](sockaddr* address, socklen_t* length) {
        return host_result(getsockname(fd, address, length));
    });
}

SyscallResult sys_getpeername(Process& process, const SyscallArguments& a)
{
    if (a[1] == 0 || a[2] == 0)
        return -EFAULT;
    int fd = descriptor(a[0]);
    return with_address_out(process, a[1], a[2], [&](sockaddr* address, socklen_t* length) {
        return host_result(getpeername(fd, address, length));
    });
}

// send(fd, buffer, count, flags) and sendto(fd, buffer, count, flags, address, length)
SyscallResult sys_send(Process& process, const SyscallArguments& a)
{
    return send_to(process, descriptor(a[0]), a[1], a[2], a[3], 0, 0);
}

SyscallResult sys_sendto(Process& process, const SyscallArguments& a)
{
    return send_to(process, descriptor(a[0]), a[1], a[2], a[3], a[4], a[5]);
}

// recv(fd, buffer, count, flags) and recvfrom(fd, buffer, count, flags, address, length)
SyscallResult sys_recv(Process& process, const SyscallArguments& a)
{
    return receive_from(process, descriptor(a[0]), a[1], a[2], a[3], 0, 0);
}

SyscallResult sys_recvfrom(Process& process, const SyscallArguments& a)
{
    return receive_from(process, descriptor(a[0]), a[1], a[2], a[3], a[4], a[5]);
}

// shutdown(fd, how): SHUT_RD, SHUT_WR and SHUT_RDWR are 0, 1 and 2 everywhere.
SyscallResult sys_shutdown(Process&, const SyscallArguments& a)
{
    return host_result(shutdown(descriptor(a[0]), static_cast<int32_t>(a[1])));
}

// getsockopt(fd, level, option, value, length)
SyscallResult sys_getsockopt(Process& process, const SyscallArguments& a)
{
    int32_t length;
    if (!read_guest(process, a[4], length))
        return -EFAULT;
    if (length < 0)
        return -EINVAL;
    int level, option;
    if (SyscallResult error = host_option(a[1], a[2], level, option))
        return error;
    int fd = descriptor(a[0]);
    if (level == SOL_SOCKET &&
        (option == SO_TYPE || option == SO_ERROR || option == SO_RCVTIMEO_OLD || option == SO_SNDTIMEO_OLD)) {
        uint8_t host[sizeof(timeval)] = {};
        socklen_t host_length = sizeof host;
        if (getsockopt(fd, level, option, host, &host_length) < 0)
            return -errno;
        std::vector<uint8_t> guest;
        translated_option_value(option, host, guest);
        uint32_t copied = std::min<uint32_t>(static_cast<uint32_t>(length), static_cast<uint32_t>(guest.size()));
        if (copied != 0 && !process.memory().copy_to_guest(a[3], guest.data(), copied))
            return -EFAULT;
        return write_guest(process, a[4], copied) ? 0 : -EFAULT;
    }
    void* host = nullptr;
    if (length != 0) {
        SyscallResult usable = guest_buffer(process, a[3], static_cast<uint32_t>(length), memory::ProtectionWrite, host);
        if (usable < 0 || usable != length)
            return -EFAULT;
    }
    socklen_t host_length = static_cast<socklen_t>(length);
    if (getsockopt(fd, level, option, host, &host_length) < 0)
        return -errno;
    uint32_t written = host_length;
    return write_guest(process, a[4], written) ? 0 : -EFAULT;
}

// setsockopt(fd, level, option, value, length)
SyscallResult sys_setsockopt(Process& process, const SyscallArguments& a)
{
    int32_t length = static_cast<int32_t>(a[4]);
    if (length < 0)
        return -EINVAL;
    int level, option;
    if (SyscallResult error = host_option(a[1], a[2], level, option))
        return error;
    int fd = descriptor(a[0]);
    if (level == SOL_SOCKET && (option == SO_RCVTIMEO_OLD || option == SO_SNDTIMEO_OLD)) {
        o32::Timeval32 guest;
        if (static_cast<uint32_t>(length) < sizeof guest)
            return -EINVAL;
        if (!read_guest(process, a[3], guest))
            return -EFAULT;
        timeval host{guest.seconds, guest.microseconds};
        return host_result(setsockopt(fd, level, option, &host, sizeof host));
    }
    if (level == SOL_SOCKET && (option == SO_ATTACH_FILTER || option == SO_ATTACH_REUSEPORT_CBPF))
        return attach_filter(process, fd, option, a[3], static_cast<uint32_t>(length));
    if (is_group_option(level, option))
        return set_group_option(process, fd, level, option, a[3], static_cast<uint32_t>(length));
    std::vector<uint8_t> value(static_cast<size_t>(std::min(length, 1 << 20)));
    if (!value.empty() && !process.memory().copy_from_guest(value.data(), a[3], value.size()))
        return -EFAULT;
    return host_result(setsockopt(fd, level, option, value.empty() ? nullptr : value.data(),
                                  static_cast<socklen_t>(value.size())));
}

// socketcall(call, arguments): the multiplexed entry point; the arguments are words in memory.
SyscallResult sys_socketcall(Process& process, const SyscallArguments& a)
{
    struct Call {
        SyscallHandler handler;
        uint8_t arguments;
    };
    static constexpr Call calls[] = {
        {nullptr, 0},           {sys_socket, 3},      {sys_bind, 3},        {sys_connect, 3},
        {sys_listen, 2},        {sys_accept, 3},      {sys_getsockname, 3}, {sys_getpeername, 3},
        {sys_socketpair, 4},    {sys_send, 4},        {sys_recv, 4},        {sys_sendto, 6},
        {sys_recvfrom, 6},      {sys_shutdown, 2},    {sys_setsockopt, 5},  {sys_getsockopt, 5},
        {sys_sendmsg, 3},       {sys_recvmsg, 3},     {sys_accept4, 4},     {sys_recvmmsg, 5},
        {sys_sendmmsg, 4},
    };
    if (a[0] == 0 || a[0] >= std::size(calls))
        return -EINVAL;
    const Call& call = calls[a[0]];
    SyscallArguments arguments;
    arguments.number = a.number;
    if (!process.memory().copy_from_guest(arguments.values.data(), a[1], call.arguments * sizeof(uint32_t)))
        return -EFAULT;
    return call.handler(process, arguments);
}

} // namespace isomorph::process::syscalls
