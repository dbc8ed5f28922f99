#include "isa/decoder.h"
#include "isa/disassembler.h"

#include <gtest/gtest.h>

namespace isomorph::isa {

TEST(InstructionTable, NoTwoRowsOverlap)
{
    // Two rows overlap when some word matches both: their fixed bits agree wherever both fix them.
    for (unsigned first = 0; first < instruction_count; ++first) {
        for (unsigned second = first + 1; second < instruction_count; ++second) {
            const Encoding& a = instruction_table[first].encoding;
            const Encoding& b = instruction_table[second].encoding;
            uint32_t common = a.mask & b.mask;
            EXPECT_NE(a.match & common, b.match & common)
                << instruction_table[first].name << " overlaps " << instruction_table[second].name;
        }
    }
}

TEST(Decoder, EveryRowDecodesToItself)
{
    for (const InstructionInfo& row : instruction_table)
        EXPECT_EQ(decode_opcode(row.encoding.match), row.opcode) << row.name;
}

TEST(Decoder, KnownWords)
{
    EXPECT_EQ(decode_opcode(0x27bdffe0), Opcode::ADDIU); // addiu sp,sp,-32
    EXPECT_EQ(decode_opcode(0x03e00008), Opcode::JR);    // jr ra
    EXPECT_EQ(decode_opcode(0x0000000c), Opcode::SYSCALL);
    EXPECT_EQ(decode_opcode(0xffffffff), Opcode::Reserved);
}

TEST(Disassembler, Basics)
{
    EXPECT_EQ(disassemble(0x27bdffe0, 0), "addiu\tsp,sp,-32");
    EXPECT_EQ(disassemble(0x8fbf001c, 0), "lw\tra,28(sp)");
}

} // namespace isomorph::isa
