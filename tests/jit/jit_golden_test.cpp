// Pins the host code the translator emits for representative guest instructions. Each guest
// instruction is translated as the first instruction of a block (or after the instructions it
// depends on, for the floating-point cases) and its host code (offsets from the block's entry)
// is compared with tests/jit/golden/*.txt. After an intended change of the
// backend, regenerate the files with ISOMORPH_UPDATE_GOLDEN=1 and review the difference.

#include "engines/jit/code_cache.h"
#include "engines/jit/frontend.h"
#include "engines/jit/listing.h"
#include "isa/disassembler.h"
#include "memory/address_space.h"
#include "unit/jit_test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace isomorph {

namespace {

constexpr uint32_t code_address = 0x00400000;

using jit_test::immediate;
using jit_test::special;
using jit_test::special2;
using jit_test::special3;

// The host code of the instructions at indices of a block made of words, then BREAK; with
// entry, first that of the block's entry.
std::string host_code(const std::vector<uint32_t>& words, const std::vector<size_t>& indices, bool entry = false)
{
    memory::AddressSpace memory;
    EXPECT_EQ(memory.map_anonymous(code_address, 4096, memory::ProtectionRead | memory::ProtectionWrite), 0);
    std::vector<uint32_t> program = words;
    program.push_back(0x0000000D); // break
    EXPECT_TRUE(memory.copy_to_guest(code_address, program.data(), program.size() * 4));
    EXPECT_EQ(memory.protect(code_address, 4096, memory::ProtectionRead | memory::ProtectionExecute), 0);
    engines::jit::CodeCache cache(1 << 20);
    engines::jit::JitStatistics statistics;
    engines::jit::GuestBlock guest = engines::jit::discover_block(memory, code_address);
    engines::jit::Block* block = cache.translate(guest, statistics);
    EXPECT_NE(block, nullptr);
    std::string text;
    if (entry && block)
        text += "-- entry\n" + engines::jit::host_code_of_entry(*block);
    for (size_t index : indices) {
        if (indices.size() > 1 || entry)
            text += "-- " + isa::disassemble(words[index], code_address + 4 * static_cast<uint32_t>(index)) + "\n";
        if (block)
            text += engines::jit::host_code_of_instruction(*block, index);
    }
    return text;
}

std::string read_file(const std::string& path)
{
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// Each case's instruction at index (its first by default); with entry, after the block's entry.
void check_golden(const std::string& name, const std::vector<std::vector<uint32_t>>& cases, size_t index = 0,
                  bool entry = false)
{
    std::string text;
    for (const auto& words : cases)
        text += "== " + isa::disassemble(words[index], code_address + 4 * static_cast<uint32_t>(index)) + "\n" +
                host_code(words, {index}, entry);
    std::string path = std::string(ISOMORPH_JIT_GOLDEN_DIRECTORY) + "/" + name + ".txt";
    const char* update = std::getenv("ISOMORPH_UPDATE_GOLDEN");
    if (update && *update == '1') {
        std::ofstream(path) << text;
        return;
    }
    EXPECT_EQ(read_file(path), text) << "host code changed; see " << path;
}

} // namespace

TEST(JitGolden, Arithmetic)
{
    check_golden("arithmetic", {
                                   {special(3, 4, 2, 0, 0x21)},        // addu v0, v1, a0
                                   {immediate(9, 3, 2, 0xFFF8)},       // addiu v0, v1, -8
                                   {special(3, 0, 2, 0, 0x25)},        // move v0, v1 (or v0, v1, zero)
                                   {special(0, 3, 2, 0, 0x21)},        // addu v0, zero, v1
                                   {special(0, 3, 2, 0, 0x27)},        // not v0, v1 (nor v0, zero, v1)
                                   {immediate(9, 0, 2, 42)},           // li v0, 42
                                   {immediate(0xF, 0, 2, 0x1234)},     // lui v0, 0x1234
                                   {immediate(0xD, 2, 2, 0x5678)},     // ori v0, v0, 0x5678
                                   {special(0, 3, 2, 7, 0x00)},        // sll v0, v1, 7
                                   {special(5, 3, 2, 0, 0x07)},        // srav v0, v1, a1
                                   {special(3, 4, 2, 0, 0x2A)},        // slt v0, v1, a0
                                   {immediate(0xB, 3, 2, 10)},         // sltiu v0, v1, 10
                                   {special(3, 4, 2, 0, 0x0B)},        // movn v0, v1, a0
                                   {special(3, 4, 0, 0, 0x18)},        // mult v1, a0
                                   {special3(0, 3, 2, 0x02, 0x20)},    // wsbh v0, v1
                                   {special(3, 4, 0, 0, 0x1A)},        // div v1, a0
                                   {special(3, 4, 0, 0, 0x1B)},        // divu v1, a0
                                   {special2(3, 4, 0, 0, 0x00)},       // madd v1, a0
                                   {special(4, 0, 0, 7, 0x34)},        // teq a0, zero, 7
                                   {special3(3, 2, 11, 4, 0x04)},      // ins v0, v1, 4, 8
                                   {special(0, 0, 0, 0, 0x00)},        // nop
                               });
}

TEST(JitGolden, LoadsAndStores)
{
    check_golden("memory", {
                               {immediate(0x23, 29, 2, 16)},   // lw v0, 16(sp)
                               {immediate(0x24, 4, 2, -1)},     // lbu v0, -1(a0)
                               {immediate(0x21, 4, 2, 2)},     // lh v0, 2(a0)
                               {immediate(0x2B, 29, 31, 20)},  // sw ra, 20(sp)
                               {immediate(0x28, 4, 5, 0)},     // sb a1, 0(a0)
                               {immediate(0x22, 4, 2, 3)},     // lwl v0, 3(a0)
                               {immediate(0x26, 4, 2, 0)},     // lwr v0, 0(a0)
                               {immediate(0x2A, 4, 5, 3)},     // swl a1, 3(a0)
                               {immediate(0x2E, 4, 5, 0)},     // swr a1, 0(a0)
                               {immediate(0x35, 4, 2, 8)},     // ldc1 $f2, 8(a0)
                               {immediate(0x39, 4, 2, 0)},     // swc1 $f2, 0(a0)
                           });
}

TEST(JitGolden, Branches)
{
    check_golden("branches", {
                                 {immediate(4, 3, 4, 4), 0},       // beq v1, a0, +4 (fused after its slot)
                                 {immediate(4, 3, 4, 4), immediate(9, 3, 3, 1)}, // beq v1, a0; addiu v1, v1, 1
                                 {immediate(5, 2, 0, -4), immediate(0x23, 2, 2, 0)}, // bnez v0; lw v0, 0(v0)
                                 {immediate(1, 2, 0, 4), immediate(0x2B, 2, 2, 0)},      // bltz v0; sw v0, 0(v0)
                                 {immediate(0x14, 3, 4, 4), 0},    // beql v1, a0, +4
                                 {special(25, 0, 31, 0, 0x09), 0}, // jalr t9
                             });
}

// A loop that fits in the register cache (a table-driven CRC step and an FNV-1a step, eight guest
// registers): loaded once before the loop head, it runs without storing any (the registers it
// writes first stay dirty across the back edge) and compares in place at its end.
TEST(JitGolden, SelfLoopInRegisters)
{
    std::vector<uint32_t> loop = {
        immediate(0x24, 2, 3, 0),     // lbu v1, 0(v0)
        special(0, 6, 4, 8, 0x02),    // srl a0, a2, 8
        immediate(9, 2, 2, 1),        // addiu v0, v0, 1
        special(3, 6, 6, 0, 0x26),    // xor a2, v1, a2
        immediate(0xC, 6, 6, 0xFF),   // andi a2, a2, 0xff
        special(0, 6, 6, 2, 0x00),    // sll a2, a2, 2
        special(3, 7, 7, 0, 0x26),    // xor a3, v1, a3
        special(10, 6, 6, 0, 0x21),   // addu a2, t2, a2
        special2(7, 9, 7, 0, 0x02),   // mul a3, a3, t1
        immediate(0x23, 6, 6, 0),     // lw a2, 0(a2)
        immediate(5, 8, 2, -11),      // bne t0, v0, loop
        special(6, 4, 6, 0, 0x26),    // xor a2, a2, a0
    };
    std::vector<size_t> indices(loop.size());
    for (size_t index = 0; index < indices.size(); ++index)
        indices[index] = index;
    std::string text = host_code(loop, indices);
    std::string path = std::string(ISOMORPH_JIT_GOLDEN_DIRECTORY) + "/self_loop.txt";
    const char* update = std::getenv("ISOMORPH_UPDATE_GOLDEN");
    if (update && *update == '1')
        std::ofstream(path) << text;
    else
        EXPECT_EQ(read_file(path), text) << "host code changed; see " << path;
}

// Floating-point arithmetic computes its result and its rounding error; it never touches MXCSR,
// before or after a helper (here cvt.d.w). The block's entry tests the FPU's mode once: Status
// for coprocessor 1 accesses, FCSR's modes too for arithmetic, and then its instructions do not.
// (On a host without FMA it runs its helper.)
TEST(JitGolden, FloatingPoint)
{
    if (!engines::jit::host_runs_fpu_arithmetic_inline())
        GTEST_SKIP() << "the host has no FMA: floating-point arithmetic runs its helpers";
    constexpr uint32_t add_d = 0x46222000;  // add.d $f0, $f4, $f2
    constexpr uint32_t mul_s = 0x46022182;  // mul.s $f6, $f4, $f2
    constexpr uint32_t cvt_d_w = 0x46802021; // cvt.d.w $f0, $f4
    check_golden("floating_point_first", {{add_d}, {mul_s}});
    check_golden("floating_point_second", {{add_d, mul_s}, {cvt_d_w, mul_s}}, 1);
    constexpr uint32_t ldc1 = 0xD4820008;  // ldc1 $f2, 8(a0)
    check_golden("floating_point_entry", {{add_d}, {ldc1}}, 0, true);
}

} // namespace isomorph
