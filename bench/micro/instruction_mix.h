#pragma once

// A realistic mix of MIPS32 instruction words for the micro-benchmarks: table rows drawn with the
// frequencies the reference interpreter counted (`isomorph run --instruction-counts`) while Debian's
// lua5.4, perl, xz and busybox gzip ran under it, operand fields filled with pseudo-random bits.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace isomorph::bench {

enum class MixKind {
    All,           // every instruction of the mix, branches and jumps included
    StraightLine,  // without the instructions that end a translated block (branches, jumps, traps)
};

// count words of the mix, the same ones for the same seed.
std::vector<uint32_t> instruction_mix(size_t count, MixKind kind, uint32_t seed = 1);

// count words with every bit pseudo-random: mostly reserved or rare instructions.
std::vector<uint32_t> uniform_words(size_t count, uint32_t seed = 1);

} // namespace isomorph::bench
