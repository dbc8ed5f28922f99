#include "process/directory_offsets.h"

#include <cstdint>

namespace isomorph::process {

int64_t DirectoryOffsets::to_guest_locked(int fd, int64_t host_position)
{
    if (host_position >= 0 && host_position < first_cookie)
        return host_position;
    auto found = m_tables.find(fd);
    if (host_position >= first_cookie && host_position <= INT32_MAX && found == m_tables.end())
        return host_position;
    Table& table = found != m_tables.end() ? found->second : m_tables[fd];
    if (auto cookie = table.cookies.find(host_position); cookie != table.cookies.end())
        return cookie->second;
    if (table.positions.size() >= uint64_t{INT32_MAX} - first_cookie)
        return host_position; // out of cookies: the guest sees what the host said
    uint32_t cookie = first_cookie + static_cast<uint32_t>(table.positions.size());
    table.positions.push_back(host_position);
    table.cookies.emplace(host_position, cookie);
    return cookie;
}

std::optional<int64_t> DirectoryOffsets::to_host(int fd, int64_t guest_position) const
{
    std::lock_guard lock(m_lock);
    auto found = m_tables.find(fd);
    if (found == m_tables.end() || guest_position < first_cookie)
        return std::nullopt;
    uint64_t index = static_cast<uint64_t>(guest_position) - first_cookie;
    if (index >= found->second.positions.size())
        return std::nullopt;
    return found->second.positions[index];
}

} // namespace isomorph::process
