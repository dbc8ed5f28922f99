#pragma once

#include "memory/address_space.h"

#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace isomorph::memory {

// Turns host faults on guest memory into guest faults. While a FaultScope is active on a thread,
// a SIGSEGV or SIGBUS whose address lies in the scope's address space jumps back to the scope's
// recovery point (sigsetjmp on buffer) with the guest address and access kind recorded.
// One exception: a write the guest may make to a page watched for code (AddressSpace::watch_code)
// unwatches the page, which tells the engines to drop their code for it, and retries the write
// (unless the scope says its writes never meet watched pages, as copy_to_guest's, which clears the
// watches under the code lock first). Faults anywhere else are host bugs and crash as usual.
struct GuestFault {
    uint32_t address = 0;
    bool write = false;
    // The host's instruction pointer and general-purpose registers at the fault (indexed as
    // x86-64 encodes them: rax = 0, rcx = 1, ... r15 = 15), for an engine whose translated code
    // keeps state in registers.
    uint64_t host_instruction_pointer = 0;
    uint64_t host_registers[16] = {};
};

enum class WatchedWrites {
    Retry, // unwatch a watched page and retry the write
    Fail,  // the scope has unwatched what it writes: any write fault is a real one
};

class FaultScope {
public:
    explicit FaultScope(AddressSpace& space, WatchedWrites watched_writes = WatchedWrites::Retry);
    ~FaultScope();
    FaultScope(const FaultScope&) = delete;
    FaultScope& operator=(const FaultScope&) = delete;

    sigjmp_buf buffer;
    GuestFault fault;
    AddressSpace& space;
    WatchedWrites watched_writes;

private:
    FaultScope* m_previous;
};

// Jumps to the innermost active scope's recovery point with value (non-zero).
[[noreturn]] void jump_to_recovery_point(int value);

// memcpy to or from guest memory that the system-call layer has checked in the page table but
// that another guest thread may unmap or protect before the access: a host fault on space makes
// it return false instead of crashing the emulator.
bool copy_guarded(AddressSpace& space, void* destination, const void* source, size_t length,
                  WatchedWrites watched_writes);

} // namespace isomorph::memory
