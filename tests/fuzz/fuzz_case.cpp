#include "fuzz_case.h"

#include "engines/jit/jit_engine.h"
#include "isa/disassembler.h"
#include "memory/address_space.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>

namespace isomorph::fuzz {

namespace {

// Doubles and singles that exercise the FPU's special cases: zeros, denormals, the extremes,
// infinities, quiet and signalling NaNs (legacy encoding: the quiet bit clear means signalling).
constexpr uint64_t special_doubles[] = {
    0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x800FFFFFFFFFFFFF, 0x0010000000000000,
    0x7FEFFFFFFFFFFFFF, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF7FFFFFFFFFFFF, 0x7FF8000000000000,
    0x3FF0000000000000, 0xBFF8000000000000, 0x41DFFFFFFFC00000, 0xC1E0000000000000, 0x43E0000000000000,
};
constexpr uint32_t special_singles[] = {
    0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x00800000, 0x7F7FFFFF, 0x7F800000, 0xFF800000,
    0x7FBFFFFF, 0x7FC00000, 0x3F800000, 0xBFC00000, 0x4EFFFFFF, 0xCF000000, 0x5F000000,
};

std::vector<uint8_t> make_initial_scratch()
{
    std::vector<uint8_t> bytes(scratch_size);
    std::mt19937 random(0x15050);
    for (size_t offset = 0; offset < bytes.size(); offset += 4) {
        uint32_t word = static_cast<uint32_t>(random());
        std::memcpy(&bytes[offset], &word, 4);
    }
    // Special values around the base that memory instructions use, for the FPU loads.
    size_t middle = (scratch_base_upper << 16) - scratch_address;
    size_t offset = middle - 0x100;
    for (uint64_t value : special_doubles) {
        std::memcpy(&bytes[offset], &value, 8);
        offset += 8;
    }
    for (uint32_t value : special_singles) {
        std::memcpy(&bytes[offset], &value, 4);
        offset += 4;
    }
    offset = middle;
    for (unsigned round = 0; round < 2; ++round) {
        for (uint32_t value : special_singles) {
            std::memcpy(&bytes[offset], &value, 4);
            offset += 4;
        }
        for (uint64_t value : special_doubles) {
            std::memcpy(&bytes[offset], &value, 8);
            offset += 8;
        }
    }
    return bytes;
}

struct Guest {
    memory::AddressSpace memory;
    cpu::CpuState cpu;

    explicit Guest(const Case& fuzz_case) : cpu(fuzz_case.initial)
    {
        uint32_t code_length = memory::AddressSpace::round_up_to_page(fuzz_case.words.size() * 4 + 4);
        if (memory.map_anonymous(code_address, code_length, memory::ProtectionRead | memory::ProtectionWrite) != 0 ||
            !memory.copy_to_guest(code_address, fuzz_case.words.data(), fuzz_case.words.size() * 4) ||
            memory.protect(code_address, code_length, memory::ProtectionRead | memory::ProtectionExecute) != 0)
            throw std::runtime_error("cannot map the fuzz case's code");
        const auto& scratch = initial_scratch();
        if (memory.map_anonymous(scratch_address, scratch_size, memory::ProtectionRead | memory::ProtectionWrite) != 0 ||
            !memory.copy_to_guest(scratch_address, scratch.data(), scratch.size()))
            throw std::runtime_error("cannot map the fuzz case's scratch region");
    }
};

std::string hex_list(const uint32_t* values, size_t count)
{
    std::string text;
    for (size_t index = 0; index < count; ++index)
        text += fmt::format("{}{:08x}", index % 8 == 0 ? (index == 0 ? "" : "\n    ") : " ", values[index]);
    return text;
}

} // namespace

const std::vector<uint8_t>& initial_scratch()
{
    static const std::vector<uint8_t> scratch = make_initial_scratch();
    return scratch;
}

Outcome run_case(engines::EngineKind kind, const Case& fuzz_case, bool sliced)
{
    Guest guest(fuzz_case);
    guest.cpu.jump_to(code_address);
    auto engine = engines::make_engine(kind, guest.memory);
    // A case runs its code once: translate it then, or the translator would never see it.
    if (auto* jit = dynamic_cast<engines::JitEngine*>(engine.get()))
        jit->translate_at_first_execution();
    Outcome outcome;
    if (!sliced || fuzz_case.slice_seed == 0) {
        outcome.exit = engine->run(guest.cpu, instruction_budget);
    } else {
        std::mt19937 random(fuzz_case.slice_seed);
        uint64_t executed = 0;
        do {
            uint64_t slice = 1 + random() % (random() % 4 == 0 ? 40 : 6);
            uint64_t before = guest.cpu.instructions_retired;
            outcome.exit = engine->run(guest.cpu, slice);
            executed += guest.cpu.instructions_retired - before;
            // An engine that makes no progress on a budget exit would loop here for ever.
            if (outcome.exit.kind == cpu::ExitKind::BudgetExhausted && guest.cpu.instructions_retired == before)
                break;
        } while (outcome.exit.kind == cpu::ExitKind::BudgetExhausted && executed < instruction_budget);
    }
    outcome.state = guest.cpu;
    outcome.scratch.resize(scratch_size);
    std::memcpy(outcome.scratch.data(), guest.memory.host_address(scratch_address), scratch_size);
    return outcome;
}

std::string compare_outcomes(const Outcome& expected, const Outcome& actual)
{
    std::string differences;
    auto check = [&](std::string_view what, uint64_t want, uint64_t got) {
        if (want != got)
            differences += fmt::format("  {}: expected {:#x}, got {:#x}\n", what, want, got);
    };
    const cpu::Exit& e = expected.exit;
    const cpu::Exit& a = actual.exit;
    if (e.kind != a.kind)
        differences += fmt::format("  exit: expected {}, got {}\n", cpu::name(e.kind), cpu::name(a.kind));
    check("exit pc", e.pc, a.pc);
    check("exit address", e.address, a.address);
    check("exit code", e.code, a.code);
    check("exit delay_slot", e.delay_slot, a.delay_slot);
    const cpu::CpuState& want = expected.state;
    const cpu::CpuState& got = actual.state;
    for (unsigned number = 0; number < 32; ++number)
        check(fmt::format("${} ({})", number, isa::register_name(number)), want.gpr[number], got.gpr[number]);
    check("hi", want.hi, got.hi);
    check("lo", want.lo, got.lo);
    check("pc", want.pc, got.pc);
    check("next_pc", want.next_pc, got.next_pc);
    check("delay_slot", want.delay_slot, got.delay_slot);
    check("user_local", want.user_local, got.user_local);
    check("link_valid", want.link_valid, got.link_valid);
    if (want.link_valid && got.link_valid) {
        check("linked_address", want.linked_address, got.linked_address);
        check("linked_value", want.linked_value, got.linked_value);
    }
    check("instructions_retired", want.instructions_retired, got.instructions_retired);
    for (unsigned number = 0; number < 32; ++number)
        check(fmt::format("$f{}", number), want.fpu.fpr[number], got.fpu.fpr[number]);
    check("fcsr", want.fpu.fcsr, got.fpu.fcsr);
    if (expected.scratch != actual.scratch) {
        size_t shown = 0;
        for (size_t offset = 0; offset + 4 <= expected.scratch.size() && shown < 8; offset += 4) {
            uint32_t want_word, got_word;
            std::memcpy(&want_word, &expected.scratch[offset], 4);
            std::memcpy(&got_word, &actual.scratch[offset], 4);
            if (want_word != got_word) {
                check(fmt::format("memory {:#010x}", scratch_address + offset), want_word, got_word);
                ++shown;
            }
        }
    }
    return differences;
}

std::optional<std::string> find_divergence(const Case& fuzz_case, const std::vector<engines::EngineKind>& others,
                                           Outcome* reference_outcome)
{
    Outcome local;
    Outcome& reference = reference_outcome != nullptr ? *reference_outcome : local;
    reference = run_case(engines::EngineKind::Interpreter, fuzz_case, false);
    if (reference.exit.kind == cpu::ExitKind::BudgetExhausted)
        return std::nullopt;
    for (engines::EngineKind kind : others) {
        Outcome actual = run_case(kind, fuzz_case, true);
        std::string differences = compare_outcomes(reference, actual);
        if (!differences.empty())
            return fmt::format("engine {} differs from the reference interpreter{}:\n{}", engines::name(kind),
                               fuzz_case.slice_seed != 0 ? " (run in budget slices)" : "", differences);
    }
    return std::nullopt;
}

std::string describe_code(const std::vector<uint32_t>& words)
{
    std::string text;
    for (size_t index = 0; index < words.size(); ++index) {
        uint32_t pc = code_address + static_cast<uint32_t>(index) * 4;
        text += fmt::format("  {:08x}: {:08x}  {}\n", pc, words[index], isa::disassemble(words[index], pc));
    }
    return text;
}

std::string describe_state(const cpu::CpuState& state)
{
    std::string text = fmt::format("  gpr {}\n", hex_list(state.gpr.data(), state.gpr.size()));
    text += fmt::format("  hi {:08x} lo {:08x} pc {:08x} next_pc {:08x} delay_slot {} retired {}\n", state.hi, state.lo,
                        state.pc, state.next_pc, state.delay_slot, state.instructions_retired);
    text += fmt::format("  user_local {:08x} link {} {:08x} {:08x}\n", state.user_local, state.link_valid,
                        state.linked_address, state.linked_value);
    text += "  fpr";
    for (unsigned number = 0; number < 32; ++number)
        text += fmt::format("{}{:016x}", number % 4 == 0 ? (number == 0 ? " " : "\n    ") : " ", state.fpu.fpr[number]);
    text += fmt::format("\n  fcsr {:08x} fr {} enabled {}\n", state.fpu.fcsr, state.fpu.fr, state.fpu.enabled);
    return text;
}

std::string describe_exit(const cpu::Exit& exit)
{
    return fmt::format("{} at {:08x} (address {:08x}, code {:#x}{})", cpu::name(exit.kind), exit.pc, exit.address,
                       exit.code, exit.delay_slot ? ", in a delay slot" : "");
}

uint64_t hash_bytes(const std::vector<uint8_t>& bytes)
{
    // FNV-1a, 64 bits.
    uint64_t hash = 0xCBF29CE484222325;
    for (uint8_t byte : bytes) {
        hash ^= byte;
        hash *= 0x100000001B3;
    }
    return hash;
}

} // namespace isomorph::fuzz
