#pragma once

// The cores that instruction semantics run against in user mode (see isa/semantics/core.h):
// guest memory is the flat AddressSpace, guest exceptions unwind to the engine's FaultScope.
//
// UserCoreBase holds what every user-mode engine shares (registers, memory accesses, LL/SC,
// RDHWR); an engine's core derives from it and supplies the control-flow members (pc, branch,
// branch_not_taken, nullify_delay_slot), raise() and instructions_retired(). UserCore is the
// reference interpreter's; engines/threaded/threaded_core.h is the threaded interpreter's.
//
// A core may also supply before_store(address, size), called before every guest store writes
// (after its alignment check). The base's does nothing and inlines away; the lockstep mode's
// reference core (JournalingUserCore) records the bytes a store overwrites there.

#include "cpu/exit.h"
#include "cpu/state.h"
#include "memory/address_space.h"
#include "memory/host_fault.h"

#include <cstdint>
#include <cstring>

namespace isomorph::engines {

using cpu::ExitKind;

template <class Derived> class UserCoreBase {
public:
    UserCoreBase(cpu::CpuState& state, memory::AddressSpace& space)
        : cpu(state), memory(space), m_host_base(space.host_base())
    {
    }
    // For a core built per instruction from values its engine keeps in registers.
    UserCoreBase(cpu::CpuState& state, memory::AddressSpace& space, uint8_t* host_base)
        : cpu(state), memory(space), m_host_base(host_base)
    {
    }

    cpu::CpuState& cpu;
    memory::AddressSpace& memory;

    uint32_t gpr(unsigned number) const { return cpu.gpr[number]; }
    void set_gpr(unsigned number, uint32_t value)
    {
        if (number != 0)
            cpu.gpr[number] = value;
    }

    template <class T> T load(uint32_t address)
    {
        if (address & (sizeof(T) - 1))
            derived().raise(ExitKind::AddressErrorLoad, address);
        T value;
        std::memcpy(&value, m_host_base + address, sizeof value);
        // The access must happen even when the value is dropped (a load into $zero): it may fault.
        asm volatile("" : : "r"(value));
        return value;
    }
    template <class T> void store(uint32_t address, T value)
    {
        if (address & (sizeof(T) - 1))
            derived().raise(ExitKind::AddressErrorStore, address);
        derived().before_store(address, sizeof(T));
        std::memcpy(m_host_base + address, &value, sizeof value);
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
            derived().raise(ExitKind::AddressErrorStore, address);
        bool valid = cpu.link_valid && cpu.linked_address == address;
        cpu.link_valid = false;
        if (!valid)
            return false;
        derived().before_store(address, 4);
        uint32_t expected = cpu.linked_value;
        auto* word = reinterpret_cast<uint32_t*>(m_host_base + address);
        return __atomic_compare_exchange_n(word, &expected, value, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }

    uint32_t read_hardware_register(unsigned number)
    {
        switch (number) {
        case 0: return 0;                                                          // CPUNum
        case 1: return 32;                                                         // SYNCI_Step
        // The cycle counter counts one cycle per instruction and, as on the 24K core, advances
        // every second cycle (CCRes = 2).
        case 2: return static_cast<uint32_t>(derived().instructions_retired() / 2); // CC
        case 3: return 2;                                                            // CCRes
        case 29: return cpu.user_local;                                            // UserLocal
        default: derived().raise(ExitKind::ReservedInstruction);
        }
    }

    // SYNCI. Engines that keep decoded code learn of code changes from the address space (a
    // write to a watched code page faults on the host), so there is nothing to do here.
    void synchronize_instruction_cache(uint32_t) {}

    // See the top of this file.
    void before_store(uint32_t, unsigned) {}

protected:
    Derived& derived() { return static_cast<Derived&>(*this); }

    uint8_t* m_host_base;
};

// The reference interpreter's core: the state is committed to the CpuState after every
// instruction. Journal is what stores report to before they write: NoStoreJournal for the
// interpreter as it normally runs, engines/store_journal.h's StoreJournal for the lockstep mode's
// reference runs.
struct NoStoreJournal {
    void before_store(uint32_t, unsigned) {}
};

template <class Journal> class BasicUserCore final : public UserCoreBase<BasicUserCore<Journal>> {
public:
    using Base = UserCoreBase<BasicUserCore<Journal>>;
    using Base::cpu;
    using Base::memory;

    // Why raise() unwound: value passed to the recovery point.
    static constexpr int raised = 1;

    BasicUserCore(cpu::CpuState& state, memory::AddressSpace& space, cpu::Exit& exit, Journal& journal)
        : Base(state, space), m_exit(exit), m_journal(journal)
    {
    }

    uint32_t pc() const { return m_pc; }

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

    [[noreturn]] void raise(ExitKind kind, uint32_t address = 0, uint32_t code = 0)
    {
        m_exit = cpu::Exit{kind, m_pc, address, code, cpu.delay_slot};
        memory::jump_to_recovery_point(raised);
    }

    uint64_t instructions_retired() const { return cpu.instructions_retired; }

    void before_store(uint32_t address, unsigned size) { m_journal.before_store(address, size); }

    // Instruction fetch: aligned, and from a page the guest may execute.
    uint32_t fetch(uint32_t address)
    {
        if (address & 3)
            raise(ExitKind::AddressErrorLoad, address);
        if (!(memory.protection(address) & memory::ProtectionExecute))
            raise(ExitKind::FetchFault, address);
        return memory.template read<uint32_t>(address);
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
    Journal& m_journal;
    uint32_t m_pc = 0;
    uint32_t m_following = 0;
    bool m_next_is_delay_slot = false;
};

using UserCore = BasicUserCore<NoStoreJournal>;

} // namespace isomorph::engines
