// The decoder: words to table rows and operands (isa/decoder.h), as every engine does it when it
// first meets an instruction.

#include "instruction_mix.h"

#include "isa/decoder.h"

#include <benchmark/benchmark.h>

namespace isomorph::bench {

namespace {

constexpr size_t words_per_iteration = 4096;

void decode_all(benchmark::State& state, const std::vector<uint32_t>& words)
{
    for (auto _ : state) {
        for (uint32_t word : words) {
            isa::DecodedInstruction decoded = isa::decode(word);
            benchmark::DoNotOptimize(decoded);
        }
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * words.size()));
}

// Words drawn with the frequencies real programs execute them.
void decode_realistic_mix(benchmark::State& state)
{
    decode_all(state, instruction_mix(words_per_iteration, MixKind::All));
}
BENCHMARK(decode_realistic_mix);

// Random words: deep paths through the decision tree and many reserved words.
void decode_uniform_words(benchmark::State& state)
{
    decode_all(state, uniform_words(words_per_iteration));
}
BENCHMARK(decode_uniform_words);

} // namespace

} // namespace isomorph::bench
