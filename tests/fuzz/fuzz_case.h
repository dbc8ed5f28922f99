#pragma once

// One differential fuzzing case: a guest instruction sequence and the state it starts from, run
// in one engine with a fresh address space (the code at code_address, a scratch data region at
// scratch_address), and the comparison of two outcomes. The reference interpreter is the oracle.

#include "cpu/exit.h"
#include "cpu/state.h"
#include "engines/engine.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace isomorph::fuzz {

constexpr uint32_t code_address = 0x00400000;
constexpr uint32_t scratch_address = 0x10000000;
constexpr uint32_t scratch_size = 0x20000;
// Memory instructions take their base from `lui base, scratch_base_upper`: the middle of the
// scratch region, so that every 16-bit offset stays inside it.
constexpr uint32_t scratch_base_upper = 0x1001;
// Far more than a forward-only sequence can execute: a run that exhausts it loops.
constexpr uint64_t instruction_budget = 1'000'000;

struct Case {
    std::vector<uint32_t> words; // ends with a BREAK
    cpu::CpuState initial;
    // Zero: each engine runs the case in one call. Otherwise the engines other than the reference
    // run it in budget slices of random lengths drawn from this seed, which tests resumption.
    uint32_t slice_seed = 0;
};

struct Outcome {
    cpu::Exit exit;
    cpu::CpuState state;
    std::vector<uint8_t> scratch;
};

// The scratch region's initial contents: a fixed pattern with IEEE special values at its middle.
const std::vector<uint8_t>& initial_scratch();

// Runs the case in a fresh address space. Slices apply only when sliced is true.
Outcome run_case(engines::EngineKind kind, const Case& fuzz_case, bool sliced);

// A description of every difference between the expected and the actual outcome; empty if none.
std::string compare_outcomes(const Outcome& expected, const Outcome& actual);

// Runs the case in the reference interpreter and in each engine of others. Returns the first
// divergence's description, naming the engine, or nothing when all agree. A reference run that
// exhausts the budget is not compared (budget exits need not be exact).
// The reference outcome is stored in *reference when that is not null.
std::optional<std::string> find_divergence(const Case& fuzz_case, const std::vector<engines::EngineKind>& others,
                                           Outcome* reference = nullptr);

// Printing: the words with their disassembly, and a state.
std::string describe_code(const std::vector<uint32_t>& words);
std::string describe_state(const cpu::CpuState& state);
std::string describe_exit(const cpu::Exit& exit);

uint64_t hash_bytes(const std::vector<uint8_t>& bytes);

} // namespace isomorph::fuzz
