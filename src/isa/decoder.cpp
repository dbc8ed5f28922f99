#include "isa/decoder.h"

#include <algorithm>
#include <vector>

namespace isomorph::isa {

namespace {

// A decision tree over the table's mask/match pairs, built once and stored flat. An inner node
// switches on a bit field that every row below it fixes; a leaf lists the few rows left, which
// are tried in order. The exhaustive test in tests/isa checks the result on all 2^32 words.
//
// Each entry of m_entries is either an inner node (bit 31 clear): bits 30:26 the field's shift,
// bits 25:22 its width, bits 21:0 the index of its first child entry; or a leaf (bit 31 set):
// bits 30:16 the number of candidates, bits 15:0 the index of the first one in m_candidates.
class DecodeTree {
public:
    DecodeTree()
    {
        std::vector<uint16_t> rows(instruction_count);
        for (unsigned index = 0; index < instruction_count; ++index)
            rows[index] = static_cast<uint16_t>(index);
        m_entries.push_back(0);
        m_entries[0] = build(rows, 0);
    }

    Opcode decode(uint32_t word) const
    {
        uint32_t entry = m_entries[0];
        while (!(entry & leaf_bit))
            entry = m_entries[(entry & 0x3FFFFF) + ((word >> (entry >> 26)) & ((1u << ((entry >> 22) & 15)) - 1))];
        const Candidate* candidate = &m_candidates[entry & 0xFFFF];
        for (uint32_t count = (entry >> 16) & 0x7FFF; count != 0; --count, ++candidate)
            if ((word & candidate->mask) == candidate->match)
                return candidate->opcode;
        return Opcode::Reserved;
    }

private:
    static constexpr uint32_t leaf_bit = 1u << 31;
    static constexpr unsigned max_width = 8;

    struct Candidate {
        uint32_t mask;
        uint32_t match;
        Opcode opcode;
    };

    static uint32_t field_value(uint16_t row, unsigned shift, unsigned width)
    {
        return (instruction_table[row].encoding.match >> shift) & ((1u << width) - 1);
    }

    // Returns the entry for rows, given the bits already switched on above them.
    uint32_t build(const std::vector<uint16_t>& rows, uint32_t used_bits)
    {
        // The bits every row fixes and no ancestor has switched on.
        uint32_t common = ~used_bits;
        for (uint16_t row : rows)
            common &= instruction_table[row].encoding.mask;

        // Choose the window of common bits that leaves the smallest largest group; among equals,
        // the narrowest.
        size_t best_largest = rows.size();
        unsigned best_shift = 0, best_width = 0;
        if (rows.size() > 1) {
            for (unsigned width = 1; width <= max_width; ++width) {
                for (unsigned shift = 0; shift + width <= 32; ++shift) {
                    uint32_t window = ((1u << width) - 1) << shift;
                    if ((common & window) != window)
                        continue;
                    std::vector<size_t> counts(size_t{1} << width);
                    for (uint16_t row : rows)
                        ++counts[field_value(row, shift, width)];
                    size_t largest = *std::max_element(counts.begin(), counts.end());
                    if (largest < best_largest) {
                        best_largest = largest;
                        best_shift = shift;
                        best_width = width;
                    }
                }
            }
        }

        if (best_width == 0) {
            uint32_t first = static_cast<uint32_t>(m_candidates.size());
            for (uint16_t row : rows) {
                const Encoding& encoding = instruction_table[row].encoding;
                m_candidates.push_back({encoding.mask, encoding.match, static_cast<Opcode>(row)});
            }
            return leaf_bit | (static_cast<uint32_t>(rows.size()) << 16) | first;
        }

        uint32_t first = static_cast<uint32_t>(m_entries.size());
        m_entries.resize(m_entries.size() + (size_t{1} << best_width));
        uint32_t window = ((1u << best_width) - 1) << best_shift;
        for (uint32_t value = 0; value < (1u << best_width); ++value) {
            std::vector<uint16_t> subset;
            for (uint16_t row : rows)
                if (field_value(row, best_shift, best_width) == value)
                    subset.push_back(row);
            uint32_t child = build(subset, used_bits | window);
            m_entries[first + value] = child;
        }
        return (best_shift << 26) | (best_width << 22) | first;
    }

    std::vector<uint32_t> m_entries;
    std::vector<Candidate> m_candidates;
};

const DecodeTree& tree()
{
    static const DecodeTree instance;
    return instance;
}

} // namespace

Opcode decode_opcode(uint32_t word) { return tree().decode(word); }

} // namespace isomorph::isa
