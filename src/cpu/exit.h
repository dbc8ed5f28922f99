#pragma once

#include <cstdint>
#include <string_view>

namespace isomorph::cpu {

// Why an engine stopped running guest code. Guest traps are values: the environment (the Linux
// process, the board, the hypervisor) decides what each one means.
enum class ExitKind : uint8_t {
    BudgetExhausted,     // the instruction budget ran out; state is between instructions
    Syscall,             // SYSCALL; pc is the SYSCALL instruction
    Breakpoint,          // BREAK; code is the 20-bit code field
    Trap,                // a conditional trap was taken; code is the 10-bit code (0 for immediate forms)
    ReservedInstruction, // no table row matches, or the engine does not implement the row
    CoprocessorUnusable, // code is the coprocessor number
    IntegerOverflow,     // ADD, ADDI, SUB
    FloatingPoint,       // an enabled IEEE exception, or an unimplemented operation
    AddressErrorLoad,    // misaligned load or fetch, or a kernel address from user mode
    AddressErrorStore,
    FetchFault,          // instruction fetch from an unmapped or non-executable page
    LoadFault,           // load from an unmapped page
    StoreFault,          // store to an unmapped or read-only page
};

constexpr std::string_view name(ExitKind kind)
{
    switch (kind) {
    case ExitKind::BudgetExhausted: return "budget exhausted";
    case ExitKind::Syscall: return "system call";
    case ExitKind::Breakpoint: return "breakpoint";
    case ExitKind::Trap: return "trap";
    case ExitKind::ReservedInstruction: return "reserved instruction";
    case ExitKind::CoprocessorUnusable: return "coprocessor unusable";
    case ExitKind::IntegerOverflow: return "integer overflow";
    case ExitKind::FloatingPoint: return "floating-point exception";
    case ExitKind::AddressErrorLoad: return "address error on load";
    case ExitKind::AddressErrorStore: return "address error on store";
    case ExitKind::FetchFault: return "instruction fetch fault";
    case ExitKind::LoadFault: return "load fault";
    case ExitKind::StoreFault: return "store fault";
    }
    return "unknown exit";
}

struct Exit {
    ExitKind kind = ExitKind::BudgetExhausted;
    uint32_t pc = 0;      // the instruction that caused the exit
    uint32_t address = 0; // BadVAddr for address errors and faults
    uint32_t code = 0;    // BREAK/trap code, coprocessor number
    bool delay_slot = false;
};

} // namespace isomorph::cpu
