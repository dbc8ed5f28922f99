// Memory management: brk, the mmap family, mprotect, mremap, madvise, msync, the mlock family
// (accepted, nothing is locked) and MIPS's cacheflush.
//
// Placement: without MAP_FIXED and without a usable hint, mmap looks for room from mmap_base up
// to mmap_limit (below the stack, process/initial_stack.h), then between the program break and
// mmap_base, leaving the break room to grow first. Every change happens under the address space's
// mapping lock, is recorded in the process's MappingTable, and drops translated code for the range.

#include "process/o32/flags.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/support.h"

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace isomorph::process::syscalls {

namespace {

using memory::AddressSpace;
namespace map_flag = o32::map_flag;

// The end of user space for an o32 process on a 32-bit kernel (TASK_SIZE).
constexpr uint64_t task_size = 0x80000000;
constexpr uint32_t page_mask = AddressSpace::page_size - 1;
// How much room above the break mmap leaves before it falls back to the space below mmap_base.
constexpr uint32_t break_headroom = 64u << 20;

uint8_t protection_from_guest(uint32_t prot)
{
    return static_cast<uint8_t>(prot & (memory::ProtectionRead | memory::ProtectionWrite | memory::ProtectionExecute));
}

bool range_free(const AddressSpace& memory, uint32_t address, uint32_t length)
{
    auto found = memory.find_free(length, address, static_cast<uint32_t>(std::min<uint64_t>(task_size, uint64_t{address} + length)));
    return found && *found == address;
}

// Room for length bytes: at the hint when that range is free (Linux honours any free hint above
// mmap_min_addr), else the first fit in the mmap area, else above the break.
std::optional<uint32_t> find_room(Process& process, uint32_t hint, uint32_t length)
{
    constexpr uint32_t mmap_min_addr = 0x10000;
    auto& memory = process.memory();
    if (hint >= mmap_min_addr && uint64_t{hint} + length <= task_size && range_free(memory, hint, length))
        return hint;
    if (auto found = memory.find_free(length, process.mmap_base, Process::mmap_limit))
        return found;
    uint32_t above_break = AddressSpace::round_up_to_page(process.break_end);
    if (uint64_t{above_break} + break_headroom < process.mmap_base)
        if (auto found = memory.find_free(length, above_break + break_headroom, process.mmap_base))
            return found;
    return memory.find_free(length, above_break, process.mmap_base);
}

void forget(Process& process, uint32_t address, uint32_t length)
{
    process.mappings().remove(address, length);
    process.engine().invalidate_code(address, length);
}

// MAP_SHARED | MAP_ANONYMOUS: backed by a memory file, so that it stays shared with children.
int map_shared_anonymous(AddressSpace& memory, uint32_t address, uint32_t length, uint8_t protection)
{
    int fd = memfd_create("isomorph-shared-anonymous", MFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    int result = ftruncate(fd, length) < 0 ? -errno : memory.map_file(address, length, protection, fd, 0, true);
    close(fd);
    return result;
}

SyscallResult map(Process& process, uint32_t address, uint32_t length, uint32_t prot, uint32_t flags, int fd,
                  uint64_t offset)
{
    uint32_t type = flags & map_flag::type_mask;
    if (type != map_flag::shared && type != map_flag::private_ && type != map_flag::shared_validate)
        return -EINVAL;
    if (length == 0 || (offset & page_mask))
        return -EINVAL;
    if (length > task_size)
        return -ENOMEM;
    length = AddressSpace::round_up_to_page(length);
    bool anonymous = flags & map_flag::anonymous;
    bool shared = type != map_flag::private_;
    uint8_t protection = protection_from_guest(prot);

    std::string name;
    if (!anonymous) {
        struct stat status;
        if (fstat(fd, &status) < 0)
            return -EBADF;
        if (S_ISDIR(status.st_mode))
            return -ENODEV;
        int access = fcntl(fd, F_GETFL);
        if ((access & O_ACCMODE) == O_WRONLY)
            return -EACCES;
        if (shared && (prot & memory::ProtectionWrite) && (access & O_ACCMODE) != O_RDWR)
            return -EACCES;
        char link[64];
        std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        char target[4096];
        ssize_t target_length = readlink(link, target, sizeof target - 1);
        if (target_length > 0)
            name.assign(target, static_cast<size_t>(target_length));
    }

    auto& memory = process.memory();
    std::lock_guard lock(memory.mapping_lock());
    bool fixed = flags & (map_flag::fixed | map_flag::fixed_noreplace);
    if (fixed) {
        if (address & page_mask)
            return -EINVAL;
        if (uint64_t{address} + length > task_size)
            return -ENOMEM;
        if ((flags & map_flag::fixed_noreplace) && !range_free(memory, address, length))
            return -EEXIST;
    } else {
        auto room = find_room(process, address & ~page_mask, length);
        if (!room)
            return -ENOMEM;
        address = *room;
    }

    int result;
    if (anonymous)
        result = shared ? map_shared_anonymous(memory, address, length, protection)
                        : memory.map_anonymous(address, length, protection);
    else
        result = memory.map_file(address, length, protection, fd, offset, shared);
    if (result < 0)
        return result;
    forget(process, address, length);
    Mapping mapping;
    mapping.start = address;
    mapping.length = length;
    mapping.protection = protection;
    mapping.shared = shared;
    mapping.anonymous = anonymous;
    mapping.file_offset = anonymous ? 0 : offset;
    mapping.name = name;
    process.mappings().insert(mapping);
    return address;
}

// Moves [old_address, + old_length) to [new_address, + new_length), keeping each page's
// protection; the caller holds the mapping lock and has checked the ranges.
SyscallResult move_mapping(Process& process, uint32_t old_address, uint32_t old_length, uint32_t new_address,
                           uint32_t new_length)
{
    auto& memory = process.memory();
    std::vector<uint8_t> protections(old_length / AddressSpace::page_size);
    for (size_t page = 0; page < protections.size(); ++page)
        protections[page] = memory.protection(old_address + static_cast<uint32_t>(page * AddressSpace::page_size)) &
                            (memory::ProtectionRead | memory::ProtectionWrite | memory::ProtectionExecute);
    uint8_t last_protection = protections.empty() ? 0 : protections.back();

    // Claim the new range in the page table first, then move the host pages over it. The kernel
    // moves the pages (file-backed ones stay file-backed) when the old range is one host mapping;
    // otherwise the readable contents are copied.
    if (int error = memory.map_anonymous(new_address, new_length, memory::ProtectionRead | memory::ProtectionWrite))
        return error;
    uint32_t moved_length = std::min(old_length, new_length);
    void* moved = mremap(memory.host_address(old_address), old_length, new_length, MREMAP_MAYMOVE | MREMAP_FIXED,
                         memory.host_address(new_address));
    if (moved == MAP_FAILED) {
        for (size_t page = 0; page < moved_length / AddressSpace::page_size; ++page) {
            uint32_t offset = static_cast<uint32_t>(page * AddressSpace::page_size);
            if (protections[page] & (memory::ProtectionRead | memory::ProtectionExecute))
                std::memcpy(memory.host_address(new_address + offset), memory.host_address(old_address + offset),
                            AddressSpace::page_size);
        }
    }
    for (uint32_t offset = 0; offset < new_length; offset += AddressSpace::page_size) {
        size_t page = offset / AddressSpace::page_size;
        memory.protect(new_address + offset, AddressSpace::page_size,
                       page < protections.size() ? protections[page] : last_protection);
    }
    memory.unmap(old_address, old_length);

    Mapping mapping;
    if (const Mapping* old = process.mappings().find(old_address))
        mapping = *old;
    mapping.start = new_address;
    mapping.length = new_length;
    mapping.protection = protections.empty() ? 0 : protections.front();
    forget(process, old_address, old_length);
    forget(process, new_address, new_length);
    process.mappings().insert(mapping);
    return new_address;
}

} // namespace

// brk(end): grows or shrinks the heap; always returns the current break, as Linux does.
SyscallResult sys_brk(Process& process, const SyscallArguments& a)
{
    uint32_t requested = a[0];
    auto& memory = process.memory();
    std::lock_guard lock(memory.mapping_lock());
    if (requested < process.break_start || requested >= Process::mmap_limit)
        return process.break_end;
    uint32_t old_top = AddressSpace::round_up_to_page(process.break_end);
    uint32_t new_top = AddressSpace::round_up_to_page(requested);
    if (new_top > old_top) {
        if (!range_free(memory, old_top, new_top - old_top))
            return process.break_end;
        if (memory.map_anonymous(old_top, new_top - old_top, memory::ProtectionRead | memory::ProtectionWrite) != 0)
            return process.break_end;
    } else if (new_top < old_top) {
        memory.unmap(new_top, old_top - new_top);
        process.engine().invalidate_code(new_top, old_top - new_top);
    }
    process.break_end = requested;
    return process.break_end;
}

// mmap(address, length, prot, flags, fd, offset): the o32 form takes the offset in bytes.
SyscallResult sys_mmap(Process& process, const SyscallArguments& a)
{
    return map(process, a[0], a[1], a[2], a[3], descriptor(a[4]), a[5]);
}

// mmap2(address, length, prot, flags, fd, offset in 4096-byte units).
SyscallResult sys_mmap2(Process& process, const SyscallArguments& a)
{
    return map(process, a[0], a[1], a[2], a[3], descriptor(a[4]), uint64_t{a[5]} * AddressSpace::page_size);
}

SyscallResult sys_munmap(Process& process, const SyscallArguments& a)
{
    uint32_t address = a[0];
    if ((address & page_mask) || a[1] == 0 || uint64_t{address} + a[1] > task_size)
        return -EINVAL;
    uint32_t length = AddressSpace::round_up_to_page(a[1]);
    auto& memory = process.memory();
    std::lock_guard lock(memory.mapping_lock());
    if (int error = memory.unmap(address, length))
        return error;
    forget(process, address, length);
    return 0;
}

SyscallResult sys_mprotect(Process& process, const SyscallArguments& a)
{
    uint32_t address = a[0];
    if (address & page_mask)
        return -EINVAL;
    // PROT_READ, PROT_WRITE, PROT_EXEC, PROT_SEM, PROT_GROWSDOWN and PROT_GROWSUP.
    if (a[2] & ~uint32_t{0x7 | 0x10 | 0x03000000})
        return -EINVAL;
    if (uint64_t{address} + a[1] > task_size)
        return -ENOMEM;
    uint32_t length = AddressSpace::round_up_to_page(a[1]);
    if (length == 0)
        return 0;
    uint8_t protection = protection_from_guest(a[2]);
    auto& memory = process.memory();
    std::lock_guard lock(memory.mapping_lock());
    if (int error = memory.protect(address, length, protection))
        return error;
    process.mappings().protect(address, length, protection);
    process.engine().invalidate_code(address, length);
    return 0;
}

// mremap(old address, old length, new length, flags, new address)
SyscallResult sys_mremap(Process& process, const SyscallArguments& a)
{
    constexpr uint32_t may_move = 1, fixed = 2, dont_unmap = 4;
    uint32_t old_address = a[0], flags = a[3], new_address = a[4];
    if ((old_address & page_mask) || (flags & ~(may_move | fixed | dont_unmap)))
        return -EINVAL;
    if ((flags & fixed) && !(flags & may_move))
        return -EINVAL;
    if (flags & dont_unmap)
        return -EINVAL; // MREMAP_DONTUNMAP is not supported
    if (a[2] == 0 || uint64_t{a[2]} > task_size || uint64_t{old_address} + a[1] > task_size)
        return -EINVAL;
    uint32_t old_length = AddressSpace::round_up_to_page(a[1]);
    uint32_t new_length = AddressSpace::round_up_to_page(a[2]);
    if (old_length == 0)
        return -EINVAL; // duplicating shared mappings with a zero old length is not supported
    auto& memory = process.memory();
    std::lock_guard lock(memory.mapping_lock());
    if (!memory.range_has(old_address, old_length, 0))
        return -EFAULT;

    if (flags & fixed) {
        if ((new_address & page_mask) || uint64_t{new_address} + new_length > task_size)
            return -EINVAL;
        if (uint64_t{new_address} < uint64_t{old_address} + old_length &&
            uint64_t{old_address} < uint64_t{new_address} + new_length)
            return -EINVAL;
        memory.unmap(new_address, new_length);
        forget(process, new_address, new_length);
        return move_mapping(process, old_address, old_length, new_address, new_length);
    }
    if (new_length <= old_length) {
        if (new_length < old_length) {
            memory.unmap(old_address + new_length, old_length - new_length);
            forget(process, old_address + new_length, old_length - new_length);
        }
        return old_address;
    }
    // Grow in place when the pages after the mapping are free and the mapping is anonymous.
    uint32_t tail = old_address + old_length;
    const Mapping* mapping = process.mappings().find(old_address + old_length - 1);
    bool anonymous = mapping == nullptr || mapping->anonymous;
    if (anonymous && uint64_t{old_address} + new_length <= task_size && range_free(memory, tail, new_length - old_length)) {
        uint8_t protection = memory.protection(tail - 1) &
                             (memory::ProtectionRead | memory::ProtectionWrite | memory::ProtectionExecute);
        if (int error = memory.map_anonymous(tail, new_length - old_length, protection))
            return error;
        if (mapping != nullptr) {
            Mapping grown = *mapping;
            grown.length += new_length - old_length;
            process.mappings().insert(grown);
        }
        return old_address;
    }
    if (!(flags & may_move))
        return -ENOMEM;
    auto room = find_room(process, 0, new_length);
    if (!room)
        return -ENOMEM;
    return move_mapping(process, old_address, old_length, *room, new_length);
}

// madvise: MADV_DONTNEED drops the pages (anonymous memory reads back as zeros, private file
// pages as the file), every other advice is accepted and ignored.
SyscallResult sys_madvise(Process& process, const SyscallArguments& a)
{
    constexpr uint32_t dont_need = 4;
    uint32_t address = a[0];
    if (address & page_mask)
        return -EINVAL;
    uint32_t length = AddressSpace::round_up_to_page(a[1]);
    if (length == 0)
        return 0;
    auto& memory = process.memory();
    std::lock_guard lock(memory.mapping_lock());
    if (!memory.range_has(address, length, 0))
        return -ENOMEM;
    if (a[2] == dont_need && madvise(memory.host_address(address), length, MADV_DONTNEED) < 0)
        return -errno;
    return 0;
}

SyscallResult sys_msync(Process& process, const SyscallArguments& a)
{
    uint32_t address = a[0];
    if (address & page_mask)
        return -EINVAL;
    uint32_t length = AddressSpace::round_up_to_page(a[1]);
    if (length == 0)
        return 0;
    if (!process.memory().range_has(address, length, 0))
        return -ENOMEM;
    return host_result(msync(process.memory().host_address(address), length, static_cast<int>(a[2])));
}

// The mlock family: nothing is locked on the host; Linux would only fail for lack of privilege.
SyscallResult sys_mlock(Process&, const SyscallArguments&) { return 0; }
SyscallResult sys_munlock(Process&, const SyscallArguments&) { return 0; }
SyscallResult sys_mlockall(Process&, const SyscallArguments&) { return 0; }
SyscallResult sys_munlockall(Process&, const SyscallArguments&) { return 0; }
SyscallResult sys_mlock2(Process&, const SyscallArguments&) { return 0; }

// cacheflush(address, bytes, cache): code in the range may have changed; translations of it are
// dropped.
SyscallResult sys_cacheflush(Process& process, const SyscallArguments& a)
{
    if (uint64_t{a[0]} + a[1] > task_size)
        return -EFAULT;
    process.engine().invalidate_code(a[0], a[1]);
    return 0;
}

// cachectl: Linux/MIPS has never implemented it.
SyscallResult sys_cachectl(Process&, const SyscallArguments&) { return -EINVAL; }

} // namespace isomorph::process::syscalls
