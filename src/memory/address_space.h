#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace isomorph::memory {

// Guest page protections. Execute is tracked here only: host pages are never executable.
enum Protection : uint8_t {
    ProtectionNone = 0,
    ProtectionRead = 1,
    ProtectionWrite = 2,
    ProtectionExecute = 4,
};

// A 32-bit user address space: one host reservation of 4 GiB plus a guard, so that a guest
// address maps to host_base() + zero-extended address. Unmapped guest pages are inaccessible
// host pages; an access to them raises a host fault, which the engines turn into a guest fault
// (memory/host_fault.h). The page table mirrors the guest's view of every page.
class AddressSpace {
public:
    static constexpr uint32_t page_size = 4096;
    static constexpr unsigned page_shift = 12;
    static constexpr uint64_t reservation_size = (uint64_t{1} << 32) + (uint64_t{1} << 16);

    AddressSpace();
    ~AddressSpace();
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    uint8_t* host_base() const { return m_base; }
    uint8_t* host_address(uint32_t address) const { return m_base + address; }
    bool contains_host_address(const void* host) const
    {
        auto* byte = static_cast<const uint8_t*>(host);
        return byte >= m_base && byte < m_base + reservation_size;
    }

    // Raw accesses for the engines. They fault on the host if the page is not accessible.
    template <class T> T read(uint32_t address) const
    {
        T value;
        std::memcpy(&value, m_base + address, sizeof value);
        return value;
    }
    template <class T> void write(uint32_t address, T value) { std::memcpy(m_base + address, &value, sizeof value); }

    uint8_t protection(uint32_t address) const { return static_cast<uint8_t>(page_entry(address >> page_shift) & ~CodeWatched); }
    bool is_mapped(uint32_t address) const { return page_entry(address >> page_shift) & Mapped; }

    // Checked accesses for the system-call layer: they consult the page table and never fault.
    bool range_has(uint32_t address, uint32_t length, uint8_t protection) const;
    bool copy_from_guest(void* destination, uint32_t address, size_t length) const;
    bool copy_to_guest(uint32_t address, const void* source, size_t length);
    // A NUL-terminated string of at most max_length bytes; nothing if it is not readable.
    std::optional<std::string> read_string(uint32_t address, size_t max_length = 4096) const;

    // Mapping. Lengths are rounded up to whole pages; results are 0 or a negative errno.
    int map_anonymous(uint32_t address, uint32_t length, uint8_t protection);
    int map_file(uint32_t address, uint32_t length, uint8_t protection, int fd, uint64_t offset, bool shared);
    int unmap(uint32_t address, uint32_t length);
    int protect(uint32_t address, uint32_t length, uint8_t protection);
    // The lowest free range of length bytes at or above hint and below limit.
    std::optional<uint32_t> find_free(uint32_t length, uint32_t hint, uint32_t limit) const;

    // Serialises changes to the mappings between guest threads.
    std::mutex& mapping_lock() { return m_mapping_lock; }

    // Around a host fork while other guest threads run: every lock of the address space, and
    // those of the engines that use it, taken in the order their users nest them (mappings, code
    // listeners, then lock_engines, then code watches) so that the child inherits none held.
    template <class LockEngines> void lock_for_fork(LockEngines lock_engines)
    {
        m_mapping_lock.lock();
        m_listener_lock.lock();
        lock_engines();
        m_code_lock.lock();
    }
    template <class UnlockEngines> void unlock_after_fork(UnlockEngines unlock_engines)
    {
        m_code_lock.unlock();
        unlock_engines();
        m_listener_lock.unlock();
        m_mapping_lock.unlock();
    }

    // Code pages. An engine that keeps code decoded or translated from a page watches the page
    // first: its host mapping loses write access, so a guest store to it faults on the host. The
    // fault handler (memory/host_fault.cpp) then unwatches the page, which gives write access back
    // and tells every code listener to drop what it derived from the page, and the store is retried.
    // Mapping, unmapping or protecting a watched page, and copy_to_guest into one, unwatch it too.
    // Listeners run on the thread that changed the page, possibly inside its SIGSEGV handler; they
    // must not call back into these members.
    using CodeListener = void (*)(void* owner, uint32_t address, uint32_t length);
    static constexpr unsigned max_code_listeners = 8;
    void add_code_listener(CodeListener listener, void* owner);
    void remove_code_listener(void* owner);
    // Watches the page holding address. Read the code only after this returns.
    void watch_code(uint32_t address);
    bool is_code_watched(uint32_t address) const
    {
        return page_entry(address >> page_shift) & CodeWatched;
    }
    // Unwatches every watched page in [address, address + length) and, if there was one, tells the
    // listeners. Call it before the host writes guest memory other than through a guest store, for
    // example before a system call lets the kernel write into a guest buffer.
    void unwatch_code(uint32_t address, uint32_t length);
    // Returns once no other thread is watching or unwatching a page (the host fault handler's
    // way to let a change of a page's host protection finish before it retries a store).
    void wait_for_code_watch_changes();

    static uint32_t round_up_to_page(uint64_t length)
    {
        return static_cast<uint32_t>((length + page_size - 1) & ~uint64_t{page_size - 1});
    }

private:
    static constexpr uint8_t Mapped = 0x80;
    static constexpr uint8_t CodeWatched = 0x40;
    bool clear_code_watch(uint32_t address, uint32_t length, bool restore_host_protection);
    void notify_code_listeners(uint32_t address, uint32_t length);
    void set_pages(uint32_t address, uint32_t length, uint8_t value);
    static int host_protection(uint8_t protection);

    uint8_t* m_base = nullptr;
    // Guest threads read the page table while another one maps or protects pages, so every
    // entry is read and written as a (relaxed) atomic byte: a plain byte move on the host.
    uint8_t page_entry(uint64_t page) const { return __atomic_load_n(&m_pages[page], __ATOMIC_RELAXED); }
    void set_page_entry(uint64_t page, uint8_t value) { __atomic_store_n(&m_pages[page], value, __ATOMIC_RELAXED); }

    // One byte per 4 KiB page: Mapped | Protection bits. Anonymous memory the kernel zeroes on
    // first touch: a process start pays only for the pages of the table its mappings reach, not
    // for clearing a whole megabyte.
    uint8_t* m_pages = nullptr;
    std::mutex m_mapping_lock;
    // m_code_lock orders watching against unwatching and mapping changes; m_listener_lock keeps a
    // listener from being removed while it is being told about a change.
    std::mutex m_code_lock;
    std::mutex m_listener_lock;
    struct CodeListenerSlot {
        CodeListener listener = nullptr;
        void* owner = nullptr;
    };
    CodeListenerSlot m_code_listeners[max_code_listeners];
};

} // namespace isomorph::memory
