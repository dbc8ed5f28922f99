// libFuzzer target: every instruction word decodes and disassembles without crashing or undefined
// behaviour, and the decoder's row matches the word under the table's mask and match (a Reserved
// word matches no row). The input is read as little-endian words; four more bytes, when present,
// give the pc used for branch targets.

#include "isa/decoder.h"
#include "isa/disassembler.h"
#include "isa/instruction.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

[[noreturn]] void fail(const char* what, uint32_t word)
{
    std::fprintf(stderr, "decoder target: %s for word %08x\n", what, word);
    std::abort();
}

void check_word(uint32_t word, uint32_t pc)
{
    using namespace isomorph::isa;
    DecodedInstruction decoded = decode(word);
    if (decoded.opcode == Opcode::Reserved) {
        for (const InstructionInfo& row : instruction_table)
            if ((word & row.encoding.mask) == row.encoding.match)
                fail("a Reserved word matches a row", word);
    } else {
        const InstructionInfo& row = info(decoded.opcode);
        if ((word & row.encoding.mask) != row.encoding.match)
            fail("the decoded row does not match", word);
    }
    if (decoded.operands.word != word)
        fail("the operands do not hold the word", word);
    if (disassemble(word, pc, AliasStyle::Aliases).empty() || disassemble(word, pc, AliasStyle::NoAliases).empty())
        fail("empty disassembly", word);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    uint32_t pc = 0x00400000;
    size_t words = size / 4;
    if (words > 1) {
        std::memcpy(&pc, data + (words - 1) * 4, 4);
        --words;
    }
    for (size_t index = 0; index < words; ++index) {
        uint32_t word;
        std::memcpy(&word, data + index * 4, 4);
        check_word(word, pc + static_cast<uint32_t>(index) * 4);
    }
    return 0;
}
