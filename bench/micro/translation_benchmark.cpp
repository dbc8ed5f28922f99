// Translation speed: the jit's block discovery (decoding from guest memory) and x86-64 emission
// into its code cache, for N blocks of straight-line code from the realistic instruction mix, each
// ending with a branch and its delay slot as compiled code's blocks do.

#include "instruction_mix.h"

#include "engines/jit/code_cache.h"
#include "engines/jit/frontend.h"
#include "engines/jit/statistics.h"
#include "memory/address_space.h"
#include "threaded_test_program.h"

#include <algorithm>
#include <benchmark/benchmark.h>

namespace isomorph::bench {

namespace {

constexpr uint32_t code_address = 0x00400000;
constexpr unsigned body_instructions = 10; // the mean dynamic block length of compiled C is 5 to 10

// The guest: blocks_wanted blocks, one after the other; each branches back to the first.
struct TranslationGuest {
    memory::AddressSpace memory;
    std::vector<uint32_t> starts;

    explicit TranslationGuest(unsigned blocks_wanted)
    {
        std::vector<uint32_t> body =
            instruction_mix(size_t{blocks_wanted} * body_instructions, MixKind::StraightLine);
        std::vector<uint32_t> code;
        for (unsigned block = 0; block < blocks_wanted; ++block) {
            starts.push_back(code_address + 4 * static_cast<uint32_t>(code.size()));
            auto first = body.begin() + block * body_instructions;
            code.insert(code.end(), first, first + body_instructions);
            // To code_address; the offset counts from the delay slot.
            int32_t back = -static_cast<int32_t>(code.size()) - 1;
            code.push_back(test::mips::bne(8, 0, back));
            code.push_back(test::mips::nop());
        }
        uint32_t length = (4 * static_cast<uint32_t>(code.size()) + memory::AddressSpace::page_size - 1) &
                          ~(memory::AddressSpace::page_size - 1);
        memory.map_anonymous(code_address, length, memory::ProtectionRead | memory::ProtectionWrite);
        memory.copy_to_guest(code_address, code.data(), code.size() * 4);
        memory.protect(code_address, length, memory::ProtectionRead | memory::ProtectionExecute);
    }
};

void translate_blocks(benchmark::State& state)
{
    TranslationGuest guest(static_cast<unsigned>(state.range(0)));
    engines::jit::CodeCache cache;
    engines::jit::JitStatistics statistics;
    for (auto _ : state) {
        for (uint32_t start : guest.starts) {
            engines::jit::GuestBlock block = engines::jit::discover_block(guest.memory, start);
            benchmark::DoNotOptimize(cache.translate(block, statistics));
        }
        state.PauseTiming();
        cache.flush();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * guest.starts.size()));
    state.counters["guest_instructions_per_second"] = benchmark::Counter(
        static_cast<double>(statistics.guest_instructions_translated), benchmark::Counter::kIsRate);
    state.counters["host_bytes_per_guest_instruction"] =
        static_cast<double>(statistics.host_bytes_emitted) /
        static_cast<double>(std::max<uint64_t>(1, statistics.guest_instructions_translated));
}
BENCHMARK(translate_blocks)->Arg(64)->Arg(1024);

} // namespace

} // namespace isomorph::bench
