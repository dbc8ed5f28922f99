// ioctl requests on sockets (ioctl.cpp hands over the requests it does not know). The network
// interface requests (SIOCGIFINDEX, SIOCGIFADDR...) take struct ifreq: a 16-byte name and a
// 16-byte union on o32, 40 bytes on x86-64 where the union holds 64-bit words; the members these
// requests use fit in the first 16 bytes, so the 32 guest bytes are the start of the host's
// structure. SIOCGIFCONF's array of them is repacked. MIPS numbers SIOCATMARK, the socket
// owner requests and FIOGETOWN/FIOSETOWN its own way; the old timestamps are 32-bit times.

#include "process/o32/layouts.h"
#include "process/syscalls/socket_support.h"

#include <cstring>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <vector>

namespace isomorph::process::syscalls {

namespace {

// The o32 struct ifreq.
constexpr uint32_t guest_ifreq_size = 32;
static_assert(sizeof(ifreq) >= guest_ifreq_size);

// MIPS request numbers (arch/mips/include/uapi/asm/sockios.h).
constexpr uint32_t mips_fiogetown = 0x4004667b;
constexpr uint32_t mips_fiosetown = 0x8004667c;
constexpr uint32_t mips_siocatmark = 0x40047307;
constexpr uint32_t mips_siocspgrp = 0x80047308;
constexpr uint32_t mips_siocgpgrp = 0x40047309;

// Requests whose struct ifreq the host reads and, for the get requests, fills.
bool is_interface_request(uint32_t request)
{
    switch (request) {
    case SIOCGIFNAME: case SIOCGIFFLAGS: case SIOCSIFFLAGS: case SIOCGIFADDR: case SIOCSIFADDR:
    case SIOCGIFDSTADDR: case SIOCSIFDSTADDR: case SIOCGIFBRDADDR: case SIOCSIFBRDADDR:
    case SIOCGIFNETMASK: case SIOCSIFNETMASK: case SIOCGIFMETRIC: case SIOCSIFMETRIC: case SIOCGIFMTU:
    case SIOCSIFMTU: case SIOCSIFNAME: case SIOCSIFHWADDR: case SIOCGIFHWADDR: case SIOCGIFINDEX:
    case SIOCGIFTXQLEN: case SIOCSIFTXQLEN:
        return true;
    default: return false;
    }
}

SyscallResult interface_request(Process& process, int fd, uint32_t request, uint32_t address)
{
    ifreq host{};
    if (!process.memory().copy_from_guest(&host, address, guest_ifreq_size))
        return -EFAULT;
    if (ioctl(fd, request, &host) < 0)
        return -errno;
    return process.memory().copy_to_guest(address, &host, guest_ifreq_size) ? 0 : -EFAULT;
}

// SIOCGIFCONF(struct ifconf {int length; pointer}): with a null pointer, the length needed.
SyscallResult interface_list(Process& process, int fd, uint32_t address)
{
    struct {
        int32_t length;
        uint32_t buffer;
    } guest;
    if (!read_guest(process, address, guest))
        return -EFAULT;
    ifconf host{};
    std::vector<ifreq> entries;
    if (guest.buffer != 0) {
        if (guest.length < 0)
            return -EINVAL;
        entries.resize(static_cast<size_t>(guest.length) / guest_ifreq_size);
        host.ifc_len = static_cast<int>(entries.size() * sizeof(ifreq));
        host.ifc_req = entries.empty() ? nullptr : entries.data();
    }
    if (ioctl(fd, SIOCGIFCONF, &host) < 0)
        return -errno;
    size_t count = static_cast<size_t>(host.ifc_len) / sizeof(ifreq);
    for (size_t index = 0; guest.buffer != 0 && index < count; ++index)
        if (!process.memory().copy_to_guest(guest.buffer + static_cast<uint32_t>(index) * guest_ifreq_size,
                                            &entries[index], guest_ifreq_size))
            return -EFAULT;
    guest.length = static_cast<int32_t>(count * guest_ifreq_size);
    return write_guest(process, address, guest.length) ? 0 : -EFAULT;
}

SyscallResult integer_out(Process& process, int fd, unsigned long request, uint32_t address)
{
    int value = 0;
    if (ioctl(fd, request, &value) < 0)
        return -errno;
    int32_t guest = value;
    return write_guest(process, address, guest) ? 0 : -EFAULT;
}

SyscallResult integer_in(Process& process, int fd, unsigned long request, uint32_t address)
{
    int32_t guest;
    if (!read_guest(process, address, guest))
        return -EFAULT;
    int value = guest;
    return host_result(ioctl(fd, request, &value));
}

} // namespace

std::optional<SyscallResult> socket_ioctl(Process& process, int fd, uint32_t request, uint32_t argument)
{
    if (is_interface_request(request))
        return interface_request(process, fd, request, argument);
    switch (request) {
    case SIOCGIFCONF: return interface_list(process, fd, argument);
    case mips_siocatmark: return integer_out(process, fd, SIOCATMARK, argument);
    case mips_fiogetown: return integer_out(process, fd, FIOGETOWN, argument);
    case mips_siocgpgrp: return integer_out(process, fd, SIOCGPGRP, argument);
    case mips_fiosetown: return integer_in(process, fd, FIOSETOWN, argument);
    case mips_siocspgrp: return integer_in(process, fd, SIOCSPGRP, argument);
    case SIOCGSTAMP_OLD: {
        timeval host;
        if (ioctl(fd, SIOCGSTAMP_OLD, &host) < 0)
            return -errno;
        o32::Timeval32 guest{static_cast<int32_t>(host.tv_sec), static_cast<int32_t>(host.tv_usec)};
        return write_guest(process, argument, guest) ? 0 : -EFAULT;
    }
    case SIOCGSTAMPNS_OLD: {
        timespec host;
        if (ioctl(fd, SIOCGSTAMPNS_OLD, &host) < 0)
            return -errno;
        o32::Timespec32 guest{static_cast<int32_t>(host.tv_sec), static_cast<int32_t>(host.tv_nsec)};
        return write_guest(process, argument, guest) ? 0 : -EFAULT;
    }
    default: return std::nullopt;
    }
}

} // namespace isomorph::process::syscalls
