// libFuzzer target: coverage-guided differential testing of the engines. The input's first word
// sets up the FPU (FCSR rounding mode, flush-to-zero, enables; Status.FR); the rest are instruction
// words, followed by a BREAK. Each engine runs them from the same state in a fresh address space
// (fuzz_case.cpp); an exit, state or memory that differs from the reference interpreter's aborts.
// Runs that exhaust the budget (backward branches may loop) are not compared.

#include "fuzz_case.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

using namespace isomorph;

fuzz::Case make_case(const uint8_t* data, size_t size)
{
    fuzz::Case fuzz_case;
    uint32_t setup = 0;
    if (size >= 4)
        std::memcpy(&setup, data, 4);
    for (size_t offset = 4; offset + 4 <= size && fuzz_case.words.size() < 256; offset += 4) {
        uint32_t word;
        std::memcpy(&word, data + offset, 4);
        fuzz_case.words.push_back(word);
    }
    fuzz_case.words.push_back(0x0000000D); // break
    cpu::CpuState& state = fuzz_case.initial;
    // Registers that make memory instructions land in the scratch region, and some edge values.
    static constexpr uint32_t values[] = {0x10010000, 0x10010004, 0x1000FFF8, 0x10010101, 1, 0xFFFFFFFF,
                                          0x7FFFFFFF, 0x80000000, 31, 0x00400000, 0x3F800000, 0x7FF00000};
    for (unsigned number = 1; number < 32; ++number)
        state.gpr[number] = values[number % std::size(values)] + (number / std::size(values)) * 8;
    state.hi = 0x12345678;
    state.lo = 0x9ABCDEF0;
    static constexpr uint64_t specials[] = {0x0000000000000001, 0x7FF0000000000000, 0x7FF4000000000000,
                                            0x3FF0000000000000, 0x8000000000000000, 0x7F8000003F800000,
                                            0x7FC00001007FFFFF, 0x43E0000000000000};
    for (unsigned number = 0; number < 32; ++number)
        state.fpu.fpr[number] = specials[number % std::size(specials)] ^ (uint64_t{number} << 40);
    state.fpu.fcsr = (setup & 3) | (setup & 0x8000 ? cpu::fcsr::flush_to_zero : 0) | ((setup >> 16) & 0x1F) << 7;
    state.fpu.fr = (setup & 0x4) != 0;
    fuzz_case.slice_seed = (setup & 0x8) != 0 ? (setup | 1) : 0;
    return fuzz_case;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::Case fuzz_case = make_case(data, size);
    auto divergence = fuzz::find_divergence(fuzz_case, {engines::EngineKind::Threaded, engines::EngineKind::Jit});
    if (divergence) {
        std::fprintf(stderr, "engines target: %s\n%s", divergence->c_str(), fuzz::describe_code(fuzz_case.words).c_str());
        std::abort();
    }
    return 0;
}
