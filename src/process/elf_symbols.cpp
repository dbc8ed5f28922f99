#include "process/elf_symbols.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <fmt/format.h>
#include <fstream>
#include <iterator>

namespace isomorph::process {

namespace {

// The T at offset in the file, or nothing if it lies outside.
template <class T> std::optional<T> read_at(const std::vector<char>& file, uint64_t offset)
{
    if (offset + sizeof(T) > file.size())
        return std::nullopt;
    T value;
    std::memcpy(&value, file.data() + offset, sizeof value);
    return value;
}

} // namespace

SymbolTable SymbolTable::read(const std::string& path, uint32_t load_bias)
{
    SymbolTable table;
    std::ifstream stream(path, std::ios::binary);
    std::vector<char> file((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    auto header = read_at<Elf32_Ehdr>(file, 0);
    if (!header || std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 || header->e_ident[EI_CLASS] != ELFCLASS32 ||
        header->e_ident[EI_DATA] != ELFDATA2LSB || header->e_shentsize != sizeof(Elf32_Shdr))
        return table;
    std::vector<Elf32_Shdr> sections;
    for (unsigned index = 0; index < header->e_shnum; ++index) {
        auto section = read_at<Elf32_Shdr>(file, header->e_shoff + uint64_t{index} * sizeof(Elf32_Shdr));
        if (!section)
            return table;
        sections.push_back(*section);
    }
    // The full symbol table when the file has one, the dynamic one otherwise.
    for (uint32_t wanted : {uint32_t{SHT_SYMTAB}, uint32_t{SHT_DYNSYM}}) {
        for (const Elf32_Shdr& section : sections) {
            if (section.sh_type != wanted || section.sh_link >= sections.size())
                continue;
            const Elf32_Shdr& strings = sections[section.sh_link];
            for (uint64_t offset = 0; offset + sizeof(Elf32_Sym) <= section.sh_size; offset += sizeof(Elf32_Sym)) {
                auto symbol = read_at<Elf32_Sym>(file, section.sh_offset + offset);
                if (!symbol || ELF32_ST_TYPE(symbol->st_info) != STT_FUNC || symbol->st_value == 0 ||
                    symbol->st_name >= strings.sh_size)
                    continue;
                uint64_t name_offset = uint64_t{strings.sh_offset} + symbol->st_name;
                if (name_offset >= file.size())
                    continue;
                const char* name = file.data() + name_offset;
                size_t length = strnlen(name, file.size() - name_offset);
                table.m_symbols.push_back(Symbol{symbol->st_value + load_bias, symbol->st_size, std::string(name, length)});
            }
        }
        if (!table.m_symbols.empty())
            break;
    }
    std::sort(table.m_symbols.begin(), table.m_symbols.end(),
              [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
    return table;
}

std::optional<std::string> SymbolTable::describe(uint32_t address) const
{
    auto after = std::upper_bound(m_symbols.begin(), m_symbols.end(), address,
                                  [](uint32_t value, const Symbol& symbol) { return value < symbol.address; });
    if (after == m_symbols.begin())
        return std::nullopt;
    const Symbol& symbol = *std::prev(after);
    uint32_t offset = address - symbol.address;
    // A symbol without a size covers everything up to the next one.
    if (symbol.size != 0 && offset >= symbol.size)
        return std::nullopt;
    if (offset == 0)
        return symbol.name;
    return fmt::format("{}+{:#x}", symbol.name, offset);
}

} // namespace isomorph::process
