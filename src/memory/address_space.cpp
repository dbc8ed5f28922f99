#include "memory/address_space.h"

#include "memory/host_fault.h"

#include <cerrno>
#include <stdexcept>
#include <sys/mman.h>

namespace isomorph::memory {

namespace {
constexpr uint64_t page_count = uint64_t{1} << 20;
}

AddressSpace::AddressSpace()
{
    void* pages = mmap(nullptr, page_count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (pages == MAP_FAILED)
        throw std::runtime_error("cannot allocate the guest's page table");
    m_pages = static_cast<uint8_t*>(pages);
    void* base = mmap(nullptr, reservation_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        munmap(m_pages, page_count);
        throw std::runtime_error("cannot reserve the guest's 4 GiB address space");
    }
    m_base = static_cast<uint8_t*>(base);
}

AddressSpace::~AddressSpace()
{
    munmap(m_base, reservation_size);
    munmap(m_pages, page_count);
}

int AddressSpace::host_protection(uint8_t protection)
{
    int host = PROT_NONE;
    if (protection & (ProtectionRead | ProtectionExecute))
        host |= PROT_READ;
    if (protection & ProtectionWrite)
        host |= PROT_READ | PROT_WRITE;
    return host;
}

void AddressSpace::set_pages(uint32_t address, uint32_t length, uint8_t value)
{
    uint64_t first = address >> page_shift;
    uint64_t last = (uint64_t{address} + length + page_size - 1) >> page_shift;
    for (uint64_t page = first; page < last && page < page_count; ++page)
        set_page_entry(page, value);
}

bool AddressSpace::range_has(uint32_t address, uint32_t length, uint8_t protection) const
{
    if (length == 0)
        return true;
    uint64_t end = uint64_t{address} + length;
    if (end > (uint64_t{1} << 32))
        return false;
    for (uint64_t page = address >> page_shift; page <= (end - 1) >> page_shift; ++page) {
        uint8_t entry = page_entry(page);
        if (!(entry & Mapped) || (entry & protection) != protection)
            return false;
    }
    return true;
}

bool AddressSpace::copy_from_guest(void* destination, uint32_t address, size_t length) const
{
    if (length > UINT32_MAX || !range_has(address, static_cast<uint32_t>(length), ProtectionRead))
        return false;
    if (length == 0)
        return true; // memcpy may not be given a null pointer, even for no bytes
    // The page table said readable, but another guest thread may unmap the range meanwhile.
    return copy_guarded(const_cast<AddressSpace&>(*this), destination, m_base + address, length, WatchedWrites::Retry);
}

bool AddressSpace::copy_to_guest(uint32_t address, const void* source, size_t length)
{
    if (length > UINT32_MAX || !range_has(address, static_cast<uint32_t>(length), ProtectionWrite))
        return false;
    if (length == 0)
        return true; // memcpy may not be given a null pointer, even for no bytes
    // Unwatched and written under the code lock, so that no engine on another thread can watch
    // a page again (making it read-only on the host) between the two.
    std::unique_lock lock(m_code_lock);
    bool found = clear_code_watch(address, static_cast<uint32_t>(length), true);
    // The page table said writable, but another guest thread may unmap the range meanwhile.
    bool copied = copy_guarded(*this, m_base + address, source, length, WatchedWrites::Fail);
    lock.unlock();
    if (found)
        notify_code_listeners(address, static_cast<uint32_t>(length));
    return copied;
}

std::optional<std::string> AddressSpace::read_string(uint32_t address, size_t max_length) const
{
    std::string result;
    uint64_t cursor = address;
    while (result.size() < max_length) {
        if (cursor >= (uint64_t{1} << 32) || !range_has(static_cast<uint32_t>(cursor), 1, ProtectionRead))
            return std::nullopt;
        // Copy up to the end of this page at once.
        uint64_t page_end = (cursor | (page_size - 1)) + 1;
        const char* start = reinterpret_cast<const char*>(m_base + cursor);
        size_t available = static_cast<size_t>(page_end - cursor);
        // The page table said readable, but another guest thread may unmap the page meanwhile:
        // the page's rest is copied under a fault scope, and the string measured in the copy.
        char copy[page_size];
        if (!copy_guarded(const_cast<AddressSpace&>(*this), copy, start, available, WatchedWrites::Retry))
            return std::nullopt;
        size_t length = strnlen(copy, available);
        result.append(copy, length);
        if (length < available)
            return result.size() <= max_length ? std::optional<std::string>(result) : std::nullopt;
        cursor = page_end;
    }
    return std::nullopt;
}

int AddressSpace::map_anonymous(uint32_t address, uint32_t length, uint8_t protection)
{
    length = round_up_to_page(length);
    if (length == 0 || uint64_t{address} + length > (uint64_t{1} << 32))
        return -EINVAL;
    std::unique_lock code_lock(m_code_lock);
    bool had_code = clear_code_watch(address, length, false);
    void* result = mmap(m_base + address, length, host_protection(protection),
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    if (result == MAP_FAILED)
        return -errno;
    set_pages(address, length, Mapped | protection);
    code_lock.unlock();
    if (had_code)
        notify_code_listeners(address, length);
    return 0;
}

int AddressSpace::map_file(uint32_t address, uint32_t length, uint8_t protection, int fd, uint64_t offset, bool shared)
{
    length = round_up_to_page(length);
    if (length == 0 || uint64_t{address} + length > (uint64_t{1} << 32))
        return -EINVAL;
    std::unique_lock code_lock(m_code_lock);
    bool had_code = clear_code_watch(address, length, false);
    void* result = mmap(m_base + address, length, host_protection(protection),
                        (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, fd, static_cast<off_t>(offset));
    if (result == MAP_FAILED) {
        int error = errno;
        code_lock.unlock();
        if (had_code)
            notify_code_listeners(address, length);
        return -error;
    }
    set_pages(address, length, Mapped | protection);
    code_lock.unlock();
    if (had_code)
        notify_code_listeners(address, length);
    return 0;
}

int AddressSpace::unmap(uint32_t address, uint32_t length)
{
    length = round_up_to_page(length);
    if (length == 0 || uint64_t{address} + length > (uint64_t{1} << 32))
        return -EINVAL;
    std::unique_lock code_lock(m_code_lock);
    bool had_code = clear_code_watch(address, length, false);
    void* result = mmap(m_base + address, length, PROT_NONE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    if (result == MAP_FAILED)
        return -errno;
    set_pages(address, length, 0);
    code_lock.unlock();
    if (had_code)
        notify_code_listeners(address, length);
    return 0;
}

int AddressSpace::protect(uint32_t address, uint32_t length, uint8_t protection)
{
    length = round_up_to_page(length);
    if (uint64_t{address} + length > (uint64_t{1} << 32))
        return -EINVAL;
    for (uint64_t offset = 0; offset < length; offset += page_size)
        if (!is_mapped(static_cast<uint32_t>(address + offset)))
            return -ENOMEM;
    std::unique_lock code_lock(m_code_lock);
    bool had_code = clear_code_watch(address, length, true);
    int result = 0;
    if (length != 0 && mprotect(m_base + address, length, host_protection(protection)) != 0)
        result = -errno;
    else
        set_pages(address, length, Mapped | protection);
    code_lock.unlock();
    if (had_code)
        notify_code_listeners(address, length);
    return result;
}

std::optional<uint32_t> AddressSpace::find_free(uint32_t length, uint32_t hint, uint32_t limit) const
{
    length = round_up_to_page(length);
    if (length == 0)
        return std::nullopt;
    uint64_t start = hint & ~(page_size - 1);
    uint64_t run = 0;
    for (uint64_t address = start; address < limit; address += page_size) {
        if (page_entry(address >> page_shift) & Mapped) {
            run = 0;
            start = address + page_size;
            continue;
        }
        run += page_size;
        if (run >= length)
            return static_cast<uint32_t>(start);
    }
    return std::nullopt;
}

// ---- Code pages --------------------------------------------------------------------------------

void AddressSpace::add_code_listener(CodeListener listener, void* owner)
{
    std::lock_guard lock(m_listener_lock);
    for (CodeListenerSlot& slot : m_code_listeners) {
        if (slot.listener == nullptr) {
            slot = {listener, owner};
            return;
        }
    }
    throw std::runtime_error("too many code listeners on one address space");
}

void AddressSpace::remove_code_listener(void* owner)
{
    std::lock_guard lock(m_listener_lock);
    for (CodeListenerSlot& slot : m_code_listeners)
        if (slot.owner == owner)
            slot = {};
}

void AddressSpace::notify_code_listeners(uint32_t address, uint32_t length)
{
    std::lock_guard lock(m_listener_lock);
    for (const CodeListenerSlot& slot : m_code_listeners)
        if (slot.listener != nullptr)
            slot.listener(slot.owner, address, length);
}

void AddressSpace::watch_code(uint32_t address)
{
    std::lock_guard lock(m_code_lock);
    uint64_t page_number = address >> page_shift;
    uint8_t entry = page_entry(page_number);
    if ((entry & CodeWatched) || !(entry & Mapped))
        return;
    uint32_t page = address & ~(page_size - 1);
    // The mark comes before the host protection and goes after it (clear_code_watch): a guest
    // store that faults on the page, on any thread, finds the page marked for as long as the host
    // denies the write, and knows to unwatch it rather than take the fault for a real one.
    __atomic_fetch_or(&m_pages[page_number], CodeWatched, __ATOMIC_SEQ_CST); // read without the lock by is_code_watched
    if ((entry & ProtectionWrite) && mprotect(m_base + page, page_size, PROT_READ) != 0)
        __atomic_fetch_and(&m_pages[page_number], static_cast<uint8_t>(~CodeWatched), __ATOMIC_SEQ_CST); // left unwatched: the caller must not keep code for it
}

void AddressSpace::wait_for_code_watch_changes()
{
    std::lock_guard lock(m_code_lock);
}

bool AddressSpace::clear_code_watch(uint32_t address, uint32_t length, bool restore_host_protection)
{
    bool found = false;
    uint64_t first = address >> page_shift;
    uint64_t last = (uint64_t{address} + length + page_size - 1) >> page_shift;
    if (length == 0)
        last = first + 1; // the page holding address
    for (uint64_t page = first; page < last && page < page_count; ++page) {
        uint8_t entry = page_entry(page);
        if (!(entry & CodeWatched))
            continue;
        if (restore_host_protection && (entry & ProtectionWrite))
            mprotect(m_base + (page << page_shift), page_size, host_protection(entry & ~CodeWatched));
        __atomic_fetch_and(&m_pages[page], static_cast<uint8_t>(~CodeWatched), __ATOMIC_SEQ_CST);
        found = true;
    }
    return found;
}

void AddressSpace::unwatch_code(uint32_t address, uint32_t length)
{
    std::unique_lock lock(m_code_lock);
    bool found = clear_code_watch(address, length, true);
    lock.unlock();
    if (found)
        notify_code_listeners(address, length);
}

} // namespace isomorph::memory
