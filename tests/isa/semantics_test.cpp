// The integer semantics run against a small model core: the corners where the manual says
// UNPREDICTABLE and we follow qemu-mipsel, the delay-slot rules, the unaligned accesses at every
// offset against a byte-level model, and the privileged-instruction hook.

#include "isa/decoder.h"
#include "isa/semantics.h"

#include <array>
#include <cstring>
#include <gtest/gtest.h>
#include <optional>

namespace isomorph::isa {

namespace {

using cpu::ExitKind;

struct Raised {
    ExitKind kind;
};

// A user-mode core over 64 bytes of little-endian memory at address 0x1000.
class ModelCore {
public:
    cpu::CpuState cpu;
    std::array<uint8_t, 64> memory{};
    std::optional<uint32_t> branched_to;
    bool fell_through = false;
    bool nullified = false;

    uint32_t pc() const { return 0x400000; }
    uint32_t gpr(unsigned number) const { return cpu.gpr[number]; }
    void set_gpr(unsigned number, uint32_t value)
    {
        if (number != 0)
            cpu.gpr[number] = value;
    }
    void branch(uint32_t target) { branched_to = target; }
    void branch_not_taken() { fell_through = true; }
    void nullify_delay_slot() { nullified = true; }
    template <class T> T load(uint32_t address)
    {
        if (address % sizeof(T) != 0)
            raise(ExitKind::AddressErrorLoad, address);
        T value;
        std::memcpy(&value, &memory.at(address - 0x1000), sizeof(T));
        return value;
    }
    template <class T> void store(uint32_t address, T value)
    {
        if (address % sizeof(T) != 0)
            raise(ExitKind::AddressErrorStore, address);
        std::memcpy(&memory.at(address - 0x1000), &value, sizeof(T));
    }
    uint32_t load_linked(uint32_t address) { return load<uint32_t>(address); }
    bool store_conditional(uint32_t address, uint32_t value)
    {
        store<uint32_t>(address, value);
        return true;
    }
    [[noreturn]] void raise(ExitKind kind, uint32_t = 0, uint32_t = 0) { throw Raised{kind}; }
    uint32_t read_hardware_register(unsigned) { return 0; }
    void synchronize_instruction_cache(uint32_t) {}
};

// A core that models coprocessor 0 and so receives the privileged instructions.
class SystemModelCore : public ModelCore {
public:
    std::optional<Opcode> privileged_opcode;
    void privileged(Opcode opcode, const Operands&) { privileged_opcode = opcode; }
};

// Runs the semantics of word, an integer instruction, on core.
template <class Core> void run(Core& core, uint32_t word)
{
    DecodedInstruction decoded = decode(word);
    switch (decoded.opcode) {
#define INSTRUCTION(name, mnemonic, pattern, syntax, flags)                                                  \
    case Opcode::name: semantics::name(core, decoded.operands); break;
#include "isa/integer.inc"
#undef INSTRUCTION
    case Opcode::Reserved: core.raise(ExitKind::ReservedInstruction);
    default: FAIL() << "not an integer instruction: " << std::hex << word;
    }
}

template <class Core> std::optional<ExitKind> raised_by(Core& core, uint32_t word)
{
    try {
        run(core, word);
    } catch (const Raised& raised) {
        return raised.kind;
    }
    return std::nullopt;
}

constexpr uint32_t register_word(unsigned function, unsigned rs, unsigned rt, unsigned rd, unsigned sa = 0)
{
    return (rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | function;
}

} // namespace

TEST(Semantics, BranchesInADelaySlotAreReservedAndChangeNothing)
{
    // bgezal zero, +4 (bal) in a delay slot: Reserved Instruction, and $31 keeps its value.
    ModelCore core;
    core.cpu.delay_slot = true;
    core.cpu.gpr[31] = 0x1234;
    EXPECT_EQ(raised_by(core, 0x04110001), ExitKind::ReservedInstruction);
    EXPECT_EQ(core.cpu.gpr[31], 0x1234u);
    EXPECT_FALSE(core.branched_to);
    // jalr $2, $3 in a delay slot.
    EXPECT_EQ(raised_by(core, register_word(0x09, 3, 0, 2)), ExitKind::ReservedInstruction);
    EXPECT_EQ(core.cpu.gpr[2], 0u);
    // Outside a delay slot the same BAL links and branches.
    core.cpu.delay_slot = false;
    EXPECT_EQ(raised_by(core, 0x04110001), std::nullopt);
    EXPECT_EQ(core.cpu.gpr[31], 0x400008u);
    EXPECT_EQ(core.branched_to, 0x400008u);
}

TEST(Semantics, LinkingBranchesLinkWhenNotTaken)
{
    ModelCore core;
    core.cpu.gpr[4] = 1; // bltzal a0: not taken
    EXPECT_EQ(raised_by(core, 0x04900003), std::nullopt);
    EXPECT_EQ(core.cpu.gpr[31], 0x400008u);
    EXPECT_TRUE(core.fell_through);
    core.cpu.gpr[31] = 0;
    EXPECT_EQ(raised_by(core, 0x04920003), std::nullopt); // bltzall a0: not taken, slot nullified
    EXPECT_EQ(core.cpu.gpr[31], 0x400008u);
    EXPECT_TRUE(core.nullified);
    // bltzal ra: the condition reads $31 before the link replaces it.
    ModelCore negative;
    negative.cpu.gpr[31] = 0x80000000;
    EXPECT_EQ(raised_by(negative, 0x07f00003), std::nullopt);
    EXPECT_EQ(negative.branched_to, 0x400010u);
}

TEST(Semantics, UnpredictableBitFieldsAreReserved)
{
    ModelCore core;
    core.cpu.gpr[3] = 0xdeadbeef;
    core.cpu.gpr[2] = 0x5555;
    // ext v0, v1, 7, 30 (pos + size = 37) and ins v0, v1 with msb 3 < lsb 7: v0 unchanged.
    EXPECT_EQ(raised_by(core, 0x7c62e9c0), ExitKind::ReservedInstruction);
    EXPECT_EQ(raised_by(core, 0x7c6219c4), ExitKind::ReservedInstruction);
    EXPECT_EQ(core.cpu.gpr[2], 0x5555u);
    // ext v0, v1, 0, 32 and ins v0, v1, 0, 32 are whole-register moves.
    EXPECT_EQ(raised_by(core, 0x7c62f800), std::nullopt);
    EXPECT_EQ(core.cpu.gpr[2], 0xdeadbeefu);
    core.cpu.gpr[2] = 0;
    EXPECT_EQ(raised_by(core, 0x7c62f804), std::nullopt);
    EXPECT_EQ(core.cpu.gpr[2], 0xdeadbeefu);
}

TEST(Semantics, DivisionByZeroDividesByOne)
{
    ModelCore core;
    core.cpu.gpr[4] = 0xfffffff9; // -7
    core.cpu.gpr[5] = 0;
    EXPECT_EQ(raised_by(core, register_word(0x1a, 4, 5, 0)), std::nullopt); // div zero, a0, a1
    EXPECT_EQ(core.cpu.lo, 0xfffffff9u);
    EXPECT_EQ(core.cpu.hi, 0u);
    EXPECT_EQ(raised_by(core, register_word(0x1b, 4, 5, 0)), std::nullopt); // divu
    EXPECT_EQ(core.cpu.lo, 0xfffffff9u);
    EXPECT_EQ(core.cpu.hi, 0u);
    core.cpu.gpr[4] = 0x80000000;
    core.cpu.gpr[5] = 0xffffffff;
    EXPECT_EQ(raised_by(core, register_word(0x1a, 4, 5, 0)), std::nullopt);
    EXPECT_EQ(core.cpu.lo, 0x80000000u);
    EXPECT_EQ(core.cpu.hi, 0u);
}

TEST(Semantics, OverflowLeavesTheDestinationUnchanged)
{
    ModelCore core;
    core.cpu.gpr[4] = 0x7fffffff;
    core.cpu.gpr[5] = 1;
    core.cpu.gpr[2] = 0x1111;
    EXPECT_EQ(raised_by(core, register_word(0x20, 4, 5, 2)), ExitKind::IntegerOverflow); // add
    EXPECT_EQ(core.cpu.gpr[2], 0x1111u);
    EXPECT_EQ(raised_by(core, 0x20820001), ExitKind::IntegerOverflow); // addi v0, a0, 1
    EXPECT_EQ(core.cpu.gpr[2], 0x1111u);
    EXPECT_EQ(raised_by(core, register_word(0x21, 4, 5, 2)), std::nullopt); // addu wraps
    EXPECT_EQ(core.cpu.gpr[2], 0x80000000u);
}

// LWL, LWR, SWL and SWR at every offset, against the manual's little-endian byte model: memory
// byte k of the aligned word is bits 8k+7..8k of the register.
TEST(Semantics, UnalignedWordAccessesAtEveryOffset)
{
    for (unsigned offset = 0; offset < 4; ++offset) {
        ModelCore core;
        for (unsigned index = 0; index < 8; ++index)
            core.memory[index] = static_cast<uint8_t>(0xa0 + index);
        core.cpu.gpr[4] = 0x1000 + offset; // base
        uint8_t register_bytes[4] = {0x44, 0x33, 0x22, 0x11};

        // lwl: register bytes 3 - offset .. 3 come from memory bytes 0 .. offset.
        core.cpu.gpr[2] = 0x11223344;
        run(core, 0x88820000); // lwl v0, 0(a0)
        uint8_t expected[4];
        std::memcpy(expected, register_bytes, 4);
        for (unsigned k = 0; k <= offset; ++k)
            expected[3 - offset + k] = core.memory[k];
        uint32_t expected_value;
        std::memcpy(&expected_value, expected, 4);
        EXPECT_EQ(core.cpu.gpr[2], expected_value) << "lwl at offset " << offset;

        // lwr: register bytes 0 .. 3 - offset come from memory bytes offset .. 3.
        core.cpu.gpr[2] = 0x11223344;
        run(core, 0x98820000); // lwr v0, 0(a0)
        std::memcpy(expected, register_bytes, 4);
        for (unsigned k = offset; k < 4; ++k)
            expected[k - offset] = core.memory[k];
        std::memcpy(&expected_value, expected, 4);
        EXPECT_EQ(core.cpu.gpr[2], expected_value) << "lwr at offset " << offset;

        // swl: memory bytes 0 .. offset get register bytes 3 - offset .. 3.
        std::array<uint8_t, 64> before = core.memory;
        core.cpu.gpr[2] = 0x11223344;
        run(core, 0xa8820000); // swl v0, 0(a0)
        for (unsigned k = 0; k < 8; ++k) {
            uint8_t want = k <= offset ? register_bytes[3 - offset + k] : before[k];
            EXPECT_EQ(core.memory[k], want) << "swl at offset " << offset << ", byte " << k;
        }

        // swr: memory bytes offset .. 3 get register bytes 0 .. 3 - offset.
        core.memory = before;
        run(core, 0xb8820000); // swr v0, 0(a0)
        for (unsigned k = 0; k < 8; ++k) {
            uint8_t want = k >= offset && k < 4 ? register_bytes[k - offset] : before[k];
            EXPECT_EQ(core.memory[k], want) << "swr at offset " << offset << ", byte " << k;
        }
    }
}

TEST(Semantics, PrivilegedInstructionsNeedACoreThatModelsCoprocessor0)
{
    constexpr uint32_t mfc0_status = 0x40026000, eret = 0x42000018, cache = 0xbc850000, mfc2 = 0x48020800;
    ModelCore user;
    EXPECT_EQ(raised_by(user, mfc0_status), ExitKind::CoprocessorUnusable);
    EXPECT_EQ(raised_by(user, eret), ExitKind::CoprocessorUnusable);
    EXPECT_EQ(raised_by(user, cache), ExitKind::CoprocessorUnusable);
    EXPECT_EQ(raised_by(user, mfc2), ExitKind::CoprocessorUnusable);
    SystemModelCore system;
    EXPECT_EQ(raised_by(system, mfc0_status), std::nullopt);
    EXPECT_EQ(system.privileged_opcode, Opcode::MFC0);
    EXPECT_EQ(raised_by(system, eret), std::nullopt);
    EXPECT_EQ(system.privileged_opcode, Opcode::ERET);
    // No coprocessor 2 in either.
    EXPECT_EQ(raised_by(system, mfc2), ExitKind::CoprocessorUnusable);
    // SDBBP without an EJTAG probe.
    EXPECT_EQ(raised_by(user, 0x7000003f), ExitKind::ReservedInstruction);
}

} // namespace isomorph::isa
