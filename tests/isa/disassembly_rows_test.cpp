// The disassembler against objdump on words of every row of the instruction table: all of a
// row's words when it has at most 2^10 of them, otherwise a few hundred chosen to hit the
// special cases (zero and all-ones fields, equal registers, extreme immediates).

#include "objdump.h"

#include "isa/decoder.h"
#include "isa/disassembler.h"

#include <bit>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <map>
#include <random>

namespace isomorph::isa {

namespace {

std::vector<uint32_t> words_for_row(const InstructionInfo& row, std::mt19937& random)
{
    const Encoding& encoding = row.encoding;
    uint32_t free_bits = ~encoding.mask;
    std::vector<uint32_t> words;
    if (std::popcount(free_bits) <= 10) {
        // Every word of the row: count through the free bits' values.
        uint32_t value = 0;
        do {
            words.push_back(encoding.match | value);
            value = ((value | encoding.mask) + 1) & free_bits;
        } while (value != 0);
        return words;
    }
    auto set_field = [](uint32_t word, unsigned shift, unsigned width, uint32_t value) {
        uint32_t field = ((1u << width) - 1) << shift;
        return (word & ~field) | ((value << shift) & field);
    };
    constexpr unsigned register_shifts[] = {21, 16, 11, 6};
    for (int index = 0; index < 300; ++index) {
        uint32_t word = random();
        for (unsigned shift : register_shifts) {
            switch (random() % 8) {
            case 0:
            case 1: word = set_field(word, shift, 5, 0); break;
            case 2: word = set_field(word, shift, 5, 31); break;
            case 3: word = set_field(word, shift, 5, (word >> register_shifts[random() % 4]) & 31); break;
            default: break;
            }
        }
        if (random() % 8 == 0) // all registers $0 and a small shift: where nop, ssnop, ehb and pause live
            word = set_field(word, 6, 20, random() % 8);
        switch (random() % 8) {
        case 0: word = set_field(word, 0, 16, 0); break;
        case 1: word = set_field(word, 0, 16, 0xFFFF); break;
        case 2: word = set_field(word, 0, 16, 0x8000); break;
        case 3: word = set_field(word, 0, 16, 0x7FFF); break;
        default: break;
        }
        words.push_back(encoding.match | (word & free_bits));
    }
    return words;
}

void compare_with_objdump(tests::ObjdumpAliases objdump_style, AliasStyle style)
{
    if (!tests::objdump_available())
        GTEST_SKIP() << "mipsel-linux-gnu-objdump or mipsel-linux-gnu-as not found";
    std::mt19937 random(20240611);
    std::vector<uint32_t> words;
    for (const InstructionInfo& row : instruction_table) {
        std::vector<uint32_t> row_words = words_for_row(row, random);
        words.insert(words.end(), row_words.begin(), row_words.end());
    }
    tests::TemporaryDirectory directory;
    std::string object = tests::assemble_words(words, directory.path());
    std::vector<tests::ObjdumpLine> lines = tests::objdump_disassemble(object, objdump_style);
    // The assembler pads the section; the padding is not ours to compare.
    std::erase_if(lines, [&](const tests::ObjdumpLine& line) { return line.address / 4 >= words.size(); });
    ASSERT_EQ(lines.size(), words.size()) << "objdump printed a different number of words";

    std::map<Opcode, std::vector<std::string>> mismatches;
    for (const tests::ObjdumpLine& line : lines) {
        std::string ours = disassemble(line.word, line.address, style);
        if (ours != line.text)
            mismatches[decode_opcode(line.word)].push_back(
                fmt::format("{:08x} at {:x}: objdump \"{}\", isomorph \"{}\"", line.word, line.address, line.text, ours));
    }
    for (const auto& [opcode, list] : mismatches) {
        std::string examples;
        for (size_t index = 0; index < list.size() && index < 5; ++index)
            examples += "\n    " + list[index];
        ADD_FAILURE() << info(opcode).name << ": " << list.size() << " words differ" << examples;
    }
    fmt::print("compared {} words of {} rows\n", words.size(), instruction_count);
}

} // namespace

TEST(DisassemblyRows, AgreesWithObjdump) { compare_with_objdump(tests::ObjdumpAliases::Aliases, AliasStyle::Aliases); }

TEST(DisassemblyRows, AgreesWithObjdumpWithoutAliases)
{
    compare_with_objdump(tests::ObjdumpAliases::NoAliases, AliasStyle::NoAliases);
}

} // namespace isomorph::isa
