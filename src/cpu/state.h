#pragma once

#include "cpu/fpu_state.h"

#include <array>
#include <cstdint>

namespace isomorph::cpu {

// The architectural state of one MIPS32 hardware thread, as every engine sees it.
struct CpuState {
    std::array<uint32_t, 32> gpr{};
    uint32_t hi = 0;
    uint32_t lo = 0;

    // The instruction to execute next and the one after it. A taken branch sets next_pc to its
    // target while pc moves to the delay slot; delay_slot tells that pc is one.
    uint32_t pc = 0;
    uint32_t next_pc = 4;
    bool delay_slot = false;

    // UserLocal (RDHWR $29), written by the set_thread_area system call.
    uint32_t user_local = 0;

    // The LL/SC link: address and value seen by LL; SC succeeds only if both still hold.
    uint32_t linked_address = 0;
    uint32_t linked_value = 0;
    bool link_valid = false;

    FpuState fpu;

    uint64_t instructions_retired = 0;

    void jump_to(uint32_t address)
    {
        pc = address;
        next_pc = address + 4;
        delay_slot = false;
    }

    // Continue after the instruction at pc, as the kernel does after a system call.
    void advance()
    {
        pc = next_pc;
        next_pc = pc + 4;
        delay_slot = false;
    }

    // The restart address of the instruction at pc: the branch when pc is a delay slot (EPC).
    uint32_t exception_pc() const { return delay_slot ? pc - 4 : pc; }
};

} // namespace isomorph::cpu
