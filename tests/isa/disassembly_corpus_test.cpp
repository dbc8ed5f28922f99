// The disassembler against objdump on every instruction word of every program of the guest
// corpus (tests/guest/programs, built by the guest_programs target), with and without aliases.

#include "objdump.h"

#include "isa/decoder.h"
#include "isa/disassembler.h"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <map>

namespace isomorph::isa {

namespace {

std::vector<std::string> corpus_programs()
{
    std::vector<std::string> programs;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(ISOMORPH_GUEST_PROGRAMS, error)) {
        if (!entry.is_regular_file())
            continue;
        std::ifstream file(entry.path(), std::ios::binary);
        char magic[4] = {};
        file.read(magic, 4);
        if (file && magic[0] == 0x7F && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F')
            programs.push_back(entry.path().string());
    }
    std::sort(programs.begin(), programs.end());
    return programs;
}

void compare_corpus(tests::ObjdumpAliases objdump_style, AliasStyle style)
{
    if (!tests::objdump_available())
        GTEST_SKIP() << "mipsel-linux-gnu-objdump or mipsel-linux-gnu-as not found";
    std::vector<std::string> programs = corpus_programs();
    if (programs.empty())
        GTEST_SKIP() << "no guest programs in " << ISOMORPH_GUEST_PROGRAMS << " (build the guest_programs target)";
    size_t total = 0;
    for (const std::string& program : programs) {
        std::vector<tests::ObjdumpLine> lines = tests::objdump_disassemble(program, objdump_style);
        EXPECT_FALSE(lines.empty()) << program << ": objdump printed no instructions";
        std::map<std::string, size_t> differing; // by objdump's mnemonic
        std::vector<std::string> examples;
        for (const tests::ObjdumpLine& line : lines) {
            std::string ours = disassemble(line.word, line.address, style);
            if (ours == line.text)
                continue;
            std::string mnemonic = line.text.substr(0, line.text.find('\t'));
            if (differing[mnemonic]++ == 0 && examples.size() < 20)
                examples.push_back(fmt::format("{:x}: {:08x} objdump \"{}\", isomorph \"{}\"", line.address, line.word,
                                               line.text, ours));
        }
        total += lines.size();
        if (!differing.empty()) {
            std::string summary;
            for (const auto& [mnemonic, count] : differing)
                summary += fmt::format(" {}({})", mnemonic, count);
            std::string list;
            for (const std::string& example : examples)
                list += "\n    " + example;
            ADD_FAILURE() << program << ": words that differ, by objdump mnemonic:" << summary << list;
        }
    }
    fmt::print("compared {} instruction words in {} programs\n", total, programs.size());
}

} // namespace

TEST(DisassemblyCorpus, AgreesWithObjdump) { compare_corpus(tests::ObjdumpAliases::Aliases, AliasStyle::Aliases); }

TEST(DisassemblyCorpus, AgreesWithObjdumpWithoutAliases)
{
    compare_corpus(tests::ObjdumpAliases::NoAliases, AliasStyle::NoAliases);
}

} // namespace isomorph::isa
