#include "process/syscalls/support.h"

#include <climits>

namespace isomorph::process::syscalls {

uint32_t accessible_length(Process& process, uint32_t address, uint32_t length, uint8_t protection)
{
    auto& memory = process.memory();
    uint64_t end = uint64_t{address} + length;
    uint64_t cursor = address;
    while (cursor < end) {
        if (cursor >= (uint64_t{1} << 32) || !memory.range_has(static_cast<uint32_t>(cursor), 1, protection))
            break;
        cursor = (cursor | (memory::AddressSpace::page_size - 1)) + 1;
    }
    uint32_t accessible = static_cast<uint32_t>(std::min(cursor, end) - address);
    // The host kernel is about to write there: pages an engine watches for code changes must
    // become writable first (memory/address_space.h).
    if ((protection & memory::ProtectionWrite) && accessible != 0)
        memory.unwatch_code(address, accessible);
    return accessible;
}

SyscallResult read_path(Process& process, uint32_t address, std::string& host_path)
{
    auto path = process.memory().read_string(address, PATH_MAX - 1);
    if (!path) {
        // Too long, or not readable at all.
        if (process.memory().read_string(address, 1u << 20))
            return -ENAMETOOLONG;
        return -EFAULT;
    }
    host_path = process.paths().to_host(*path);
    return 0;
}

} // namespace isomorph::process::syscalls
