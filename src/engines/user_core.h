#pragma once

// The core that instruction semantics run against in user mode (see isa/semantics/core.h):
// guest memory is the flat AddressSpace, guest exceptions unwind to the engine's FaultScope.

#include "cpu/exit.h"
#include "cpu/state.h"
#include "memory/address_space.h"
#include "memory/host_fault.h"

#include <cstdint>

namespace isomorph::engines {

using cpu::ExitKind;

class UserCore {
public:
    // Why raise() unwound: value passed to the recovery point.
    static constexpr int raised = 1;

    UserCore(cpu::CpuState& state, memory::AddressSpace& space, cpu::Exit& exit)
        : cpu(state), memory(space), m_exit(exit)
    {
    }

    cpu::CpuState& cpu;
    memory::AddressSpace& memory;

    uint32_t pc() const { return m_pc; }
    uint32_t gpr(unsigned number) const { return cpu.gpr[number]; }
    void set_gpr(unsigned number, uint32_t value)
    {
        if (number != 0)
            cpu.gpr[number] = value;
    }

    void branch(uint32_t target)
    {
        m_following = target;
        m_next_is_delay_slot = true;
    }
    void branch_not_taken() { m_next_is_delay_slot = true; }
    void nullify_delay_slot()
    {
        cpu.next_pc += 4;
        m_following = cpu.next_pc + 4;
    }

    template <class T> T load(uint32_t address)
    {
        if (address & (sizeof(T) - 1))
            raise(ExitKind::AddressErrorLoad, address);
        return memory.read<T>(address);
    }
    template <class T> void store(uint32_t address, T value)
    {
        if (address & (sizeof(T) - 1))
            raise(ExitKind::AddressErrorStore, address);
        memory.write<T>(address, value);
    }

    uint32_t load_linked(uint32_t address)
    {
        uint32_t value = load<uint32_t>(address);
        cpu.linked_address = address;
        cpu.linked_value = value;
        cpu.link_valid = true;
        return value;
    }
    // Succeeds only if the word still holds what LL read, checked and written atomically so that
    // guest threads on host threads see real atomicity.
    bool store_conditional(uint32_t address, uint32_t value)
    {
        if (address & 3)
            raise(ExitKind::AddressErrorStore, address);
        bool valid = cpu.link_valid && cpu.linked_address == address;
        cpu.link_valid = false;
        if (!valid)
            return false;
        uint32_t expected = cpu.linked_value;
        auto* word = reinterpret_cast<uint32_t*>(memory.host_address(address));
        return __atomic_compare_exchange_n(word, &expected, value, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }

    [[noreturn]] void raise(ExitKind kind, uint32_t address = 0, uint32_t code = 0)
    {
        m_exit = cpu::Exit{kind, m_pc, address, code, cpu.delay_slot};
        memory::jump_to_recovery_point(raised);
    }

    uint32_t read_hardware_register(unsigned number)
    {
        switch (number) {
        case 0: return 0;                                                  // CPUNum
        case 1: return 32;                                                 // SYNCI_Step
        case 2: return static_cast<uint32_t>(cpu.instructions_retired);   // CC
        case 3: return 1;                                                  // CCRes
        case 29: return cpu.user_local;                                    // UserLocal
        default: raise(ExitKind::ReservedInstruction);
        }
    }

    void synchronize_instruction_cache(uint32_t) {}

    // Instruction fetch: aligned, and from a page the guest may execute.
    uint32_t fetch(uint32_t address)
    {
        if (address & 3)
            raise(ExitKind::AddressErrorLoad, address);
        if (!(memory.protection(address) & memory::ProtectionExecute))
            raise(ExitKind::FetchFault, address);
        return memory.read<uint32_t>(address);
    }

    // Bracket one instruction: begin() before its semantics, commit() after them.
    void begin(uint32_t pc)
    {
        m_pc = pc;
        m_following = cpu.next_pc + 4;
        m_next_is_delay_slot = false;
    }
    void commit()
    {
        cpu.pc = cpu.next_pc;
        cpu.next_pc = m_following;
        cpu.delay_slot = m_next_is_delay_slot;
        ++cpu.instructions_retired;
    }

private:
    cpu::Exit& m_exit;
    uint32_t m_pc = 0;
    uint32_t m_following = 0;
    bool m_next_is_delay_slot = false;
};

} // namespace isomorph::engines
