#include "generator.h"

#include "isa/instruction.h"

#include <algorithm>
#include <string_view>

namespace isomorph::fuzz {

namespace {

using isa::InstructionInfo;

constexpr uint32_t break_word = 0x0000000D;

// Rows whose first execution ends the run in user mode: privileged and coprocessor 2
// instructions, SYSCALL, BREAK and SDBBP. They appear rarely so that most runs reach the end.
bool is_terminal(const InstructionInfo& row)
{
    if (row.has(isa::Privileged))
        return true;
    if (row.name.find("C2") != std::string_view::npos || row.name == "COP2")
        return true;
    return row.name == "SYSCALL" || row.name == "BREAK" || row.name == "SDBBP";
}

bool is_memory(const InstructionInfo& row)
{
    return row.syntax.find("mem") != std::string_view::npos || row.syntax.find("index") != std::string_view::npos;
}

struct RowClasses {
    std::vector<unsigned> branches, terminals, traps, memory, plain;

    RowClasses()
    {
        for (unsigned index = 0; index < isa::instruction_count; ++index) {
            const InstructionInfo& row = isa::instruction_table[index];
            if (is_terminal(row))
                terminals.push_back(index);
            else if (row.has(isa::Branch))
                branches.push_back(index);
            else if (row.has(isa::Trapping))
                traps.push_back(index);
            else if (is_memory(row))
                memory.push_back(index);
            else
                plain.push_back(index);
        }
    }
};

const RowClasses& classes()
{
    static const RowClasses rows;
    return rows;
}

uint32_t with_field(uint32_t word, unsigned shift, uint32_t value) { return (word & ~(31u << shift)) | ((value & 31) << shift); }

constexpr uint32_t immediate_mask = 0xFFFF;

// $30 counts loop iterations (Generator::append_loop); no other generated instruction names it.
constexpr uint32_t loop_counter = 30;

uint32_t addiu(uint32_t rt, uint32_t rs, int32_t value)
{
    return (9u << 26) | (rs << 21) | (rt << 16) | (static_cast<uint32_t>(value) & immediate_mask);
}

} // namespace

uint32_t Generator::interesting_value()
{
    static constexpr uint32_t values[] = {0, 1, 2, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x8000,
                                          0xFFFF8000, 0x7FFF, 0xFFFF, 0x10000, 31, 32, 0x3F800000, 0x7F800000};
    switch (pick(6)) {
    case 0: return values[pick(std::size(values))];
    case 1: return pick(64);
    case 2: return static_cast<uint32_t>(-static_cast<int32_t>(pick(64)));
    case 3: return (scratch_base_upper << 16) + pick(0x100) * 4 - 0x200; // a scratch address
    default: return random_word();
    }
}

uint64_t Generator::interesting_fpr()
{
    static constexpr uint64_t doubles[] = {
        0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x000FFFFFFFFFFFFF, 0x0010000000000000,
        0x7FEFFFFFFFFFFFFF, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF4000000000000, 0x7FF8000000000000,
        0xFFF7FFFFFFFFFFFF, 0x3FF0000000000000, 0x3FE0000000000000, 0xC00C000000000000, 0x41E0000000000000,
        0xC1E0000000200000, 0x43E0000000000000, 0x4330000000000001, 0x3CA0000000000000, 0x400921FB54442D18,
    };
    static constexpr uint32_t singles[] = {
        0x00000000, 0x80000000, 0x00000001, 0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0x7F800000, 0xFF800000,
        0x7FA00000, 0x7FC00000, 0xFFBFFFFF, 0x3F800000, 0x3F000000, 0xC0600000, 0x4F000000, 0xCF000001,
        0x5F000000, 0x4B000001, 0x33800000, 0x40490FDB,
    };
    switch (pick(5)) {
    case 0:
    case 1: return doubles[pick(std::size(doubles))];
    case 2: return (m_random() & 0xFFFFFFFF00000000) | singles[pick(std::size(singles))];
    case 3: return (static_cast<uint64_t>(singles[pick(std::size(singles))]) << 32) | singles[pick(std::size(singles))];
    default: return m_random();
    }
}

void Generator::randomize_state(cpu::CpuState& state)
{
    state = cpu::CpuState{};
    for (unsigned number = 1; number < 32; ++number)
        state.gpr[number] = interesting_value();
    state.gpr[loop_counter] = 0;
    state.hi = interesting_value();
    state.lo = interesting_value();
    state.user_local = random_word();
    for (auto& slot : state.fpu.fpr)
        slot = interesting_fpr();
    uint32_t fcsr = pick(4);                            // RM
    if (chance(20))
        fcsr |= cpu::fcsr::flush_to_zero;
    if (chance(15))
        fcsr |= (1 + pick(31)) << cpu::fcsr::enables_shift;
    fcsr |= pick(32) << cpu::fcsr::flags_shift;
    if (chance(20))
        fcsr |= pick(64) << cpu::fcsr::cause_shift;
    fcsr |= random_word() & 0xFE800000;                  // FCC7..FCC0
    state.fpu.fcsr = fcsr & cpu::fcsr::writable_mask;
    state.fpu.fr = chance(50);
    state.fpu.enabled = !chance(1);
}

unsigned Generator::pick_row(bool branch)
{
    const RowClasses& rows = classes();
    if (branch)
        return rows.branches[pick(static_cast<uint32_t>(rows.branches.size()))];
    unsigned roll = pick(1000);
    const std::vector<unsigned>& from = roll < 5 ? rows.terminals : roll < 20 ? rows.traps : roll < 330 ? rows.memory : rows.plain;
    unsigned index = from[pick(static_cast<uint32_t>(from.size()))];
    // With Status.FR = 0 the 64-bit integer formats and LUXC1/SUXC1 are reserved instructions:
    // drawn less often there, so that they do not end most such cases early.
    std::string_view name = isa::instruction_table[index].name;
    bool needs_fr = name.ends_with("_L") || name.find("_L_") != std::string_view::npos || name == "LUXC1" ||
                    name == "SUXC1";
    if (needs_fr && !m_fr && chance(85))
        return pick_row(false);
    return index;
}

uint32_t Generator::fill_operands(unsigned index)
{
    const InstructionInfo& row = isa::instruction_table[index];
    uint32_t free_bits = ~row.encoding.mask;
    uint32_t word = row.encoding.match | (random_word() & free_bits);
    std::string_view name = row.name;
    if ((free_bits & immediate_mask) == immediate_mask && chance(30))
        word = (word & ~immediate_mask) | (static_cast<uint32_t>(static_cast<int32_t>(pick(32)) - 16) & immediate_mask);
    if (row.has(isa::FloatingPoint) && chance(95)) {
        // Even register numbers, so that doubles with Status.FR = 0 are not rejected.
        for (unsigned bit : {21u, 16u, 11u, 6u})
            word &= ~((1u << bit) & free_bits);
    }
    if (name == "CTC1" || name == "CFC1") {
        static constexpr uint32_t control_registers[] = {0, 25, 26, 28, 31};
        if (chance(90))
            word = with_field(word, 11, control_registers[pick(std::size(control_registers))]);
    } else if (name == "EXT" && chance(95)) {
        uint32_t lsb = pick(32), msbd = pick(32 - lsb);
        word = with_field(with_field(word, 6, lsb), 11, msbd);
    } else if (name == "INS" && chance(95)) {
        uint32_t lsb = pick(32), msb = lsb + pick(32 - lsb);
        word = with_field(with_field(word, 6, lsb), 11, msb);
    } else if (name == "RDHWR" && chance(95)) {
        static constexpr uint32_t hardware_registers[] = {0, 1, 2, 3, 29};
        word = with_field(word, 11, hardware_registers[pick(std::size(hardware_registers))]);
    }
    for (unsigned shift : {21u, 16u, 11u})
        if (((free_bits >> shift) & 31) == 31 && ((word >> shift) & 31) == loop_counter)
            word = with_field(word, shift, 28);
    return word;
}

uint32_t Generator::straight_line(std::vector<uint32_t>& base_setup)
{
    unsigned index = pick_row(false);
    const InstructionInfo& row = isa::instruction_table[index];
    uint32_t word = fill_operands(index);
    if (!is_memory(row))
        return word;
    // Alignment for the widest access; now and then a misaligned one, which raises an address error.
    int32_t offset = static_cast<int32_t>(pick(0x10000)) - 0x8000;
    if (chance(60))
        offset = static_cast<int32_t>(pick(0x80)) * 4 - 0x100; // near the special values
    if (!chance(8))
        offset &= ~7;
    uint32_t base = 1 + pick(29);
    base_setup.push_back((0xFu << 26) | (base << 16) | scratch_base_upper); // lui base, upper
    word = with_field(word, 21, base);
    if (row.syntax.find("index") != std::string_view::npos) {
        uint32_t index_register = 1 + pick(29);
        if (index_register == base)
            index_register = base % 29 + 1;
        base_setup.push_back((9u << 26) | (index_register << 16) | (static_cast<uint32_t>(offset) & immediate_mask)); // addiu
        word = with_field(word, 16, index_register);
    } else {
        word = (word & ~immediate_mask) | (static_cast<uint32_t>(offset) & immediate_mask);
    }
    return word;
}

void Generator::append_item(std::vector<uint32_t>& words, std::vector<Fixup>& fixups, unsigned remaining)
{
    std::vector<uint32_t> setup;
    if (remaining > 8 && chance(4)) {
        append_loop(words);
        return;
    }
    if (chance(3)) {
        append_linked_pair(words);
        return;
    }
    if (!chance(14)) {
        uint32_t word = straight_line(setup);
        words.insert(words.end(), setup.begin(), setup.end());
        words.push_back(word);
        return;
    }
    unsigned index = pick_row(true);
    const InstructionInfo& row = isa::instruction_table[index];
    uint32_t word = fill_operands(index);
    std::vector<uint32_t> delay_setup;
    uint32_t delay = straight_line(delay_setup);
    size_t distance = chance(5) ? 0 : 1 + pick(std::min(remaining, 16u));
    words.insert(words.end(), delay_setup.begin(), delay_setup.end());
    if (row.has(isa::RegisterJump)) {
        // lui r, upper; ori r, r, lower: r holds the target. It differs from the delay slot's base.
        uint32_t target_register = 1 + pick(29);
        if (!delay_setup.empty() && target_register == ((delay_setup[0] >> 16) & 31))
            target_register = target_register % 29 + 1;
        size_t branch = words.size() + 2;
        fixups.push_back({Fixup::Upper, words.size(), branch, distance});
        words.push_back((0xFu << 26) | (target_register << 16));
        fixups.push_back({Fixup::Lower, words.size(), branch, distance});
        words.push_back((0xDu << 26) | (target_register << 21) | (target_register << 16));
        word = with_field(word, 21, target_register);
        if (row.has(isa::Link)) {
            uint32_t link = pick(30); // never the loop counter
            word = with_field(word, 11, link == target_register ? 31 - (target_register == 31) : link);
        }
    } else {
        fixups.push_back({row.syntax.find("jump") != std::string_view::npos ? Fixup::Absolute : Fixup::Relative,
                          words.size(), words.size(), distance});
    }
    words.push_back(word);
    words.push_back(delay);
}

void Generator::append_loop(std::vector<uint32_t>& words)
{
    // addiu $30, $zero, n; body; addiu $30, $30, -1; bgtz $30, body; delay slot. A branch from
    // earlier into the body finds $30 at zero (its initial value and its value after a loop), so
    // every loop ends.
    words.push_back(addiu(loop_counter, 0, static_cast<int32_t>(1 + pick(4))));
    size_t body = words.size();
    for (unsigned count = 1 + pick(4); count > 0; --count) {
        std::vector<uint32_t> setup;
        uint32_t word = straight_line(setup);
        words.insert(words.end(), setup.begin(), setup.end());
        words.push_back(word);
    }
    std::vector<uint32_t> delay_setup;
    uint32_t delay = chance(50) ? 0 : straight_line(delay_setup);
    words.insert(words.end(), delay_setup.begin(), delay_setup.end());
    words.push_back(addiu(loop_counter, loop_counter, -1));
    int32_t offset = static_cast<int32_t>(body) - static_cast<int32_t>(words.size() + 1);
    uint32_t opcode = chance(70) ? 7u : 0x17u; // bgtz, bgtzl
    words.push_back((opcode << 26) | (loop_counter << 21) | (static_cast<uint32_t>(offset) & immediate_mask));
    words.push_back(delay);
}

void Generator::append_linked_pair(std::vector<uint32_t>& words)
{
    // lui base; ll rt, offset(base); an instruction or two; sc rt2, offset(base): SC succeeds unless
    // what comes between changes the word or the link.
    uint32_t base = 1 + pick(29);
    uint32_t offset = (pick(0x80) * 4 - 0x100) & immediate_mask;
    words.push_back((0xFu << 26) | (base << 16) | scratch_base_upper);
    uint32_t loaded = 1 + pick(29);
    words.push_back((0x30u << 26) | (base << 21) | (loaded << 16) | offset);
    for (unsigned count = pick(3); count > 0; --count) {
        std::vector<uint32_t> setup;
        uint32_t word = straight_line(setup);
        words.insert(words.end(), setup.begin(), setup.end());
        words.push_back(word);
    }
    words.push_back((0xFu << 26) | (base << 16) | scratch_base_upper);
    if (chance(70))
        words.push_back(addiu(loaded, loaded, static_cast<int32_t>(pick(8))));
    words.push_back((0x38u << 26) | (base << 21) | (loaded << 16) | offset);
}

Case Generator::generate(unsigned length)
{
    Case result;
    randomize_state(result.initial);
    m_fr = result.initial.fpu.fr;
    if (chance(30))
        result.slice_seed = static_cast<uint32_t>(random_word() | 1);
    unsigned target_length = 4 + pick(std::max(length, 5u));
    std::vector<Fixup> fixups;
    while (result.words.size() < target_length)
        append_item(result.words, fixups, target_length - static_cast<unsigned>(result.words.size()));
    size_t break_index = result.words.size();
    result.words.push_back(break_word | (pick(0x100000) << 6));
    for (const Fixup& fixup : fixups) {
        size_t target = std::min(fixup.branch + 1 + fixup.distance, break_index);
        uint32_t address = code_address + static_cast<uint32_t>(target) * 4;
        uint32_t& word = result.words[fixup.position];
        switch (fixup.kind) {
        case Fixup::Relative:
            word = (word & ~immediate_mask) | (static_cast<uint32_t>(target - fixup.branch - 1) & immediate_mask);
            break;
        case Fixup::Absolute: word = (word & 0xFC000000) | ((address >> 2) & 0x03FFFFFF); break;
        case Fixup::Upper: word = (word & ~immediate_mask) | (address >> 16); break;
        case Fixup::Lower: word = (word & ~immediate_mask) | (address & immediate_mask); break;
        }
    }
    return result;
}

} // namespace isomorph::fuzz
