#pragma once

// A few MIPS32 encodings and a small guest machine, for the threaded interpreter's unit tests:
// programs are built word by word, run by an engine over a fresh address space, and compared
// with the reference interpreter.

#include "cpu/exit.h"
#include "cpu/state.h"
#include "engines/engine.h"
#include "memory/address_space.h"

#include <cstdint>
#include <memory>
#include <ostream>
#include <vector>

namespace isomorph::test {

// ---- Encodings ----------------------------------------------------------------------------------

namespace mips {

constexpr uint32_t r_type(unsigned rs, unsigned rt, unsigned rd, unsigned sa, unsigned function)
{
    return (rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | function;
}
constexpr uint32_t i_type(unsigned opcode, unsigned rs, unsigned rt, int32_t immediate)
{
    return (opcode << 26) | (rs << 21) | (rt << 16) | (static_cast<uint32_t>(immediate) & 0xFFFF);
}
// Branch offsets are in instructions, relative to the delay slot.
constexpr uint32_t nop() { return 0; }
constexpr uint32_t sll(unsigned rd, unsigned rt, unsigned sa) { return r_type(0, rt, rd, sa, 0x00); }
constexpr uint32_t jr(unsigned rs) { return r_type(rs, 0, 0, 0, 0x08); }
constexpr uint32_t jalr(unsigned rd, unsigned rs) { return r_type(rs, 0, rd, 0, 0x09); }
constexpr uint32_t syscall() { return 0x0000000C; }
constexpr uint32_t break_(unsigned code) { return (code << 6) | 0x0D; }
constexpr uint32_t mfhi(unsigned rd) { return r_type(0, 0, rd, 0, 0x10); }
constexpr uint32_t mflo(unsigned rd) { return r_type(0, 0, rd, 0, 0x12); }
constexpr uint32_t mult(unsigned rs, unsigned rt) { return r_type(rs, rt, 0, 0, 0x18); }
constexpr uint32_t add(unsigned rd, unsigned rs, unsigned rt) { return r_type(rs, rt, rd, 0, 0x20); }
constexpr uint32_t addu(unsigned rd, unsigned rs, unsigned rt) { return r_type(rs, rt, rd, 0, 0x21); }
constexpr uint32_t subu(unsigned rd, unsigned rs, unsigned rt) { return r_type(rs, rt, rd, 0, 0x23); }
constexpr uint32_t xor_(unsigned rd, unsigned rs, unsigned rt) { return r_type(rs, rt, rd, 0, 0x26); }
constexpr uint32_t slt(unsigned rd, unsigned rs, unsigned rt) { return r_type(rs, rt, rd, 0, 0x2A); }
constexpr uint32_t teq(unsigned rs, unsigned rt) { return r_type(rs, rt, 0, 0, 0x34); }
constexpr uint32_t bltz(unsigned rs, int32_t offset) { return i_type(1, rs, 0, offset); }
constexpr uint32_t bgez(unsigned rs, int32_t offset) { return i_type(1, rs, 1, offset); }
constexpr uint32_t bltzal(unsigned rs, int32_t offset) { return i_type(1, rs, 16, offset); }
constexpr uint32_t bgezal(unsigned rs, int32_t offset) { return i_type(1, rs, 17, offset); }
constexpr uint32_t j(uint32_t target) { return (2u << 26) | ((target >> 2) & 0x03FFFFFF); }
constexpr uint32_t jal(uint32_t target) { return (3u << 26) | ((target >> 2) & 0x03FFFFFF); }
constexpr uint32_t beq(unsigned rs, unsigned rt, int32_t offset) { return i_type(4, rs, rt, offset); }
constexpr uint32_t bne(unsigned rs, unsigned rt, int32_t offset) { return i_type(5, rs, rt, offset); }
constexpr uint32_t blez(unsigned rs, int32_t offset) { return i_type(6, rs, 0, offset); }
constexpr uint32_t bgtz(unsigned rs, int32_t offset) { return i_type(7, rs, 0, offset); }
constexpr uint32_t addi(unsigned rt, unsigned rs, int32_t immediate) { return i_type(8, rs, rt, immediate); }
constexpr uint32_t addiu(unsigned rt, unsigned rs, int32_t immediate) { return i_type(9, rs, rt, immediate); }
constexpr uint32_t ori(unsigned rt, unsigned rs, uint32_t immediate) { return i_type(13, rs, rt, static_cast<int32_t>(immediate)); }
constexpr uint32_t lui(unsigned rt, uint32_t immediate) { return i_type(15, 0, rt, static_cast<int32_t>(immediate)); }
constexpr uint32_t beql(unsigned rs, unsigned rt, int32_t offset) { return i_type(20, rs, rt, offset); }
constexpr uint32_t bnel(unsigned rs, unsigned rt, int32_t offset) { return i_type(21, rs, rt, offset); }
constexpr uint32_t rdhwr(unsigned rt, unsigned rd) { return (0x1Fu << 26) | (rt << 16) | (rd << 11) | 0x3B; }
constexpr uint32_t lb(unsigned rt, int32_t offset, unsigned base) { return i_type(32, base, rt, offset); }
constexpr uint32_t lw(unsigned rt, int32_t offset, unsigned base) { return i_type(35, base, rt, offset); }
constexpr uint32_t sb(unsigned rt, int32_t offset, unsigned base) { return i_type(40, base, rt, offset); }
constexpr uint32_t sw(unsigned rt, int32_t offset, unsigned base) { return i_type(43, base, rt, offset); }
constexpr uint32_t synci(int32_t offset, unsigned base) { return i_type(1, base, 31, offset); }

// Loads a 32-bit constant into rt with LUI and ORI.
inline void load_constant(std::vector<uint32_t>& code, unsigned rt, uint32_t value)
{
    code.push_back(lui(rt, value >> 16));
    code.push_back(ori(rt, rt, value & 0xFFFF));
}

} // namespace mips

// ---- A guest machine ----------------------------------------------------------------------------

// Memory layout of the test machines.
constexpr uint32_t code_address = 0x00010000;  // read, write and execute: code may rewrite itself
constexpr uint32_t code_size = 0x4000;
constexpr uint32_t data_address = 0x00100000;  // read and write
constexpr uint32_t data_size = 0x1000;
constexpr uint32_t exit_syscall = 4001;        // v0 of the SYSCALL that ends a test program

struct Machine {
    Machine(engines::EngineKind kind, const std::vector<uint32_t>& code, uint32_t entry = code_address,
            uint32_t load_address = code_address)
    {
        space.map_anonymous(code_address, code_size,
                            memory::ProtectionRead | memory::ProtectionWrite | memory::ProtectionExecute);
        space.map_anonymous(data_address, data_size, memory::ProtectionRead | memory::ProtectionWrite);
        space.copy_to_guest(load_address, code.data(), code.size() * 4);
        cpu.jump_to(entry);
        cpu.gpr[29] = data_address + data_size - 16;
        engine = engines::make_engine(kind, space);
    }

    memory::AddressSpace space;
    cpu::CpuState cpu;
    std::unique_ptr<engines::Engine> engine;
};

// One stop of a run: the exit and the state it left.
struct Stop {
    cpu::Exit exit;
    cpu::CpuState state;
};

inline bool same_state(const cpu::CpuState& a, const cpu::CpuState& b)
{
    return a.gpr == b.gpr && a.hi == b.hi && a.lo == b.lo && a.pc == b.pc && a.next_pc == b.next_pc &&
           a.delay_slot == b.delay_slot && a.instructions_retired == b.instructions_retired &&
           a.link_valid == b.link_valid && a.linked_address == b.linked_address && a.linked_value == b.linked_value;
}

inline bool same_exit(const cpu::Exit& a, const cpu::Exit& b)
{
    return a.kind == b.kind && a.pc == b.pc && a.address == b.address && a.code == b.code &&
           a.delay_slot == b.delay_slot;
}

inline std::ostream& operator<<(std::ostream& out, const Stop& stop)
{
    out << cpu::name(stop.exit.kind) << " at pc 0x" << std::hex << stop.exit.pc << " address 0x" << stop.exit.address
        << " code " << std::dec << stop.exit.code << (stop.exit.delay_slot ? " (delay slot)" : "") << "; state pc 0x"
        << std::hex << stop.state.pc << " next_pc 0x" << stop.state.next_pc << std::dec
        << (stop.state.delay_slot ? " delay_slot" : "") << " retired " << stop.state.instructions_retired;
    for (unsigned n = 1; n < 32; ++n)
        if (stop.state.gpr[n] != 0)
            out << " $" << n << "=0x" << std::hex << stop.state.gpr[n] << std::dec;
    return out;
}

// Runs the machine with the given budget per call until the program ends (an exit system call,
// or an exit other than a system call or a spent budget) or max_instructions have run. A system
// call other than exit returns its number in v0 and continues, as the kernel would.
inline std::vector<Stop> run_program(Machine& machine, uint64_t budget, uint64_t max_instructions = 1'000'000)
{
    std::vector<Stop> stops;
    while (machine.cpu.instructions_retired < max_instructions) {
        cpu::Exit exit = machine.engine->run(machine.cpu, budget);
        stops.push_back({exit, machine.cpu});
        if (exit.kind == cpu::ExitKind::BudgetExhausted)
            continue;
        if (exit.kind != cpu::ExitKind::Syscall || machine.cpu.gpr[2] == exit_syscall)
            break;
        machine.cpu.gpr[7] = 0;
        machine.cpu.advance();
    }
    return stops;
}

} // namespace isomorph::test
