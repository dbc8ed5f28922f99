#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace isomorph::process {

// Directory positions a 32-bit program can hold. ext4 (and other file systems that index
// directories by hash) hands a 64-bit process 64-bit positions, while a 32-bit kernel gives a
// 32-bit process 32-bit ones; glibc's readdir without large-file support fails with EOVERFLOW on
// a position above INT32_MAX, so on a 64-bit host every such directory would read as empty. Such
// positions are replaced by cookies from 0x40000000 up, per descriptor, and translated back when
// the guest seeks to them (seekdir). Directories whose positions fit keep them unchanged.
// Guest threads share the table; every member takes its lock.
class DirectoryOffsets {
public:
    static constexpr uint32_t first_cookie = 0x40000000;

    // The position to show the guest for a host position of the directory open on fd.
    int64_t to_guest(int fd, int64_t host_position)
    {
        std::lock_guard lock(m_lock);
        return to_guest_locked(fd, host_position);
    }
    // The same for a position lseek returned: only descriptors that already have cookies (that is,
    // directories) translate, so regular files keep their large offsets.
    int64_t seek_result(int fd, int64_t host_position)
    {
        std::lock_guard lock(m_lock);
        return m_tables.contains(fd) ? to_guest_locked(fd, host_position) : host_position;
    }
    // The host position for a position the guest seeks to, if it is a cookie of fd's.
    std::optional<int64_t> to_host(int fd, int64_t guest_position) const;
    // fd was closed or now names another file.
    void forget(int fd)
    {
        std::lock_guard lock(m_lock);
        m_tables.erase(fd);
    }
    // Descriptors first..last were closed.
    void forget_range(uint32_t first, uint32_t last)
    {
        std::lock_guard lock(m_lock);
        std::erase_if(m_tables, [&](const auto& entry) {
            return static_cast<uint32_t>(entry.first) >= first && static_cast<uint32_t>(entry.first) <= last;
        });
    }

private:
    int64_t to_guest_locked(int fd, int64_t host_position);

    struct Table {
        std::vector<int64_t> positions; // cookie - first_cookie -> host position
        std::unordered_map<int64_t, uint32_t> cookies;
    };
    mutable std::mutex m_lock;
    std::unordered_map<int, Table> m_tables;
};

} // namespace isomorph::process
