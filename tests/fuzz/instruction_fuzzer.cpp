// Differential instruction fuzzer: random instruction sequences from the instruction table run
// from the same random state in the reference interpreter and in the other engines; every exit,
// the whole architectural state and the scratch memory must be equal. A divergence is minimised
// by delta debugging over the instruction words, printed and saved as a regression file, which
// --replay runs again (docs/fuzzing.md).

#include "fuzz_case.h"
#include "generator.h"
#include "isolation.h"
#include "isa/decoder.h"
#include "isa/instruction.h"
#include "regression_file.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <new>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace isomorph;
using namespace isomorph::fuzz;

uint64_t mix(uint64_t value)
{
    // SplitMix64's finaliser: a different, well-spread generator seed for each iteration.
    value += 0x9E3779B97F4A7C15;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EB;
    return value ^ (value >> 31);
}

using Predicate = std::function<bool(const Case&)>;

// Delta debugging over the words before the final BREAK: drop chunks of halving size while the
// divergence persists, then try a NOP for each word (which keeps branch offsets), then drop again.
Case minimize_words(Case current, const Predicate& fails)
{
    auto removal_passes = [&] {
        size_t chunk = std::max<size_t>(1, (current.words.size() - 1) / 2);
        while (true) {
            bool progress = false;
            for (size_t start = 0; start + 1 < current.words.size();) {
                Case candidate = current;
                size_t end = std::min(start + chunk, candidate.words.size() - 1);
                candidate.words.erase(candidate.words.begin() + static_cast<long>(start),
                                      candidate.words.begin() + static_cast<long>(end));
                if (fails(candidate)) {
                    current = std::move(candidate);
                    progress = true;
                } else {
                    start += chunk;
                }
            }
            if (chunk == 1 && !progress)
                break;
            if (chunk > 1)
                chunk /= 2;
        }
    };
    removal_passes();
    bool replaced = false;
    for (size_t index = 0; index + 1 < current.words.size(); ++index) {
        if (current.words[index] == 0)
            continue;
        Case candidate = current;
        candidate.words[index] = 0;
        if (fails(candidate)) {
            current = std::move(candidate);
            replaced = true;
        }
    }
    if (replaced)
        removal_passes();
    return current;
}

// Then the state: registers set to zero where that keeps the divergence, for a readable case.
Case minimize_state(Case current, const Predicate& fails)
{
    auto try_change = [&](const std::function<void(Case&)>& change) {
        Case candidate = current;
        change(candidate);
        if (fails(candidate))
            current = std::move(candidate);
    };
    if (current.slice_seed != 0)
        try_change([](Case& candidate) { candidate.slice_seed = 0; });
    for (unsigned number = 1; number < 32; ++number)
        if (current.initial.gpr[number] != 0)
            try_change([number](Case& candidate) { candidate.initial.gpr[number] = 0; });
    try_change([](Case& candidate) { candidate.initial.hi = candidate.initial.lo = 0; });
    for (unsigned number = 0; number < 32; ++number)
        if (current.initial.fpu.fpr[number] != 0)
            try_change([number](Case& candidate) { candidate.initial.fpu.fpr[number] = 0; });
    return current;
}

// What a minimised divergence looks like, to recognise one already filed as a known failure:
// the reference interpreter's exit and the kind of the last instruction before the final BREAK
// other than a NOP (the minimiser leaves the culprit last): loads, stores, register jumps and
// branches by kind, other rows by name.
std::string signature(const Case& minimized, const cpu::Exit& reference_exit)
{
    std::string kind = "none";
    for (size_t index = minimized.words.size() - 1; index-- > 0;) {
        uint32_t word = minimized.words[index];
        if (word == 0)
            continue;
        isa::Opcode opcode = isa::decode_opcode(word);
        const isa::InstructionInfo& row = isa::info(opcode);
        if (opcode == isa::Opcode::Reserved)
            kind = "reserved";
        else if (row.has(isa::RegisterJump))
            kind = "register-jump";
        else if (row.has(isa::Load) || row.has(isa::Store))
            kind = row.has(isa::Load) ? "load" : "store";
        else if (row.has(isa::Branch))
            kind = "branch";
        else
            kind = std::string(row.name);
        break;
    }
    return fmt::format("{} after {}", cpu::name(reference_exit.kind), kind);
}

// The signatures of the regression files marked as known failures, with their file names.
std::map<std::string, std::string> known_signatures(const std::string& directory)
{
    std::map<std::string, std::string> known;
    if (directory.empty())
        return known;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        if (entry.path().extension() != ".txt")
            continue;
        Regression regression = read_regression(entry.path().string());
        if (!regression.known_failure.empty())
            known[signature(regression.fuzz_case, regression.expected.exit)] = entry.path().filename().string();
    }
    return known;
}

// Whether the case diverges or crashes an engine, run in a child process.
bool fails_isolated(const Case& candidate, const std::vector<engines::EngineKind>& others)
{
    ChildResult result = run_isolated([&] { return find_divergence(candidate, others) ? 1 : 0; });
    return !(result.exited && result.code == 0);
}

// Prints the case and what each engine did with it, and saves it as a regression file.
void report_divergence(const Case& minimized, const std::vector<engines::EngineKind>& others, const std::string& origin,
                       const std::string& save_directory)
{
    std::string description;
    std::vector<engines::EngineKind> all{engines::EngineKind::Interpreter};
    all.insert(all.end(), others.begin(), others.end());
    for (engines::EngineKind kind : all) {
        ChildResult result = run_isolated([&] {
            run_case(kind, minimized, kind != engines::EngineKind::Interpreter);
            return 0;
        });
        if (!(result.exited && result.code == 0))
            description += fmt::format("engine {} crashed the host process: {}\n", engines::name(kind), result.describe());
    }
    bool crashed = !description.empty();
    bool reference_crashed = description.find("engine interp") != std::string::npos;
    if (!crashed)
        description = find_divergence(minimized, others).value_or("(the minimised case no longer diverges)\n");
    fmt::print("DIVERGENCE ({})\n{}", origin, description);
    fmt::print("minimised code ({} words{}):\n{}", minimized.words.size(),
               minimized.slice_seed != 0 ? fmt::format(", slice seed {:#x}", minimized.slice_seed) : "",
               describe_code(minimized.words));
    fmt::print("initial state:\n{}", describe_state(minimized.initial));
    if (reference_crashed) {
        std::fflush(stdout);
        return;
    }
    Outcome reference = run_case(engines::EngineKind::Interpreter, minimized, false);
    fmt::print("reference interpreter: {}\n{}", describe_exit(reference.exit), describe_state(reference.state));
    for (engines::EngineKind kind : others) {
        if (crashed)
            break;
        Outcome actual = run_case(kind, minimized, true);
        if (compare_outcomes(reference, actual).empty())
            continue;
        fmt::print("engine {}: {}\n{}", engines::name(kind), describe_exit(actual.exit), describe_state(actual.state));
    }
    if (!save_directory.empty()) {
        std::filesystem::create_directories(save_directory);
        const auto* bytes = reinterpret_cast<const uint8_t*>(minimized.words.data());
        uint64_t name = hash_bytes(std::vector<uint8_t>(bytes, bytes + minimized.words.size() * 4));
        std::string path = fmt::format("{}/case-{:016x}.txt", save_directory, name);
        write_regression(path, minimized, reference, origin + "\n" + description);
        fmt::print("saved as {}\n", path);
    }
    std::fflush(stdout);
}

// Counters the fuzzing child shares with the parent, which survive the child's crash.
struct Progress {
    uint64_t current = 0; // the iteration being run
    uint64_t done = 0, reached_end = 0, budget_exits = 0, instructions = 0;
    uint64_t exits[16] = {}; // per cpu::ExitKind of the reference interpreter
    // Per row: how often the reference stopped early at it with a reserved-instruction exit.
    uint64_t reserved_at[isa::instruction_count + 1] = {};
};

int run_campaign(uint64_t seed, uint64_t first_iteration, uint64_t iterations, double seconds, unsigned length,
                 const std::vector<engines::EngineKind>& others, const std::string& save_directory, unsigned max_failures,
                 const std::string& known_directory, double minimum_completion, bool report_rows)
{
    std::map<std::string, std::string> known = known_signatures(known_directory);
    fmt::print("instruction fuzzer: seed {} (reproduce with --seed {} --first-iteration N --iterations 1), engines",
               seed, seed);
    for (engines::EngineKind kind : others)
        fmt::print(" {}", engines::name(kind));
    fmt::print(", up to {} s\n", seconds);
    auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    auto* progress = new (allocate_shared(sizeof(Progress))) Progress{};
    uint64_t end = iterations == 0 ? UINT64_MAX : first_iteration + iterations;
    auto generate = [&](uint64_t iteration) { return Generator(mix(seed ^ mix(iteration))).generate(length); };
    unsigned failures = 0, known_failures = 0;
    for (uint64_t next = first_iteration; next < end;) {
        // The child fuzzes until the time or the iterations run out (0) or a case diverges (1).
        ChildResult result = run_isolated([&] {
            for (uint64_t iteration = next; iteration < end; ++iteration) {
                if (seconds > 0 && elapsed() >= seconds)
                    return 0;
                progress->current = iteration;
                Case fuzz_case = generate(iteration);
                Outcome reference;
                auto divergence = find_divergence(fuzz_case, others, &reference);
                ++progress->done;
                ++progress->exits[static_cast<unsigned>(reference.exit.kind) & 15];
                uint32_t exit_index = (reference.exit.pc - code_address) / 4;
                if (reference.exit.kind == cpu::ExitKind::ReservedInstruction && exit_index < fuzz_case.words.size())
                    ++progress->reserved_at[static_cast<unsigned>(isa::decode_opcode(fuzz_case.words[exit_index]))];
                if (reference.exit.kind != cpu::ExitKind::BudgetExhausted)
                    progress->instructions += reference.state.instructions_retired;
                if (reference.exit.kind == cpu::ExitKind::Breakpoint &&
                    reference.exit.pc == code_address + 4 * (fuzz_case.words.size() - 1))
                    ++progress->reached_end;
                if (reference.exit.kind == cpu::ExitKind::BudgetExhausted)
                    ++progress->budget_exits;
                if (divergence)
                    return 1;
            }
            return 0;
        });
        if (result.exited && result.code == 0)
            break;
        uint64_t iteration = progress->current;
        std::string origin = fmt::format("seed {} iteration {}", seed, iteration);
        Case fuzz_case = generate(iteration);
        fmt::print("{}: {} in a case of {} words; minimising\n", origin,
                   result.exited ? "divergence" : "host crash (" + result.describe() + ")", fuzz_case.words.size());
        std::fflush(stdout);
        Predicate fails = [&](const Case& candidate) { return fails_isolated(candidate, others); };
        Case minimized = minimize_state(minimize_words(fuzz_case, fails), fails);
        next = iteration + 1;
        // The reference interpreter runs in this process only once it is known not to crash.
        ChildResult reference_run = run_isolated([&] {
            run_case(engines::EngineKind::Interpreter, minimized, false);
            return 0;
        });
        if (reference_run.exited && reference_run.code == 0) {
            Outcome reference = run_case(engines::EngineKind::Interpreter, minimized, false);
            auto found = known.find(signature(minimized, reference.exit));
            if (found != known.end()) {
                fmt::print("{}: known failure, like {}\n", origin, found->second);
                ++known_failures;
                continue;
            }
        }
        ++failures;
        report_divergence(minimized, others, origin, save_directory);
        if (failures >= max_failures)
            break;
    }
    fmt::print("{} cases ({} instructions in the reference interpreter, budget exhaustions left out) in {:.1f} s; {} reached the final BREAK, {} "
               "exhausted the budget; {} new divergences, {} known failures\n",
               progress->done, progress->instructions, elapsed(), progress->reached_end, progress->budget_exits, failures,
               known_failures);
    fmt::print("reference exits:");
    for (unsigned kind = 0; kind < 16; ++kind)
        if (progress->exits[kind] != 0)
            fmt::print(" {} {};", cpu::name(static_cast<cpu::ExitKind>(kind)), progress->exits[kind]);
    fmt::print("\n");
    if (report_rows) {
        fmt::print("reserved-instruction exits by row:");
        for (unsigned row = 0; row <= isa::instruction_count; ++row)
            if (progress->reserved_at[row] != 0)
                fmt::print(" {} {};", row == isa::instruction_count ? "Reserved" : isa::instruction_table[row].name,
                           progress->reserved_at[row]);
        fmt::print("\n");
    }
    // A generator whose cases mostly stop early tests little: the share of cases that reach the
    // final BREAK must not fall below minimum_completion percent.
    double completion = progress->done == 0 ? 0 : 100.0 * static_cast<double>(progress->reached_end) /
                                                     static_cast<double>(progress->done);
    if (failures == 0 && progress->done >= 100 && completion < minimum_completion) {
        fmt::print("only {:.1f}% of the cases reached the final BREAK (at least {}% expected)\n", completion,
                   minimum_completion);
        return 1;
    }
    return failures == 0 ? 0 : 1;
}

// Exit codes of one replay: 0 as expected, 1 failed, 3 failed as its known-failure mark says.
int replay_one(const std::string& file, const std::vector<engines::EngineKind>& others)
{
    Regression regression = read_regression(file);
    Outcome reference = run_case(engines::EngineKind::Interpreter, regression.fuzz_case, false);
    std::string problems;
    Outcome expected = regression.expected;
    expected.scratch = reference.scratch;
    std::string changed = compare_outcomes(expected, reference);
    if (hash_bytes(reference.scratch) != regression.expected_scratch_hash)
        changed += "  scratch memory differs from the recorded hash\n";
    if (!changed.empty())
        problems += "the reference interpreter's outcome changed since the case was saved:\n" + changed;
    if (auto divergence = find_divergence(regression.fuzz_case, others))
        problems += *divergence;
    if (!regression.known_failure.empty()) {
        if (problems.empty()) {
            fmt::print("{}: PASSES although marked as a known failure ({}); remove the mark\n", file,
                       regression.known_failure);
            return 1;
        }
        fmt::print("{}: known failure ({})\n{}", file, regression.known_failure, problems);
        return 3;
    }
    if (!problems.empty()) {
        fmt::print("{}: FAILED\n{}code:\n{}", file, problems, describe_code(regression.fuzz_case.words));
        return 1;
    }
    fmt::print("{}: ok\n", file);
    return 0;
}

int replay(const std::vector<std::string>& paths, const std::vector<engines::EngineKind>& others)
{
    std::vector<std::string> files;
    for (const std::string& path : paths) {
        if (std::filesystem::is_directory(path)) {
            for (const auto& entry : std::filesystem::directory_iterator(path))
                if (entry.path().extension() == ".txt")
                    files.push_back(entry.path().string());
        } else {
            files.push_back(path);
        }
    }
    std::sort(files.begin(), files.end());
    unsigned failed = 0, known = 0;
    for (const std::string& file : files) {
        ChildResult result = run_isolated([&] { return replay_one(file, others); });
        if (result.exited && result.code == 3) {
            ++known;
        } else if (!(result.exited && result.code == 0)) {
            if (!result.exited) {
                bool marked = read_regression(file).known_failure.size() != 0;
                fmt::print("{}: the host process crashed: {}{}\n", file, result.describe(),
                           marked ? " (marked as a known failure)" : "");
                if (marked) {
                    ++known;
                    continue;
                }
            }
            ++failed;
        }
    }
    fmt::print("{} regression cases: {} failed, {} known failures\n", files.size(), failed, known);
    return failed == 0 ? 0 : 1;
}

// Seeds for the libFuzzer engines target (libfuzzer/engines_target.cpp): a set-up word with the
// FCSR rounding mode and FR, then a generated case's words without the final BREAK.
int write_engine_seeds(const std::string& directory, unsigned count, uint64_t seed, unsigned length)
{
    std::filesystem::create_directories(directory);
    for (unsigned index = 0; index < count; ++index) {
        Case fuzz_case = Generator(mix(seed ^ mix(index))).generate(length);
        uint32_t setup = (fuzz_case.initial.fpu.fcsr & 3) | (fuzz_case.initial.fpu.fr ? 4u : 0u);
        std::vector<uint32_t> words{setup};
        words.insert(words.end(), fuzz_case.words.begin(), fuzz_case.words.end() - 1);
        std::string path = fmt::format("{}/generated-{}.bin", directory, index);
        std::FILE* file = std::fopen(path.c_str(), "wb");
        if (file == nullptr || std::fwrite(words.data(), 4, words.size(), file) != words.size() || std::fclose(file) != 0)
            throw std::runtime_error("cannot write " + path);
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Differential instruction fuzzer: the engines against the reference interpreter",
                 "isomorph_instruction_fuzzer"};
    uint64_t seed = std::random_device{}();
    uint64_t first_iteration = 0, iterations = 0;
    double seconds = 60;
    unsigned length = 48, max_failures = 1;
    std::vector<std::string> engine_names{"threaded", "jit"};
    std::string save_directory;
    std::vector<std::string> replay_paths;
    std::string known_directory;
    std::string seeds_directory;
    unsigned seed_count = 16;
    double minimum_completion = 0;
    bool report_rows = false;
    app.add_option("--seed", seed, "Base seed (default: random, printed)");
    app.add_option("--first-iteration", first_iteration, "First iteration number");
    app.add_option("--iterations", iterations, "Number of cases (0: until --seconds run out)");
    app.add_option("--seconds", seconds, "Time limit in seconds (0: none)");
    app.add_option("--length", length, "Largest sequence length in instructions")->check(CLI::Range(1u, 900u));
    app.add_option("--engines", engine_names, "Engines compared with the reference interpreter")->delimiter(',');
    app.add_option("--save-dir", save_directory, "Directory for the regression files of divergences found");
    app.add_option("--max-failures", max_failures, "Stop after this many divergences");
    app.add_option("--known", known_directory,
                   "Directory of regression files: divergences like its known failures are counted, not reported");
    app.add_option("--min-completion", minimum_completion,
                   "Fail if fewer than this percentage of the cases reach the final BREAK");
    app.add_flag("--report-rows", report_rows, "Count the rows at which reserved-instruction exits stop cases");
    app.add_option("--write-engine-seeds", seeds_directory, "Write seeds for the libFuzzer engines target and exit");
    app.add_option("--seed-count", seed_count, "How many seeds --write-engine-seeds writes");
    app.add_option("--replay", replay_paths, "Replay regression files or directories of them instead of fuzzing");
    CLI11_PARSE(app, argc, argv);
    // CI sets the seed for a whole run through the environment, so the log names one seed.
    if (const char* environment_seed = std::getenv("ISOMORPH_FUZZ_SEED"); environment_seed && app.count("--seed") == 0)
        seed = std::strtoull(environment_seed, nullptr, 0);

    std::vector<engines::EngineKind> others;
    for (const std::string& name : engine_names) {
        auto kind = engines::engine_from_name(name);
        if (!kind) {
            fmt::print(stderr, "unknown engine: {}\n", name);
            return 2;
        }
        others.push_back(*kind);
    }
    try {
        if (!seeds_directory.empty())
            return write_engine_seeds(seeds_directory, seed_count, seed, length);
        if (!replay_paths.empty())
            return replay(replay_paths, others);
        return run_campaign(seed, first_iteration, iterations, seconds, length, others, save_directory, max_failures, known_directory,
                            minimum_completion, report_rows);
    } catch (const std::exception& error) {
        fmt::print(stderr, "instruction fuzzer: {}\n", error.what());
        return 2;
    }
}
