// A recorded corpus of hand-picked words, several for every row of the instruction table, with
// what objdump printed for each (tests/isa/disassembly_words.txt). It checks the disassembler
// without needing objdump, and it fails when a row has no words recorded.
//
// The words of a row: its fields filled with a fixed pattern (rs = a0, rt = a1, rd = v0, sa = 3),
// all zeros (where objdump's aliases live: nop, b, li, move...), all ones, and one random word.
// To record the file again after adding rows, run
//   isomorph_isa_tests --gtest_also_run_disabled_tests --gtest_filter='*RecordObjdump*'

#include "objdump.h"

#include "isa/decoder.h"
#include "isa/disassembler.h"

#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <sstream>

namespace isomorph::isa {

namespace {

const char* const words_file = ISOMORPH_SOURCE_DIR "/tests/isa/disassembly_words.txt";

struct RecordedWord {
    std::string row;
    uint32_t word = 0;
    uint32_t address = 0;
    std::string with_aliases;
    std::string without_aliases;
};

// The file stores "mnemonic operands"; objdump separates the two with a tab.
std::string to_file(const std::string& text)
{
    std::string result = text;
    size_t tab = result.find('\t');
    if (tab != std::string::npos)
        result[tab] = ' ';
    return result;
}

std::string from_file(std::string text)
{
    size_t space = text.find(' ');
    if (space != std::string::npos)
        text[space] = '\t';
    return text;
}

std::string trim(const std::string& text)
{
    size_t begin = text.find_first_not_of(' ');
    size_t end = text.find_last_not_of(' ');
    return begin == std::string::npos ? std::string() : text.substr(begin, end - begin + 1);
}

std::vector<RecordedWord> read_words()
{
    std::ifstream in(words_file);
    std::vector<RecordedWord> words;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        // ROW WORD ADDRESS | text | no-aliases text
        size_t first_bar = line.find('|');
        size_t second_bar = line.find('|', first_bar + 1);
        if (first_bar == std::string::npos || second_bar == std::string::npos)
            throw std::runtime_error("malformed line in " + std::string(words_file) + ": " + line);
        std::istringstream head(line.substr(0, first_bar));
        RecordedWord word;
        std::string hex_word, hex_address;
        head >> word.row >> hex_word >> hex_address;
        word.word = static_cast<uint32_t>(std::stoul(hex_word, nullptr, 16));
        word.address = static_cast<uint32_t>(std::stoul(hex_address, nullptr, 16));
        word.with_aliases = from_file(trim(line.substr(first_bar + 1, second_bar - first_bar - 1)));
        word.without_aliases = from_file(trim(line.substr(second_bar + 1)));
        words.push_back(word);
    }
    return words;
}

} // namespace

TEST(HandPickedWords, MatchTheRecordedObjdumpOutput)
{
    std::vector<RecordedWord> words = read_words();
    ASSERT_FALSE(words.empty()) << "no words in " << words_file;
    std::map<std::string, int> per_row;
    for (const RecordedWord& recorded : words) {
        Opcode opcode = decode_opcode(recorded.word);
        std::string_view name = opcode == Opcode::Reserved ? "Reserved" : info(opcode).name;
        EXPECT_EQ(name, recorded.row) << fmt::format("{:08x}", recorded.word);
        ++per_row[std::string(name)];
        EXPECT_EQ(disassemble(recorded.word, recorded.address, AliasStyle::Aliases), recorded.with_aliases)
            << fmt::format("{:08x} at {:x} ({})", recorded.word, recorded.address, recorded.row);
        EXPECT_EQ(disassemble(recorded.word, recorded.address, AliasStyle::NoAliases), recorded.without_aliases)
            << fmt::format("{:08x} at {:x} ({}), no aliases", recorded.word, recorded.address, recorded.row);
    }
    for (const InstructionInfo& row : instruction_table)
        EXPECT_GE(per_row[std::string(row.name)], 3) << row.name << " has no hand-picked words in " << words_file;
}

TEST(HandPickedWords, DISABLED_RecordObjdump)
{
    std::mt19937 random(7);
    // rs = a0, rt = a1, rd = v0, sa = 3, function = 3 (so the immediate is 0x10c3).
    constexpr uint32_t pattern = (4u << 21) | (5u << 16) | (2u << 11) | (3u << 6) | 3u;
    std::vector<uint32_t> words;
    std::vector<std::string> rows;
    for (const InstructionInfo& row : instruction_table) {
        uint32_t free_bits = ~row.encoding.mask;
        for (uint32_t fill : {pattern, 0u, ~0u, static_cast<uint32_t>(random())}) {
            words.push_back(row.encoding.match | (fill & free_bits));
            rows.emplace_back(row.name);
        }
    }
    // Words for objdump's special forms, and corners of the operand syntax.
    for (uint32_t word : {0x00a01021u, 0x00a01025u, 0x00001021u, 0x04110004u, 0x10800004u, 0x14800004u, 0x50800004u,
                          0x54800004u, 0x50000004u, 0x10000004u, 0x04010004u, 0x00041023u, 0x00041022u, 0x24040005u,
                          0x3404ffffu, 0x2404ffffu, 0x0080f809u, 0x0080fc09u, 0x00800009u, 0x00000040u, 0x000000c0u,
                          0x00000140u, 0x0000010fu, 0x0000040fu, 0x0000044fu, 0x0000048fu, 0x000004cfu, 0x008501f4u,
                          0x00850034u, 0x0007000du, 0x0007004du, 0x0000040du, 0x0000004cu, 0x7c03e83bu, 0x7c04103bu,
                          0x7c8219c4u, 0x7d09e9c0u, 0x7fffffc0u, 0x0c100000u, 0x08100000u, 0x70a41020u, 0x70a21020u,
                          0x70070020u, 0x00241082u, 0x00851046u, 0x00451001u, 0x4080f807u, 0x40026001u, 0x41626000u,
                          0x41606000u, 0x43ffffe0u, 0x48020801u, 0x49040004u, 0x46000011u, 0x45040004u, 0x46000130u,
                          0x44400000u, 0x44c0f800u}) {
        Opcode opcode = decode_opcode(word);
        ASSERT_NE(opcode, Opcode::Reserved) << std::hex << word;
        words.push_back(word);
        rows.emplace_back(info(opcode).name);
    }
    // A few words no row matches.
    for (uint32_t reserved : {0xffffffffu, 0x7c0308bbu, 0x7c0000bbu, 0x03e00048u, 0x00461001u}) {
        EXPECT_EQ(decode_opcode(reserved), Opcode::Reserved);
        words.push_back(reserved);
        rows.emplace_back("Reserved");
    }
    tests::TemporaryDirectory directory;
    std::string object = tests::assemble_words(words, directory.path());
    std::vector<tests::ObjdumpLine> with = tests::objdump_disassemble(object, tests::ObjdumpAliases::Aliases);
    std::vector<tests::ObjdumpLine> without = tests::objdump_disassemble(object, tests::ObjdumpAliases::NoAliases);
    ASSERT_GE(with.size(), words.size());
    ASSERT_GE(without.size(), words.size());
    std::ofstream out(words_file);
    out << "# Hand-picked instruction words and what `mipsel-linux-gnu-objdump -d` (binutils 2.40) printed for\n"
           "# them, with and without -M no-aliases. Read by hand_picked_words_test.cpp, which also says how\n"
           "# to record the file again.\n"
           "# ROW WORD ADDRESS | objdump -d | objdump -d -M no-aliases\n";
    for (size_t index = 0; index < words.size(); ++index) {
        ASSERT_EQ(with[index].word, words[index]);
        out << fmt::format("{:<10} {:08x} {:5x} | {:<32} | {}\n", rows[index], words[index], with[index].address,
                           to_file(with[index].text), to_file(without[index].text));
    }
}

} // namespace isomorph::isa
