#include "memory/host_fault.h"

#include <csignal>
#include <cstring>
#include <mutex>
#include <ucontext.h>

namespace isomorph::memory {

namespace {

thread_local FaultScope* current_scope = nullptr;
thread_local uint64_t retried_address = UINT64_MAX;
struct sigaction previous_segv;
struct sigaction previous_bus;

void handle_host_fault(int signal, siginfo_t* info, void* context)
{
    FaultScope* scope = current_scope;
    if (scope != nullptr && scope->space.contains_host_address(info->si_addr)) {
        auto offset = static_cast<uint64_t>(static_cast<uint8_t*>(info->si_addr) - scope->space.host_base());
        auto address = static_cast<uint32_t>(offset);
        // Bit 1 of the x86 page-fault error code tells a write from a read.
        auto* machine = static_cast<ucontext_t*>(context);
        bool write = (machine->uc_mcontext.gregs[REG_ERR] & 2) != 0;
        // A store the guest may make, to a page that is read-only on the host only because an engine
        // keeps code decoded from it: drop that code, give write access back and retry the store.
        if (signal == SIGSEGV && write && scope->watched_writes == WatchedWrites::Retry && offset < (uint64_t{1} << 32) &&
            (scope->space.protection(address) & ProtectionWrite) && scope->space.is_mapped(address)) {
            if (scope->space.is_code_watched(address)) {
                retried_address = UINT64_MAX;
                scope->space.unwatch_code(address & ~(AddressSpace::page_size - 1), AddressSpace::page_size);
                return;
            }
            // Another thread may have unwatched the page between our fault and this check: let
            // any change of its protection finish, then retry once; a second fault at the same
            // address is a real one.
            if (retried_address != offset) {
                retried_address = offset;
                scope->space.wait_for_code_watch_changes();
                return;
            }
        }
        retried_address = UINT64_MAX;
        scope->fault.address = address;
        scope->fault.write = write;
        const greg_t* registers = machine->uc_mcontext.gregs;
        scope->fault.host_instruction_pointer = static_cast<uint64_t>(registers[REG_RIP]);
        constexpr int by_encoding[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                         REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
        for (unsigned index = 0; index < 16; ++index)
            scope->fault.host_registers[index] = static_cast<uint64_t>(registers[by_encoding[index]]);
        siglongjmp(scope->buffer, 2);
    }
    // Not a guest access: restore the previous disposition and let the fault happen again.
    sigaction(signal, signal == SIGSEGV ? &previous_segv : &previous_bus, nullptr);
}

void install_handler()
{
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action;
        std::memset(&action, 0, sizeof action);
        action.sa_sigaction = handle_host_fault;
        // SA_NODEFER: the handler leaves by siglongjmp without restoring the mask, so the signal
        // must not stay blocked.
        action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        sigaction(SIGSEGV, &action, &previous_segv);
        sigaction(SIGBUS, &action, &previous_bus);
    });
}

} // namespace

FaultScope::FaultScope(AddressSpace& address_space, WatchedWrites watched)
    : space(address_space), watched_writes(watched), m_previous(current_scope)
{
    install_handler();
    current_scope = this;
}

FaultScope::~FaultScope() { current_scope = m_previous; }

void jump_to_recovery_point(int value) { siglongjmp(current_scope->buffer, value); }

// Nothing with a destructor may live in this frame between sigsetjmp and the access: the fault
// handler leaves by siglongjmp.
bool copy_guarded(AddressSpace& space, void* destination, const void* source, size_t length,
                  WatchedWrites watched_writes)
{
    FaultScope scope(space, watched_writes);
    if (sigsetjmp(scope.buffer, 0) != 0)
        return false;
    std::memcpy(destination, source, length);
    return true;
}

} // namespace isomorph::memory
