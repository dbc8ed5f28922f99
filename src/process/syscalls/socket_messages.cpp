// sendmsg, recvmsg, sendmmsg and recvmmsg: struct msghdr, its iovec array and its control
// messages in their o32 layouts (process/o32/socket.h). A guest struct cmsghdr is 12 bytes with
// word-aligned data, the host's 16 bytes with 8-byte alignment, so control messages are rebuilt
// one by one in each direction; SOL_SOCKET is renumbered, SCM_RIGHTS descriptors and
// SCM_CREDENTIALS pass as they are, the old timestamps become 32-bit times and the errno of an
// extended error (IP_RECVERR) a MIPS one. When the guest's
// control buffer is too small the message is truncated with MSG_CTRUNC and the descriptors that
// do not fit are closed, as the kernel's put_cmsg() and scm_detach_fds() do.

#include "process/o32/errno.h"
#include "process/o32/socket.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/socket_support.h"

#include <climits>
#include <netinet/in.h>
#include <cstring>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace isomorph::process::syscalls {

namespace {

// The kernel refuses control buffers above its option-memory limit with ENOBUFS.
constexpr uint32_t max_control_length = 1u << 20;
constexpr uint32_t guest_cmsg_header = sizeof(o32::Cmsghdr);

// One message being sent or received: the host msghdr and the storage it points into.
struct HostMessage {
    msghdr header{};
    sockaddr_storage address{};
    std::vector<iovec> vectors;
    std::vector<uint64_t> control; // 8-byte aligned, as struct cmsghdr wants
};

// The iovec array: each buffer's accessible prefix, stopping at the first that is not entirely
// accessible, as readv and writev do.
SyscallResult read_vectors(Process& process, const o32::Msghdr& guest, uint8_t protection, HostMessage& message)
{
    if (guest.iov_length > IOV_MAX)
        return -EMSGSIZE;
    std::vector<o32::Iovec> vectors(guest.iov_length);
    if (!vectors.empty() &&
        !process.memory().copy_from_guest(vectors.data(), guest.iov, vectors.size() * sizeof(o32::Iovec)))
        return -EFAULT;
    uint64_t total = 0;
    for (const o32::Iovec& vector : vectors) {
        if (static_cast<int32_t>(vector.length) < 0)
            return -EINVAL;
        total += vector.length;
    }
    if (total > INT32_MAX)
        return -EINVAL;
    for (const o32::Iovec& vector : vectors) {
        uint32_t usable = accessible_length(process, vector.base, vector.length, protection);
        if (usable == 0 && vector.length != 0) {
            if (message.vectors.empty())
                return -EFAULT;
            break;
        }
        message.vectors.push_back({process.memory().host_address(vector.base), usable});
        if (usable < vector.length)
            break;
    }
    message.header.msg_iov = message.vectors.data();
    message.header.msg_iovlen = message.vectors.size();
    return 0;
}

// The guest's control messages rebuilt in the host's layout (__scm_send's checks: each header
// must be complete and fit in the buffer).
SyscallResult read_control(Process& process, const o32::Msghdr& guest, HostMessage& message)
{
    if (guest.control_length < guest_cmsg_header)
        return 0;
    if (guest.control_length > max_control_length)
        return -ENOBUFS;
    std::vector<uint8_t> bytes(guest.control_length);
    if (!process.memory().copy_from_guest(bytes.data(), guest.control, bytes.size()))
        return -EFAULT;
    std::vector<uint8_t> host;
    for (uint32_t offset = 0; offset + guest_cmsg_header <= bytes.size();) {
        o32::Cmsghdr header;
        std::memcpy(&header, bytes.data() + offset, sizeof header);
        if (header.length < guest_cmsg_header || header.length > bytes.size() - offset)
            return -EINVAL;
        uint32_t data_length = header.length - guest_cmsg_header;
        int level = o32::socket_level_to_host(header.level);
        if (level >= 0) {
            size_t start = host.size();
            host.resize(start + CMSG_SPACE(data_length));
            cmsghdr host_header{};
            host_header.cmsg_len = CMSG_LEN(data_length);
            host_header.cmsg_level = level;
            host_header.cmsg_type = header.type;
            std::memcpy(host.data() + start, &host_header, sizeof host_header);
            std::memcpy(host.data() + start + CMSG_LEN(0), bytes.data() + offset + guest_cmsg_header, data_length);
        }
        offset += o32::control_align(header.length);
    }
    message.control.assign((host.size() + 7) / 8, 0);
    if (!host.empty())
        std::memcpy(message.control.data(), host.data(), host.size());
    message.header.msg_control = message.control.empty() ? nullptr : message.control.data();
    message.header.msg_controllen = host.size();
    return 0;
}

// The data of one received control message as the guest reads it: the old timestamps of
// SO_TIMESTAMP, SO_TIMESTAMPNS and SO_TIMESTAMPING hold 32-bit times on o32.
std::vector<uint8_t> guest_control_data(const cmsghdr* header)
{
    const uint8_t* data = CMSG_DATA(header);
    size_t length = header->cmsg_len - CMSG_LEN(0);
    std::vector<uint8_t> guest;
    auto append = [&guest](const auto& value) {
        const auto* bytes = reinterpret_cast<const uint8_t*>(&value);
        guest.insert(guest.end(), bytes, bytes + sizeof value);
    };
    if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SO_TIMESTAMP_OLD && length >= sizeof(timeval)) {
        timeval value;
        std::memcpy(&value, data, sizeof value);
        append(o32::Timeval32{static_cast<int32_t>(value.tv_sec), static_cast<int32_t>(value.tv_usec)});
        return guest;
    }
    if (header->cmsg_level == SOL_SOCKET &&
        (header->cmsg_type == SO_TIMESTAMPNS_OLD || header->cmsg_type == SO_TIMESTAMPING_OLD)) {
        for (size_t offset = 0; offset + sizeof(timespec) <= length; offset += sizeof(timespec)) {
            timespec value;
            std::memcpy(&value, data + offset, sizeof value);
            append(o32::Timespec32{static_cast<int32_t>(value.tv_sec), static_cast<int32_t>(value.tv_nsec)});
        }
        return guest;
    }
    guest.assign(data, data + length);
    // The extended errors of MSG_ERRQUEUE start with an errno, which MIPS numbers its own way.
    if (((header->cmsg_level == SOL_IP && header->cmsg_type == IP_RECVERR) ||
         (header->cmsg_level == SOL_IPV6 && header->cmsg_type == IPV6_RECVERR)) &&
        length >= sizeof(uint32_t)) {
        uint32_t error;
        std::memcpy(&error, data, sizeof error);
        error = static_cast<uint32_t>(o32::guest_errno(static_cast<int>(error)));
        std::memcpy(guest.data(), &error, sizeof error);
    }
    return guest;
}

// Writes the host's received control messages into the guest's buffer; returns the length used
// and adds MSG_CTRUNC to flags when something did not fit.
uint32_t write_control(Process& process, const o32::Msghdr& guest, const msghdr& host, int& flags)
{
    uint32_t used = 0;
    uint32_t capacity = guest.control != 0 ? guest.control_length : 0;
    auto truncated = [&flags] { flags |= MSG_CTRUNC; };
    for (cmsghdr* header = host.msg_controllen ? CMSG_FIRSTHDR(&host) : nullptr; header;
         header = CMSG_NXTHDR(const_cast<msghdr*>(&host), header)) {
        uint32_t available = capacity - used;
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
            size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            const auto* descriptors = reinterpret_cast<const int*>(CMSG_DATA(header));
            size_t fit = available > guest_cmsg_header ? (available - guest_cmsg_header) / sizeof(int) : 0;
            fit = std::min(fit, count);
            for (size_t index = fit; index < count; ++index)
                close(descriptors[index]);
            if (fit < count)
                truncated();
            if (fit == 0)
                continue;
            uint32_t length = guest_cmsg_header + static_cast<uint32_t>(fit * sizeof(int));
            o32::Cmsghdr out{length, o32::sol_socket, SCM_RIGHTS};
            if (!process.memory().copy_to_guest(guest.control + used, &out, sizeof out) ||
                !process.memory().copy_to_guest(guest.control + used + guest_cmsg_header, descriptors,
                                                fit * sizeof(int))) {
                for (size_t index = 0; index < fit; ++index)
                    close(descriptors[index]);
                truncated();
                continue;
            }
            used += std::min(available, o32::control_align(length));
            continue;
        }
        if (available < guest_cmsg_header) {
            truncated();
            break;
        }
        std::vector<uint8_t> data = guest_control_data(header);
        uint32_t length = guest_cmsg_header + static_cast<uint32_t>(data.size());
        if (length > available) {
            truncated();
            length = available;
        }
        o32::Cmsghdr out{length, o32::socket_level_to_guest(header->cmsg_level), header->cmsg_type};
        if (!process.memory().copy_to_guest(guest.control + used, &out, sizeof out) ||
            !process.memory().copy_to_guest(guest.control + used + guest_cmsg_header, data.data(),
                                            length - guest_cmsg_header)) {
            truncated();
            break;
        }
        used += std::min(available, o32::control_align(length));
    }
    return used;
}

SyscallResult send_message(Process& process, int fd, uint32_t address, uint32_t flags)
{
    o32::Msghdr guest;
    if (!read_guest(process, address, guest))
        return -EFAULT;
    HostMessage message;
    if (guest.name != 0) {
        // Unlike sendto, sendmsg cuts a longer name to sizeof(struct sockaddr_storage).
        if (static_cast<int32_t>(guest.name_length) < 0)
            return -EINVAL;
        socklen_t length;
        uint32_t name_length = std::min<uint32_t>(guest.name_length, sizeof message.address);
        if (SyscallResult error = read_socket_address(process, guest.name, name_length, message.address, length))
            return error;
        message.header.msg_name = length ? &message.address : nullptr;
        message.header.msg_namelen = length;
    }
    if (SyscallResult error = read_vectors(process, guest, memory::ProtectionRead, message))
        return error;
    if (SyscallResult error = read_control(process, guest, message))
        return error;
    return host_result(sendmsg(fd, &message.header, static_cast<int>(flags)));
}

SyscallResult receive_message(Process& process, int fd, uint32_t address, uint32_t flags)
{
    o32::Msghdr guest;
    if (!read_guest(process, address, guest))
        return -EFAULT;
    if (static_cast<int32_t>(guest.name_length) < 0)
        return -EINVAL;
    if (guest.control_length > max_control_length)
        return -ENOBUFS;
    HostMessage message;
    if (guest.name != 0) {
        message.header.msg_name = &message.address;
        message.header.msg_namelen = sizeof message.address;
    }
    if (SyscallResult error = read_vectors(process, guest, memory::ProtectionWrite, message))
        return error;
    // Host control messages are at most twice as long as the guest's, plus alignment.
    if (guest.control != 0 && guest.control_length != 0) {
        message.control.assign((guest.control_length * 2 + 64) / 8, 0);
        message.header.msg_control = message.control.data();
        message.header.msg_controllen = message.control.size() * 8;
    }
    ssize_t received = recvmsg(fd, &message.header, static_cast<int>(flags));
    if (received < 0)
        return -errno;
    int result_flags = message.header.msg_flags;
    uint32_t control_used = write_control(process, guest, message.header, result_flags);
    if (guest.name != 0) {
        uint32_t copied = std::min<uint32_t>(guest.name_length, message.header.msg_namelen);
        if (copied != 0 && !process.memory().copy_to_guest(guest.name, &message.address, copied))
            return -EFAULT;
        uint32_t full = message.header.msg_namelen;
        if (!write_guest(process, address + offsetof(o32::Msghdr, name_length), full))
            return -EFAULT;
    }
    uint32_t guest_flags = static_cast<uint32_t>(result_flags);
    if (!write_guest(process, address + offsetof(o32::Msghdr, control_length), control_used) ||
        !write_guest(process, address + offsetof(o32::Msghdr, flags), guest_flags))
        return -EFAULT;
    return received;
}

// The time the guest gave recvmmsg, in either generation.
template <class Timespec> SyscallResult read_deadline(Process& process, uint32_t address, timespec& deadline)
{
    Timespec guest;
    if (!read_guest(process, address, guest))
        return -EFAULT;
    int32_t nanoseconds = static_cast<int32_t>(guest.nanoseconds);
    if (guest.seconds < 0 || nanoseconds < 0 || nanoseconds >= 1000000000)
        return -EINVAL;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += static_cast<time_t>(guest.seconds) + (deadline.tv_nsec + nanoseconds) / 1000000000;
    deadline.tv_nsec = (deadline.tv_nsec + nanoseconds) % 1000000000;
    return 0;
}

// recvmmsg(fd, messages, count, flags, timeout): the timeout is checked after each datagram, as
// the kernel does; MSG_WAITFORONE makes the calls after the first one non-blocking.
template <class Timespec> SyscallResult receive_messages(Process& process, const SyscallArguments& a)
{
    timespec deadline{};
    if (a[4] != 0)
        if (SyscallResult error = read_deadline<Timespec>(process, a[4], deadline))
            return error;
    uint32_t count = std::min<uint32_t>(a[2], 1024);
    uint32_t flags = a[3];
    uint32_t received = 0;
    for (; received < count; ++received) {
        uint32_t entry = a[1] + received * sizeof(o32::Mmsghdr);
        SyscallResult result = receive_message(process, descriptor(a[0]), entry, flags);
        if (result < 0)
            return received != 0 ? received : result;
        uint32_t length = static_cast<uint32_t>(result);
        if (!write_guest(process, entry + offsetof(o32::Mmsghdr, length), length))
            return received != 0 ? received : -EFAULT;
        if (flags & MSG_WAITFORONE)
            flags |= MSG_DONTWAIT;
        if (a[4] != 0) {
            timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            if (now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec)) {
                ++received;
                break;
            }
        }
    }
    return received;
}

} // namespace

// sendmsg(fd, message, flags) and recvmsg(fd, message, flags)
SyscallResult sys_sendmsg(Process& process, const SyscallArguments& a)
{
    return send_message(process, descriptor(a[0]), a[1], a[2]);
}

SyscallResult sys_recvmsg(Process& process, const SyscallArguments& a)
{
    return receive_message(process, descriptor(a[0]), a[1], a[2]);
}

// sendmmsg(fd, messages, count, flags): stops at the first failure after a success.
SyscallResult sys_sendmmsg(Process& process, const SyscallArguments& a)
{
    uint32_t count = std::min<uint32_t>(a[2], 1024);
    uint32_t sent = 0;
    for (; sent < count; ++sent) {
        uint32_t entry = a[1] + sent * sizeof(o32::Mmsghdr);
        SyscallResult result = send_message(process, descriptor(a[0]), entry, a[3]);
        if (result < 0)
            return sent != 0 ? sent : result;
        uint32_t length = static_cast<uint32_t>(result);
        if (!write_guest(process, entry + offsetof(o32::Mmsghdr, length), length))
            return sent != 0 ? sent : -EFAULT;
    }
    return sent;
}

SyscallResult sys_recvmmsg(Process& process, const SyscallArguments& a)
{
    return receive_messages<o32::Timespec32>(process, a);
}

SyscallResult sys_recvmmsg_time64(Process& process, const SyscallArguments& a)
{
    return receive_messages<o32::Timespec64>(process, a);
}

} // namespace isomorph::process::syscalls
