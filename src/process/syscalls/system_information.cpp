// What the system tells a process about itself and the machine: uname, sysinfo, resource
// limits, random bytes, CPU affinity, scheduling parameters and priorities.

#include "process/o32/flags.h"
#include "process/o32/layouts.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <algorithm>
#include <cstring>
#include <sched.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace isomorph::process::syscalls {

namespace {

constexpr uint64_t infinity64 = ~uint64_t{0};

// Resources whose limits the emulator keeps to itself (see Process::emulated_limits).
bool emulated(uint32_t guest_resource)
{
    int host = o32::resource_to_host(guest_resource);
    return host == RLIMIT_AS || host == RLIMIT_DATA || host == RLIMIT_STACK;
}

SyscallResult get_limit(Process& process, uint32_t guest_resource, std::array<uint64_t, 2>& limit)
{
    int host = o32::resource_to_host(guest_resource);
    if (host < 0)
        return -EINVAL;
    if (auto it = process.emulated_limits.find(guest_resource); it != process.emulated_limits.end()) {
        limit = it->second;
        return 0;
    }
    struct rlimit value;
    if (getrlimit(host, &value) < 0)
        return -errno;
    limit = {value.rlim_cur == RLIM_INFINITY ? infinity64 : value.rlim_cur,
             value.rlim_max == RLIM_INFINITY ? infinity64 : value.rlim_max};
    return 0;
}

SyscallResult set_limit(Process& process, uint32_t guest_resource, const std::array<uint64_t, 2>& limit)
{
    int host = o32::resource_to_host(guest_resource);
    if (host < 0)
        return -EINVAL;
    if (limit[0] > limit[1])
        return -EINVAL;
    if (emulated(guest_resource)) {
        std::array<uint64_t, 2> current;
        if (SyscallResult error = get_limit(process, guest_resource, current))
            return error;
        if (limit[1] > current[1] && geteuid() != 0)
            return -EPERM;
        process.emulated_limits[guest_resource] = limit;
        return 0;
    }
    struct rlimit value = {limit[0] == infinity64 ? RLIM_INFINITY : limit[0],
                           limit[1] == infinity64 ? RLIM_INFINITY : limit[1]};
    return host_result(setrlimit(host, &value));
}

// The 32-bit struct rlimit tops out at RLIM_INFINITY, 0x7FFFFFFF on o32.
uint32_t to_limit32(uint64_t value) { return value >= o32::rlimit_infinity32 ? o32::rlimit_infinity32 : static_cast<uint32_t>(value); }
uint64_t from_limit32(uint32_t value) { return value == o32::rlimit_infinity32 ? infinity64 : value; }

void copy_field(char (&destination)[65], const char* source)
{
    size_t length = strnlen(source, sizeof destination - 1);
    std::memcpy(destination, source, length);
    destination[length] = '\0';
}

} // namespace

// uname(buffer): the host's names, with machine "mips" as a 32-bit little-endian MIPS kernel
// reports it.
SyscallResult sys_uname(Process& process, const SyscallArguments& a)
{
    struct utsname host;
    if (uname(&host) < 0)
        return -errno;
    o32::Utsname guest{};
    copy_field(guest.sysname, host.sysname);
    copy_field(guest.nodename, host.nodename);
    copy_field(guest.release, host.release);
    copy_field(guest.version, host.version);
    copy_field(guest.machine, "mips");
    copy_field(guest.domainname, host.domainname);
    return write_guest(process, a[0], guest) ? 0 : -EFAULT;
}

// sysinfo(buffer): like the kernel's do_sysinfo, memory is reported in bytes (mem_unit 1) when
// the totals fit in 32 bits, otherwise in pages.
SyscallResult sys_sysinfo(Process& process, const SyscallArguments& a)
{
    struct sysinfo host;
    if (sysinfo(&host) < 0)
        return -errno;
    uint64_t unit = host.mem_unit;
    uint64_t total = (uint64_t{host.totalram} + host.totalswap) * unit;
    uint64_t divisor = total > UINT32_MAX ? memory::AddressSpace::page_size : 1;
    auto scaled = [&](unsigned long value) { return static_cast<uint32_t>(std::min<uint64_t>(value * unit / divisor, UINT32_MAX)); };
    o32::Sysinfo guest{};
    guest.uptime = static_cast<int32_t>(host.uptime);
    for (int index = 0; index < 3; ++index)
        guest.loads[index] = static_cast<uint32_t>(host.loads[index]);
    guest.totalram = scaled(host.totalram);
    guest.freeram = scaled(host.freeram);
    guest.sharedram = scaled(host.sharedram);
    guest.bufferram = scaled(host.bufferram);
    guest.totalswap = scaled(host.totalswap);
    guest.freeswap = scaled(host.freeswap);
    guest.procs = host.procs;
    guest.totalhigh = scaled(host.totalhigh);
    guest.freehigh = scaled(host.freehigh);
    guest.mem_unit = static_cast<uint32_t>(divisor);
    return write_guest(process, a[0], guest) ? 0 : -EFAULT;
}

SyscallResult sys_getrlimit(Process& process, const SyscallArguments& a)
{
    std::array<uint64_t, 2> limit;
    if (SyscallResult error = get_limit(process, a[0], limit))
        return error;
    o32::Rlimit32 guest{to_limit32(limit[0]), to_limit32(limit[1])};
    return write_guest(process, a[1], guest) ? 0 : -EFAULT;
}

SyscallResult sys_setrlimit(Process& process, const SyscallArguments& a)
{
    o32::Rlimit32 guest;
    if (!read_guest(process, a[1], guest))
        return -EFAULT;
    return set_limit(process, a[0], {from_limit32(guest.current), from_limit32(guest.maximum)});
}

// prlimit64(pid, resource, new limit, old limit) for this process; other processes' limits are
// the host kernel's business.
SyscallResult sys_prlimit64(Process& process, const SyscallArguments& a)
{
    int32_t pid = static_cast<int32_t>(a[0]);
    o32::Rlimit64 requested;
    if (a[2] != 0 && !read_guest(process, a[2], requested))
        return -EFAULT;
    if (pid != 0 && pid != getpid()) {
        int host = o32::resource_to_host(a[1]);
        if (host < 0)
            return -EINVAL;
        struct rlimit new_limit = {requested.current, requested.maximum}, old_limit;
        if (prlimit(pid, static_cast<__rlimit_resource>(host), a[2] ? &new_limit : nullptr, &old_limit) < 0)
            return -errno;
        o32::Rlimit64 old{old_limit.rlim_cur, old_limit.rlim_max};
        return a[3] == 0 || write_guest(process, a[3], old) ? 0 : -EFAULT;
    }
    std::array<uint64_t, 2> old;
    if (SyscallResult error = get_limit(process, a[1], old))
        return error;
    if (a[2] != 0)
        if (SyscallResult error = set_limit(process, a[1], {requested.current, requested.maximum}))
            return error;
    if (a[3] != 0 && !write_guest(process, a[3], o32::Rlimit64{old[0], old[1]}))
        return -EFAULT;
    return 0;
}

// getrandom(buffer, length, flags): GRND_NONBLOCK and GRND_RANDOM have the host's values. With
// --seed the bytes come from the seeded generator instead.
SyscallResult sys_getrandom(Process& process, const SyscallArguments& a)
{
    uint32_t usable = accessible_length(process, a[0], a[1], memory::ProtectionWrite);
    if (usable == 0 && a[1] != 0)
        return -EFAULT;
    if (process.seeded_random_bytes(process.memory().host_address(a[0]), usable))
        return usable;
    return host_result(getrandom(process.memory().host_address(a[0]), usable, a[2]));
}

// sched_getaffinity(pid, size, mask): returns the bytes written, a multiple of the 32-bit word.
SyscallResult sys_sched_getaffinity(Process& process, const SyscallArguments& a)
{
    if (a[1] & 3)
        return -EINVAL;
    cpu_set_t set;
    long written = syscall(SYS_sched_getaffinity, static_cast<int32_t>(a[0]), sizeof set, &set);
    if (written < 0)
        return -errno;
    // Trim to the words that hold a configured CPU, as the kernel's cpumask_size() would.
    long configured = sysconf(_SC_NPROCESSORS_CONF);
    uint32_t needed = static_cast<uint32_t>((configured + 31) / 32 * 4);
    needed = std::min<uint32_t>(needed, static_cast<uint32_t>(written));
    if (a[1] < needed)
        return -EINVAL;
    if (!process.memory().copy_to_guest(a[2], &set, needed))
        return -EFAULT;
    return needed;
}

SyscallResult sys_sched_yield(Process&, const SyscallArguments&)
{
    sched_yield();
    return 0;
}

SyscallResult sys_sched_getparam(Process& process, const SyscallArguments& a)
{
    struct sched_param parameter;
    if (sched_getparam(static_cast<int32_t>(a[0]), &parameter) < 0)
        return -errno;
    int32_t priority = parameter.sched_priority;
    return write_guest(process, a[1], priority) ? 0 : -EFAULT;
}

SyscallResult sys_sched_getscheduler(Process&, const SyscallArguments& a)
{
    return host_result(sched_getscheduler(static_cast<int32_t>(a[0])));
}

SyscallResult sys_sched_get_priority_max(Process&, const SyscallArguments& a)
{
    return host_result(sched_get_priority_max(static_cast<int>(a[0])));
}

SyscallResult sys_sched_get_priority_min(Process&, const SyscallArguments& a)
{
    return host_result(sched_get_priority_min(static_cast<int>(a[0])));
}

// getcpu(cpu, node, cache): the host CPU and node the calling thread runs on.
SyscallResult sys_getcpu(Process& process, const SyscallArguments& a)
{
    unsigned cpu = 0, node = 0;
    if (syscall(SYS_getcpu, &cpu, &node, nullptr) < 0)
        return -errno;
    if (a[0] != 0 && !write_guest(process, a[0], cpu))
        return -EFAULT;
    if (a[1] != 0 && !write_guest(process, a[1], node))
        return -EFAULT;
    return 0;
}

// getpriority returns the kernel's 40 - nice form; the C library turns it back into a nice value.
SyscallResult sys_getpriority(Process&, const SyscallArguments& a)
{
    return host_result(syscall(SYS_getpriority, a[0], a[1]));
}

SyscallResult sys_setpriority(Process&, const SyscallArguments& a)
{
    return host_result(syscall(SYS_setpriority, a[0], a[1], static_cast<int32_t>(a[2])));
}

// nice(increment): x86-64 has no such call; the same effect through get/setpriority.
SyscallResult sys_nice(Process&, const SyscallArguments& a)
{
    errno = 0;
    int current = getpriority(PRIO_PROCESS, 0);
    if (current == -1 && errno != 0)
        return -errno;
    int requested = std::clamp(current + static_cast<int32_t>(a[0]), -20, 19);
    return host_result(setpriority(PRIO_PROCESS, 0, requested));
}

// personality(persona): recorded only; 0xFFFFFFFF asks for the current one.
SyscallResult sys_personality(Process& process, const SyscallArguments& a)
{
    uint32_t old = process.personality;
    if (a[0] != 0xFFFFFFFF)
        process.personality = a[0];
    return old;
}

} // namespace isomorph::process::syscalls
