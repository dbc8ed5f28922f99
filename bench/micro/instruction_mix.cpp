#include "instruction_mix.h"

#include "isa/instruction.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace isomorph::bench {

namespace {

struct Weight {
    std::string_view name;
    unsigned hundredths_of_a_percent;
};

// Dynamic frequencies of the rows above 0.1 %, and a few floating-point rows (matmul) so that the
// coprocessor-1 part of the decoder is visited too.
constexpr Weight weights[] = {
    {"LW", 1502},  {"ADDIU", 1264}, {"ADDU", 1181}, {"SW", 858},   {"BEQ", 833},   {"SLL", 618},  {"OR", 568},
    {"LBU", 508},  {"SLTU", 506},   {"BNE", 489},   {"ANDI", 207}, {"SUBU", 167},  {"LUI", 140},  {"SLTIU", 121},
    {"SRL", 116},  {"JR", 114},     {"LHU", 89},    {"XOR", 81},   {"AND", 71},    {"LB", 56},    {"SB", 54},
    {"BGEZAL", 51}, {"NOR", 41},    {"JALR", 41},   {"MOVN", 39},  {"EXT", 38},    {"MOVZ", 30},  {"SLTI", 20},
    {"SH", 18},    {"MUL", 17},     {"SLT", 15},    {"RDHWR", 15}, {"ORI", 14},    {"SWR", 12},   {"SWL", 12},
    {"BLEZ", 12},  {"BLTZ", 11},    {"LDC1", 20},   {"SDC1", 10},  {"ADD_D", 10},  {"MUL_D", 10}, {"C_LT_D", 5},
    {"BC1T", 5},
};

// A small, fast, reproducible generator (xorshift32).
struct Random {
    uint32_t state;
    uint32_t next()
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    }
};

const isa::InstructionInfo& row_named(std::string_view name)
{
    for (const isa::InstructionInfo& row : isa::instruction_table)
        if (row.name == name)
            return row;
    throw std::runtime_error("the instruction mix names a row the table does not have: " + std::string(name));
}

bool ends_block(const isa::InstructionInfo& row)
{
    return row.has(isa::Branch) || row.has(isa::Trapping);
}

} // namespace

std::vector<uint32_t> instruction_mix(size_t count, MixKind kind, uint32_t seed)
{
    struct Entry {
        const isa::InstructionInfo* row;
        unsigned cumulative;
    };
    std::vector<Entry> entries;
    unsigned total = 0;
    for (const Weight& weight : weights) {
        const isa::InstructionInfo& row = row_named(weight.name);
        if (kind == MixKind::StraightLine && ends_block(row))
            continue;
        total += weight.hundredths_of_a_percent;
        entries.push_back({&row, total});
    }
    Random random{seed | 1};
    std::vector<uint32_t> words;
    words.reserve(count);
    while (words.size() < count) {
        unsigned pick = random.next() % total;
        const Entry* entry = entries.data();
        while (entry->cumulative <= pick)
            ++entry;
        const isa::Encoding& encoding = entry->row->encoding;
        // The operand bits are free; the fixed bits make the word this row (no two rows overlap).
        words.push_back(encoding.match | (random.next() & ~encoding.mask));
    }
    return words;
}

std::vector<uint32_t> uniform_words(size_t count, uint32_t seed)
{
    Random random{seed | 1};
    std::vector<uint32_t> words(count);
    for (uint32_t& word : words)
        word = random.next();
    return words;
}

} // namespace isomorph::bench
