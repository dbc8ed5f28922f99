#pragma once

#include "memory/address_space.h"

#include <csetjmp>
#include <cstdint>

namespace isomorph::memory {

// Turns host faults on guest memory into guest faults. While a FaultScope is active on a thread,
// a SIGSEGV or SIGBUS whose address lies in the scope's address space jumps back to the scope's
// recovery point (sigsetjmp on buffer) with the guest address and access kind recorded.
// One exception: a write the guest may make to a page watched for code (AddressSpace::watch_code)
// unwatches the page, which tells the engines to drop their code for it, and retries the write.
// Faults anywhere else are host bugs and crash as usual.
struct GuestFault {
    uint32_t address = 0;
    bool write = false;
};

class FaultScope {
public:
    explicit FaultScope(AddressSpace& space);
    ~FaultScope();
    FaultScope(const FaultScope&) = delete;
    FaultScope& operator=(const FaultScope&) = delete;

    sigjmp_buf buffer;
    GuestFault fault;
    AddressSpace& space;

private:
    FaultScope* m_previous;
};

// Jumps to the innermost active scope's recovery point with value (non-zero).
[[noreturn]] void jump_to_recovery_point(int value);

} // namespace isomorph::memory
