// Branch and jump targets at the edges of the address space, which the objdump comparisons (run
// on code at low addresses) do not reach.

#include "isa/disassembler.h"

#include <gtest/gtest.h>

namespace isomorph::isa {

TEST(DisassemblerTargets, BranchOffsetsWrapAroundTheAddressSpace)
{
    EXPECT_EQ(disassemble(0x1000ffff, 0x00000000), "b\t0");          // offset -1 from the slot
    EXPECT_EQ(disassemble(0x1000fffe, 0x00000000), "b\tfffffffc");   // wraps below zero
    EXPECT_EQ(disassemble(0x10000002, 0xfffffff8), "b\t4");          // wraps above the top
    EXPECT_EQ(disassemble(0x10008000, 0x00420000), "b\t400004");     // the most negative offset
    EXPECT_EQ(disassemble(0x10007fff, 0x00420000), "b\t440000");     // the most positive offset
}

TEST(DisassemblerTargets, JumpsStayInTheDelaySlotsRegion)
{
    EXPECT_EQ(disassemble(0x08000000, 0x00400000), "j\t0");
    EXPECT_EQ(disassemble(0x0bffffff, 0x00400000), "j\tffffffc");
    // A J in the last word of a 256 MB region jumps within the next one, where its slot is.
    EXPECT_EQ(disassemble(0x0c000001, 0x0ffffffc), "jal\t10000004");
    EXPECT_EQ(disassemble(0x08000010, 0xf0000000), "j\tf0000040");
}

TEST(DisassemblerTargets, RegisterNames)
{
    EXPECT_EQ(register_name(0), "zero");
    EXPECT_EQ(register_name(30), "s8");
    EXPECT_EQ(register_name(31), "ra");
}

} // namespace isomorph::isa
