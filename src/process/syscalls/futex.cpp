// futex: the guest's futex words are host memory (the guest address plus the reservation's base),
// so the host kernel's futex does the work, also across processes sharing a MAP_SHARED page.
// Only the timeout needs translating; the operation numbers and flags are the same on MIPS.

#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace isomorph::process::syscalls {

namespace {

// The operations whose fourth argument is a timeout; for the others it is a count (val2).
bool takes_timeout(uint32_t command)
{
    return command == FUTEX_WAIT || command == FUTEX_WAIT_BITSET || command == FUTEX_LOCK_PI ||
           command == FUTEX_WAIT_REQUEUE_PI || command == FUTEX_LOCK_PI2;
}

SyscallResult futex(Process& process, const SyscallArguments& a, bool time64)
{
    uint32_t operation = a[1];
    uint32_t command = operation & FUTEX_CMD_MASK;
    if (command == FUTEX_LOCK_PI || command == FUTEX_UNLOCK_PI || command == FUTEX_TRYLOCK_PI ||
        command == FUTEX_WAIT_REQUEUE_PI || command == FUTEX_CMP_REQUEUE_PI || command == FUTEX_LOCK_PI2)
        return -ENOSYS;
    if ((a[0] & 3) != 0)
        return -EINVAL;
    if (!readable(process, a[0], 4))
        return -EFAULT;
    struct timespec timeout;
    struct timespec* timeout_pointer = nullptr;
    uintptr_t fourth = a[3];
    if (takes_timeout(command)) {
        if (a[3] != 0) {
            if (time64) {
                o32::Timespec64 guest;
                if (!read_guest(process, a[3], guest))
                    return -EFAULT;
                timeout = {static_cast<time_t>(guest.seconds), static_cast<long>(static_cast<int32_t>(guest.nanoseconds))};
            } else {
                o32::Timespec32 guest;
                if (!read_guest(process, a[3], guest))
                    return -EFAULT;
                timeout = {guest.seconds, guest.nanoseconds};
            }
            timeout_pointer = &timeout;
        }
        fourth = reinterpret_cast<uintptr_t>(timeout_pointer);
    }
    uint8_t* base = process.memory().host_base();
    uint32_t* second_word = nullptr;
    if (command == FUTEX_REQUEUE || command == FUTEX_CMP_REQUEUE || command == FUTEX_WAKE_OP) {
        if ((a[4] & 3) != 0)
            return -EINVAL;
        if (!writable(process, a[4], 4))
            return -EFAULT;
        second_word = reinterpret_cast<uint32_t*>(base + a[4]);
    }
    return host_result(syscall(SYS_futex, reinterpret_cast<uint32_t*>(base + a[0]), operation, a[2], fourth,
                               second_word, a[5]));
}

} // namespace

// futex(address, operation, value, timeout or value2, address2, value3)
SyscallResult sys_futex(Process& process, const SyscallArguments& a)
{
    return futex(process, a, false);
}

SyscallResult sys_futex_time64(Process& process, const SyscallArguments& a)
{
    return futex(process, a, true);
}

} // namespace isomorph::process::syscalls
