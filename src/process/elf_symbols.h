#pragma once

// The function symbols of an ELF file, for naming guest addresses in reports (`isomorph run
// --profile`). A stripped file has none; every lookup then finds nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace isomorph::process {

class SymbolTable {
public:
    // The STT_FUNC symbols of the 32-bit little-endian ELF file at path (.symtab, else .dynsym),
    // moved by load_bias. Empty when the file cannot be read or has no symbols.
    static SymbolTable read(const std::string& path, uint32_t load_bias);

    // "name" or "name+0xOFFSET" for the function holding address, if there is one.
    std::optional<std::string> describe(uint32_t address) const;

    size_t size() const { return m_symbols.size(); }

private:
    struct Symbol {
        uint32_t address = 0;
        uint32_t size = 0;
        std::string name;
    };
    std::vector<Symbol> m_symbols; // by address
};

} // namespace isomorph::process
