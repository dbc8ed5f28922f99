#include "regression_file.h"

#include "isa/disassembler.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace isomorph::fuzz {

namespace {

template <class Range> std::string hex_values(const Range& values, int width)
{
    std::string text;
    for (auto value : values)
        text += fmt::format(" {:0{}x}", static_cast<uint64_t>(value), width);
    return text;
}

std::string state_lines(std::string_view prefix, const cpu::CpuState& state)
{
    std::string text;
    text += fmt::format("{}gpr{}\n", prefix, hex_values(state.gpr, 8));
    text += fmt::format("{}hi {:08x}\n{}lo {:08x}\n", prefix, state.hi, prefix, state.lo);
    text += fmt::format("{}pc {:08x}\n{}next-pc {:08x}\n{}delay-slot {}\n", prefix, state.pc, prefix, state.next_pc,
                        prefix, state.delay_slot ? 1 : 0);
    text += fmt::format("{}user-local {:08x}\n", prefix, state.user_local);
    text += fmt::format("{}link {} {:08x} {:08x}\n", prefix, state.link_valid ? 1 : 0, state.linked_address,
                        state.linked_value);
    text += fmt::format("{}retired {:x}\n", prefix, state.instructions_retired);
    text += fmt::format("{}fpr{}\n", prefix, hex_values(state.fpu.fpr, 16));
    text += fmt::format("{}fcsr {:08x}\n{}fr {}\n{}fpu-enabled {}\n", prefix, state.fpu.fcsr, prefix,
                        state.fpu.fr ? 1 : 0, prefix, state.fpu.enabled ? 1 : 0);
    return text;
}

using Fields = std::map<std::string, std::vector<uint64_t>>;

const std::vector<uint64_t>& field(const Fields& fields, const std::string& key, size_t count, const std::string& path)
{
    auto found = fields.find(key);
    if (found == fields.end() || found->second.size() != count)
        throw std::runtime_error(fmt::format("{}: missing or malformed \"{}\" line", path, key));
    return found->second;
}

cpu::CpuState read_state(const Fields& fields, const std::string& prefix, const std::string& path)
{
    auto one = [&](const char* key) { return field(fields, prefix + key, 1, path)[0]; };
    cpu::CpuState state;
    const auto& gpr = field(fields, prefix + "gpr", 32, path);
    for (unsigned number = 0; number < 32; ++number)
        state.gpr[number] = static_cast<uint32_t>(gpr[number]);
    state.hi = static_cast<uint32_t>(one("hi"));
    state.lo = static_cast<uint32_t>(one("lo"));
    state.pc = static_cast<uint32_t>(one("pc"));
    state.next_pc = static_cast<uint32_t>(one("next-pc"));
    state.delay_slot = one("delay-slot") != 0;
    state.user_local = static_cast<uint32_t>(one("user-local"));
    const auto& link = field(fields, prefix + "link", 3, path);
    state.link_valid = link[0] != 0;
    state.linked_address = static_cast<uint32_t>(link[1]);
    state.linked_value = static_cast<uint32_t>(link[2]);
    state.instructions_retired = one("retired");
    const auto& fpr = field(fields, prefix + "fpr", 32, path);
    for (unsigned number = 0; number < 32; ++number)
        state.fpu.fpr[number] = fpr[number];
    state.fpu.fcsr = static_cast<uint32_t>(one("fcsr"));
    state.fpu.fr = one("fr") != 0;
    state.fpu.enabled = one("fpu-enabled") != 0;
    return state;
}

} // namespace

void write_regression(const std::string& path, const Case& fuzz_case, const Outcome& expected, const std::string& comment)
{
    std::string text = "# Instruction-fuzzer regression case (tests/fuzz, docs/fuzzing.md).\n";
    std::istringstream lines(comment);
    for (std::string line; std::getline(lines, line);)
        text += "# " + line + "\n";
    text += fmt::format("slice-seed {:x}\n", fuzz_case.slice_seed);
    for (size_t index = 0; index < fuzz_case.words.size(); ++index) {
        uint32_t pc = code_address + static_cast<uint32_t>(index) * 4;
        text += fmt::format("word {:08x}  # {:08x}: {}\n", fuzz_case.words[index], pc,
                            isa::disassemble(fuzz_case.words[index], pc));
    }
    text += state_lines("initial-", fuzz_case.initial);
    const cpu::Exit& exit = expected.exit;
    text += fmt::format("expected-exit {:x} {:08x} {:08x} {:x} {}  # {}\n", static_cast<unsigned>(exit.kind), exit.pc,
                        exit.address, exit.code, exit.delay_slot ? 1 : 0, cpu::name(exit.kind));
    text += state_lines("expected-", expected.state);
    text += fmt::format("expected-scratch-hash {:016x}\n", hash_bytes(expected.scratch));
    std::ofstream file(path);
    file << text;
    if (!file)
        throw std::runtime_error("cannot write " + path);
}

Regression read_regression(const std::string& path)
{
    std::ifstream file(path);
    if (!file)
        throw std::runtime_error("cannot read " + path);
    Regression regression;
    Fields fields;
    unsigned number = 0;
    for (std::string line; std::getline(file, line);) {
        ++number;
        std::string content = line.substr(0, line.find('#'));
        std::istringstream words(content);
        std::string key;
        if (!(words >> key))
            continue;
        if (key == "known-failure") {
            std::getline(words >> std::ws, regression.known_failure);
            if (regression.known_failure.empty())
                regression.known_failure = "(no reason given)";
            continue;
        }
        std::vector<uint64_t> values;
        for (std::string value; words >> value;) {
            try {
                size_t used = 0;
                values.push_back(std::stoull(value, &used, 16));
                if (used != value.size())
                    throw std::invalid_argument(value);
            } catch (const std::exception&) {
                throw std::runtime_error(fmt::format("{}:{}: not a hexadecimal number: {}", path, number, value));
            }
        }
        if (key == "word") {
            if (values.size() != 1)
                throw std::runtime_error(fmt::format("{}:{}: a word line holds one word", path, number));
            regression.fuzz_case.words.push_back(static_cast<uint32_t>(values[0]));
            continue;
        }
        fields[key] = std::move(values);
    }
    if (regression.fuzz_case.words.empty())
        throw std::runtime_error(path + ": no instruction words");
    regression.fuzz_case.slice_seed = static_cast<uint32_t>(field(fields, "slice-seed", 1, path)[0]);
    regression.fuzz_case.initial = read_state(fields, "initial-", path);
    const auto& exit = field(fields, "expected-exit", 5, path);
    regression.expected.exit = cpu::Exit{static_cast<cpu::ExitKind>(exit[0]), static_cast<uint32_t>(exit[1]),
                                         static_cast<uint32_t>(exit[2]), static_cast<uint32_t>(exit[3]), exit[4] != 0};
    regression.expected.state = read_state(fields, "expected-", path);
    regression.expected_scratch_hash = field(fields, "expected-scratch-hash", 1, path)[0];
    return regression;
}

} // namespace isomorph::fuzz
