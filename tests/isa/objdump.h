#pragma once

// Running GNU objdump on MIPS code and reading back what it printed, for the tests that compare
// Isomorph's disassembler with it.

#include <cstdint>
#include <string>
#include <vector>

namespace isomorph::tests {

// Tool paths, set by tests/isa/CMakeLists.txt.
std::string objdump_path();
std::string assembler_path();
// Whether both were found when the build was configured.
bool objdump_available();

struct ObjdumpLine {
    uint32_t address = 0;
    uint32_t word = 0;
    std::string text; // "mnemonic\toperands", without the " <symbol+offset>" suffix of branch targets
};

enum class ObjdumpAliases { Aliases, NoAliases };

// Every instruction word objdump -d -z prints for file (all executable sections).
std::vector<ObjdumpLine> objdump_disassemble(const std::string& file, ObjdumpAliases aliases);

// Assembles the words into a little-endian MIPS32 Release 2 object file (as .word directives at
// addresses 0, 4, 8, ...) and returns its path inside directory.
std::string assemble_words(const std::vector<uint32_t>& words, const std::string& directory);

// A fresh temporary directory, removed by the destructor.
class TemporaryDirectory {
public:
    TemporaryDirectory();
    ~TemporaryDirectory();
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

} // namespace isomorph::tests
