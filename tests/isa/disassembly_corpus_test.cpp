// The disassembler against objdump on every instruction word of every program of the guest
// corpus (tests/guest/programs, built by the guest_programs target), with and without aliases.
// ISOMORPH_DISASSEMBLY_CORPUS=FILE:FILE... adds more programs.

#include "objdump.h"

#include "isa/decoder.h"
#include "isa/disassembler.h"

#include <cstdlib>
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
    // More programs to compare, separated by ':' (for example a busybox binary).
    if (const char* extra = std::getenv("ISOMORPH_DISASSEMBLY_CORPUS")) {
        std::string list = extra;
        for (size_t start = 0; start <= list.size();) {
            size_t end = list.find(':', start);
            if (end == std::string::npos)
                end = list.size();
            if (end > start)
                programs.push_back(list.substr(start, end - start));
            start = end + 1;
        }
    }
    return programs;
}

// Where no symbol covers a branch target (a stripped program), objdump prints it as "0x..."
// instead of "... <symbol+offset>"; the disassembler prints bare hexadecimal either way.
std::string without_hex_prefix_on_target(const tests::ObjdumpLine& line)
{
    Opcode opcode = decode_opcode(line.word);
    if (opcode == Opcode::Reserved || !info(opcode).has(Branch))
        return line.text;
    size_t last = line.text.find_last_of("\t,");
    if (last == std::string::npos || line.text.compare(last + 1, 2, "0x") != 0)
        return line.text;
    return line.text.substr(0, last + 1) + line.text.substr(last + 3);
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
            if (ours == line.text || ours == without_hex_prefix_on_target(line))
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
