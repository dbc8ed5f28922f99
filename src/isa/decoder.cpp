#include "isa/decoder.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace isomorph::isa {

namespace {

using decoder_detail::Candidate;

// The decision tree of decoder.h, built from the instruction table by the compiler: every
// process used to build it at its start. An inner node switches on a bit field that every row
// below it fixes; a leaf lists the few rows left, which are tried in order. The exhaustive test
// in tests/isa checks the result on all 2^32 words.
struct DecodeTree {
    std::vector<uint32_t> entries;
    std::vector<Candidate> candidates;
};

class DecodeTreeBuilder {
public:
    constexpr DecodeTree build()
    {
        // (Containers grow by push_back only here: Clang evaluates libstdc++'s sized vector
        // constructors and resize() as assignments to storage not yet constructed.)
        std::vector<uint16_t> rows;
        for (unsigned index = 0; index < instruction_count; ++index)
            rows.push_back(static_cast<uint16_t>(index));
        m_tree.entries.push_back(0);
        m_tree.entries[0] = build(rows, 0);
        return std::move(m_tree);
    }

private:
    static constexpr unsigned max_width = 8;

    static constexpr uint32_t field_value(uint16_t row, unsigned shift, unsigned width)
    {
        return (instruction_table[row].encoding.match >> shift) & ((1u << width) - 1);
    }

    // Returns the entry for rows, given the bits already switched on above them.
    constexpr uint32_t build(const std::vector<uint16_t>& rows, uint32_t used_bits)
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
                    std::array<uint16_t, size_t{1} << max_width> counts{};
                    size_t largest = 0;
                    for (uint16_t row : rows)
                        largest = std::max<size_t>(largest, ++counts[field_value(row, shift, width)]);
                    if (largest < best_largest) {
                        best_largest = largest;
                        best_shift = shift;
                        best_width = width;
                    }
                }
            }
        }

        if (best_width == 0) {
            uint32_t first = static_cast<uint32_t>(m_tree.candidates.size());
            for (uint16_t row : rows) {
                const Encoding& encoding = instruction_table[row].encoding;
                m_tree.candidates.push_back({encoding.mask, encoding.match, static_cast<Opcode>(row)});
            }
            return decoder_detail::leaf_bit | (static_cast<uint32_t>(rows.size()) << 16) | first;
        }

        uint32_t first = static_cast<uint32_t>(m_tree.entries.size());
        std::vector<std::vector<uint16_t>> subsets;
        for (uint32_t value = 0; value < (1u << best_width); ++value) {
            m_tree.entries.push_back(0);
            subsets.emplace_back();
        }
        uint32_t window = ((1u << best_width) - 1) << best_shift;
        for (uint16_t row : rows)
            subsets[field_value(row, best_shift, best_width)].push_back(row);
        for (uint32_t value = 0; value < (1u << best_width); ++value) {
            uint32_t child = build(subsets[value], used_bits | window);
            m_tree.entries[first + value] = child;
        }
        return (best_shift << 26) | (best_width << 22) | first;
    }

    DecodeTree m_tree;
};

// The tree's sizes first, then the tree in arrays of those sizes (memory the compiler allocates
// cannot outlive the evaluation).
constexpr size_t entry_count = DecodeTreeBuilder().build().entries.size();
constexpr size_t candidate_count = DecodeTreeBuilder().build().candidates.size();

struct DecodeArrays {
    std::array<uint32_t, entry_count> entries{};
    std::array<Candidate, candidate_count> candidates{};
};

constexpr DecodeArrays decode_arrays = [] {
    DecodeTree tree = DecodeTreeBuilder().build();
    DecodeArrays arrays;
    std::copy(tree.entries.begin(), tree.entries.end(), arrays.entries.begin());
    std::copy(tree.candidates.begin(), tree.candidates.end(), arrays.candidates.begin());
    return arrays;
}();

} // namespace

constinit const decoder_detail::Tables decoder_detail::tables{decode_arrays.entries.data(),
                                                               decode_arrays.candidates.data()};

} // namespace isomorph::isa
