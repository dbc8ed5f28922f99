#pragma once

// Shared by the JIT unit tests: instruction encoders, a guest with a code page and a data page,
// and the comparison of two CpuStates. Each engine gets its own address space so that the
// reference interpreter and the JIT never see each other's stores.

#include "cpu/exit.h"
#include "cpu/state.h"
#include "memory/address_space.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace isomorph::jit_test {

// Encodings (Volume II-A): fields are shifted into place.
constexpr uint32_t special(uint32_t rs, uint32_t rt, uint32_t rd, uint32_t sa, uint32_t function)
{
    return (rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | function;
}
constexpr uint32_t immediate(uint32_t opcode, uint32_t rs, uint32_t rt, int32_t value)
{
    return (opcode << 26) | (rs << 21) | (rt << 16) | (static_cast<uint32_t>(value) & 0xFFFF);
}
constexpr uint32_t regimm(uint32_t rs, uint32_t kind, int32_t offset) { return immediate(1, rs, kind, offset); }
constexpr uint32_t special2(uint32_t rs, uint32_t rt, uint32_t rd, uint32_t sa, uint32_t function)
{
    return (0x1Cu << 26) | special(rs, rt, rd, sa, function);
}
constexpr uint32_t special3(uint32_t rs, uint32_t rt, uint32_t rd, uint32_t sa, uint32_t function)
{
    return (0x1Fu << 26) | special(rs, rt, rd, sa, function);
}
constexpr uint32_t jump(uint32_t opcode, uint32_t target) { return (opcode << 26) | ((target >> 2) & 0x03FFFFFF); }

constexpr uint32_t addu(uint32_t rd, uint32_t rs, uint32_t rt) { return special(rs, rt, rd, 0, 0x21); }
constexpr uint32_t addiu(uint32_t rt, uint32_t rs, int32_t value) { return immediate(9, rs, rt, value); }
constexpr uint32_t lui(uint32_t rt, uint32_t value) { return immediate(0xF, 0, rt, static_cast<int32_t>(value)); }
constexpr uint32_t ori(uint32_t rt, uint32_t rs, uint32_t value) { return immediate(0xD, rs, rt, static_cast<int32_t>(value)); }
constexpr uint32_t lw(uint32_t rt, int32_t offset, uint32_t base) { return immediate(0x23, base, rt, offset); }
constexpr uint32_t sw(uint32_t rt, int32_t offset, uint32_t base) { return immediate(0x2B, base, rt, offset); }
constexpr uint32_t beq(uint32_t rs, uint32_t rt, int32_t offset) { return immediate(4, rs, rt, offset); }
constexpr uint32_t bne(uint32_t rs, uint32_t rt, int32_t offset) { return immediate(5, rs, rt, offset); }
constexpr uint32_t jr(uint32_t rs) { return special(rs, 0, 0, 0, 0x08); }
constexpr uint32_t jalr(uint32_t rd, uint32_t rs) { return special(rs, 0, rd, 0, 0x09); }
constexpr uint32_t break_(uint32_t code = 0) { return (code << 6) | 0x0D; }
constexpr uint32_t nop = 0;

constexpr uint32_t code_address = 0x00400000;
constexpr uint32_t code_size = 0x10000;
constexpr uint32_t data_address = 0x10000000;
constexpr uint32_t data_size = 0x10000;

// One guest: its memory with the program at code_address, a data area, and a CpuState.
struct Guest {
    memory::AddressSpace memory;
    cpu::CpuState cpu;

    explicit Guest(const std::vector<uint32_t>& program, uint8_t code_protection = memory::ProtectionRead |
                                                                                    memory::ProtectionExecute)
    {
        EXPECT_EQ(memory.map_anonymous(code_address, code_size, memory::ProtectionRead | memory::ProtectionWrite), 0);
        EXPECT_TRUE(memory.copy_to_guest(code_address, program.data(), program.size() * 4));
        EXPECT_EQ(memory.protect(code_address, code_size, code_protection), 0);
        EXPECT_EQ(memory.map_anonymous(data_address, data_size, memory::ProtectionRead | memory::ProtectionWrite), 0);
        for (uint32_t offset = 0; offset < 256; offset += 4)
            memory.write<uint32_t>(data_address + offset, offset * 0x01010101u + 0x80402010u);
        cpu.jump_to(code_address);
        cpu.gpr[28] = data_address + 0x100;
    }
};

inline void expect_same_exit(const cpu::Exit& expected, const cpu::Exit& actual)
{
    EXPECT_EQ(static_cast<int>(expected.kind), static_cast<int>(actual.kind))
        << cpu::name(expected.kind) << " vs " << cpu::name(actual.kind);
    EXPECT_EQ(expected.pc, actual.pc);
    EXPECT_EQ(expected.address, actual.address);
    EXPECT_EQ(expected.code, actual.code);
    EXPECT_EQ(expected.delay_slot, actual.delay_slot);
}

inline void expect_same_state(const cpu::CpuState& expected, const cpu::CpuState& actual)
{
    for (unsigned number = 0; number < 32; ++number)
        EXPECT_EQ(expected.gpr[number], actual.gpr[number]) << "$" << number;
    EXPECT_EQ(expected.hi, actual.hi);
    EXPECT_EQ(expected.lo, actual.lo);
    EXPECT_EQ(expected.pc, actual.pc);
    EXPECT_EQ(expected.next_pc, actual.next_pc);
    EXPECT_EQ(expected.delay_slot, actual.delay_slot);
    EXPECT_EQ(expected.instructions_retired, actual.instructions_retired);
    EXPECT_EQ(expected.fpu.fpr, actual.fpu.fpr);
    EXPECT_EQ(expected.fpu.fcsr, actual.fpu.fcsr);
}

inline void expect_same_data(const Guest& expected, const Guest& actual)
{
    for (uint32_t offset = 0; offset < 1024; offset += 4)
        EXPECT_EQ(expected.memory.read<uint32_t>(data_address + offset), actual.memory.read<uint32_t>(data_address + offset))
            << "data word at +" << offset;
}

} // namespace isomorph::jit_test
