#pragma once

// Random but valid guest instruction sequences drawn from the instruction table, and random
// initial states. Every row can appear; control flow is forward only so that runs end at the
// final BREAK (or earlier, at a guest exception), and memory instructions get a base register
// that points into the scratch region.

#include "fuzz_case.h"

#include <cstdint>
#include <random>
#include <vector>

namespace isomorph::fuzz {

class Generator {
public:
    explicit Generator(uint64_t seed) : m_random(seed) {}

    // A case of about length instructions, ending with a BREAK.
    Case generate(unsigned length);

private:
    struct Fixup {
        enum Kind { Relative, Absolute, Upper, Lower } kind;
        size_t position;      // the word to patch
        size_t branch;        // the branch the target belongs to
        size_t distance;      // target = branch + 1 + distance words, at most the final BREAK
    };

    uint32_t pick(uint32_t limit) { return static_cast<uint32_t>(m_random() % limit); }
    bool chance(unsigned percent) { return pick(100) < percent; }
    uint32_t random_word() { return static_cast<uint32_t>(m_random()); }

    uint32_t interesting_value();
    uint64_t interesting_fpr();
    void randomize_state(cpu::CpuState& state);

    // Appends one item: a straight-line instruction (with its base set-up if it accesses
    // memory), or a branch with its set-up and its delay slot.
    void append_item(std::vector<uint32_t>& words, std::vector<Fixup>& fixups, unsigned remaining);
    // A short counted backward loop on $30, and an LL/SC pair on one scratch word.
    void append_loop(std::vector<uint32_t>& words);
    void append_linked_pair(std::vector<uint32_t>& words);
    // An instruction that is not a branch: fills the row's operand fields. base_setup receives
    // the set-up words a memory instruction needs before it.
    uint32_t straight_line(std::vector<uint32_t>& base_setup);
    uint32_t fill_operands(unsigned row);
    unsigned pick_row(bool branch);

    std::mt19937_64 m_random;
    bool m_fr = false; // the case's Status.FR

};

} // namespace isomorph::fuzz
