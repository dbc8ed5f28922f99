// File and descriptor system calls. Guest descriptors are host descriptors; guest buffers are
// passed to the host kernel in place, so an unmapped buffer fails with EFAULT, as on Linux.

#include "process/process.h"
#include "process/syscalls/handlers.h"

#include <cerrno>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

namespace isomorph::process::syscalls {

namespace {
SyscallResult result_of(ssize_t value) { return value < 0 ? -errno : value; }
} // namespace

SyscallResult sys_read(Process& process, const SyscallArguments& a)
{
    return result_of(read(static_cast<int>(a[0]), process.memory().host_address(a[1]), a[2]));
}

SyscallResult sys_write(Process& process, const SyscallArguments& a)
{
    return result_of(write(static_cast<int>(a[0]), process.memory().host_address(a[1]), a[2]));
}

SyscallResult sys_writev(Process& process, const SyscallArguments& a)
{
    uint32_t count = a[2];
    if (count > IOV_MAX)
        return -EINVAL;
    std::vector<uint32_t> guest(count * 2);
    if (!process.memory().copy_from_guest(guest.data(), a[1], guest.size() * 4))
        return -EFAULT;
    std::vector<iovec> host(count);
    for (uint32_t index = 0; index < count; ++index)
        host[index] = {process.memory().host_address(guest[2 * index]), guest[2 * index + 1]};
    return result_of(writev(static_cast<int>(a[0]), host.data(), static_cast<int>(count)));
}

SyscallResult sys_close(Process&, const SyscallArguments& a) { return result_of(close(static_cast<int>(a[0]))); }

} // namespace isomorph::process::syscalls
