#include "isa/decoder.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace isomorph::isa {

namespace {

// A decision tree over the table's mask/match pairs, built once: each inner node switches on one
// bit field that every row below it fixes; a leaf holds the few rows left, tried in order.
struct Field {
    unsigned shift;
    unsigned width;
    uint32_t mask() const { return ((1u << width) - 1) << shift; }
};

constexpr Field candidate_fields[] = {{26, 6}, {0, 6}, {21, 5}, {16, 5}, {6, 5}, {11, 5}, {18, 3}};
constexpr size_t leaf_size = 3;

struct Node {
    Field field{0, 0};
    std::vector<std::unique_ptr<Node>> children; // empty for a leaf
    std::vector<uint16_t> rows;
};

std::unique_ptr<Node> build(const std::vector<uint16_t>& rows, uint32_t used_bits)
{
    auto node = std::make_unique<Node>();
    if (rows.size() > leaf_size) {
        // Choose the field that every row fixes and that leaves the smallest largest group.
        size_t best_largest = rows.size();
        const Field* best = nullptr;
        for (const Field& field : candidate_fields) {
            if ((used_bits & field.mask()) != 0)
                continue;
            bool all_fixed = std::all_of(rows.begin(), rows.end(), [&](uint16_t row) {
                return (instruction_table[row].encoding.mask & field.mask()) == field.mask();
            });
            if (!all_fixed)
                continue;
            std::vector<size_t> counts(size_t{1} << field.width);
            for (uint16_t row : rows)
                ++counts[(instruction_table[row].encoding.match >> field.shift) & ((1u << field.width) - 1)];
            size_t largest = *std::max_element(counts.begin(), counts.end());
            if (largest < best_largest) {
                best_largest = largest;
                best = &field;
            }
        }
        if (best != nullptr) {
            node->field = *best;
            for (uint32_t value = 0; value < (1u << best->width); ++value) {
                std::vector<uint16_t> subset;
                for (uint16_t row : rows)
                    if (((instruction_table[row].encoding.match >> best->shift) & ((1u << best->width) - 1)) == value)
                        subset.push_back(row);
                node->children.push_back(build(subset, used_bits | best->mask()));
            }
            return node;
        }
    }
    node->rows = rows;
    return node;
}

const Node& root()
{
    static const std::unique_ptr<Node> tree = [] {
        std::vector<uint16_t> rows(instruction_count);
        for (unsigned index = 0; index < instruction_count; ++index)
            rows[index] = static_cast<uint16_t>(index);
        return build(rows, 0);
    }();
    return *tree;
}

} // namespace

Opcode decode_opcode(uint32_t word)
{
    const Node* node = &root();
    while (!node->children.empty())
        node = node->children[(word >> node->field.shift) & ((1u << node->field.width) - 1)].get();
    for (uint16_t row : node->rows) {
        const Encoding& encoding = instruction_table[row].encoding;
        if ((word & encoding.mask) == encoding.match)
            return static_cast<Opcode>(row);
    }
    return Opcode::Reserved;
}

} // namespace isomorph::isa
