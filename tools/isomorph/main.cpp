// The `isomorph` command line.
//
//   isomorph run [--engine interp|threaded|jit] [-L SYSROOT] [-E VAR=VALUE] [-U VAR] [--strace]
//                [--syscall-trace FILE] [--seed N] [--instruction-counts FILE] [--profile] [--lockstep]
//                PROGRAM ARGS...
//   isomorph disassemble PROGRAM

#include "engines/engine.h"
#include "engines/jit/jit_engine.h"
#include "process/elf_symbols.h"
#include "process/error.h"
#include "process/process.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <fcntl.h>
#include <fmt/format.h>
#include <string_view>
#include <sys/resource.h>
#include <unistd.h>

extern char** environ;

namespace {

using namespace isomorph;

// --profile: the hottest translated blocks, named by the program's symbols, and the
// translator's statistics, on stderr.
void print_profile(engines::JitEngine& jit, const std::string& program, uint32_t load_bias)
{
    process::SymbolTable symbols = process::SymbolTable::read(program, load_bias);
    std::string report = engines::jit::profile_report(jit.profile(), 20, [&](uint32_t address) {
        return symbols.describe(address).value_or(std::string());
    });
    report += jit.statistics().report();
    std::fputs(report.c_str(), stderr);
}

// Errors are one line however odd the file names and arguments they quote: control characters
// are shown as escapes (\n, \x1b).
std::string printable(std::string_view text)
{
    std::string result;
    for (char character : text) {
        auto byte = static_cast<unsigned char>(character);
        if (byte == '\n')
            result += "\\n";
        else if (byte == '\t')
            result += "\\t";
        else if (byte < 0x20 || byte == 0x7f)
            result += fmt::format("\\x{:02x}", byte);
        else
            result += character;
    }
    return result;
}

// Isomorph's own messages (errors, --strace, statistics, reports) go to a duplicate of the stderr it
// started with, kept at descriptor private_stderr_number (or below RLIMIT_NOFILE), so that a guest
// that closes or replaces its fd 2 neither loses them nor finds them in its own files; the process
// hides the descriptor from the guest (ProcessOptions::private_descriptor). -1 if there is none.
int keep_stderr_private()
{
    constexpr rlim_t private_stderr_number = 1023;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < 64)
        return -1;
    int number = static_cast<int>(std::min(limit.rlim_cur - 1, private_stderr_number));
    int descriptor = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, number);
    if (descriptor < 0)
        return -1; // no stderr to keep
    std::FILE* file = fdopen(descriptor, "w");
    if (file == nullptr) {
        close(descriptor);
        return -1;
    }
    std::setvbuf(file, nullptr, _IONBF, 0);
    stderr = file;
    return descriptor;
}

[[noreturn]] void fail(const std::string& message, int status = 1)
{
    std::fputs(fmt::format("isomorph: {}\n", printable(message)).c_str(), stderr);
    std::exit(status);
}

std::vector<std::string> guest_environment(const std::vector<std::string>& set, const std::vector<std::string>& unset)
{
    std::vector<std::string> environment;
    for (char** entry = environ; *entry != nullptr; ++entry)
        environment.emplace_back(*entry);
    auto remove = [&](const std::string& name) {
        std::erase_if(environment, [&](const std::string& item) { return item.compare(0, name.size() + 1, name + "=") == 0; });
    };
    for (const std::string& name : unset)
        remove(name);
    for (const std::string& assignment : set) {
        size_t equals = assignment.find('=');
        if (equals == std::string::npos || equals == 0)
            fail(fmt::format("-E expects VAR=VALUE, got '{}'", assignment), 2);
        remove(assignment.substr(0, equals));
        environment.push_back(assignment);
    }
    return environment;
}

const std::string run_usage = "isomorph run [OPTIONS] PROGRAM [ARGS...]";

std::string engine_choices()
{
    using engines::EngineKind;
    return fmt::format("{}, {} or {}", engines::name(EngineKind::Interpreter), engines::name(EngineKind::Threaded),
                       engines::name(EngineKind::Jit));
}

// One line for any command-line mistake; CLI11's own report adds a second line.
std::string describe_parse_error(const CLI::ParseError& error, int argc, char** argv)
{
    if (std::string_view(error.what()) == CLI::RequiredError::Subcommand(1).what()) {
        // "A subcommand is required": say what was wrong with the first word instead.
        if (argc < 2)
            return "no command given (usage: " + run_usage + "; see isomorph --help)";
        std::string first = argv[1];
        if (first.size() > 1 && first[0] == '-')
            return fmt::format("unknown option '{}' (see isomorph --help)", first);
        return fmt::format("unknown command '{}' (the command is run; see isomorph --help)", first);
    }
    std::string message = error.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    return message;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Isomorph: a MIPS32 virtual machine", "isomorph"};
    app.require_subcommand(1);
    // CLI11 hands whatever follows "run --" back to the top level; keep it as PROGRAM ARGS.
    app.allow_extras();

    CLI::App* run = app.add_subcommand("run", "run a Linux/MIPS o32 program: " + run_usage);
    run->prefix_command();
    std::string engine_name = "interp";
    std::string sysroot;
    std::vector<std::string> set_variables;
    std::vector<std::string> unset_variables;
    bool strace = false;
    std::string syscall_trace;
    uint64_t random_seed = 0;
    std::string instruction_counts;
    bool profile = false;
    bool lockstep = false;
    std::string argv0;
    run->add_option("--engine", engine_name, "execution engine: " + engine_choices())->capture_default_str();
    run->add_option("-L", sysroot, "look up the guest's absolute paths under this directory first");
    // allow_extra_args(false): each -E or -U takes one value, so the PROGRAM after it stays the program.
    run->add_option("-E", set_variables, "set VAR=VALUE in the guest's environment")->allow_extra_args(false);
    run->add_option("-U", unset_variables, "remove VAR from the guest's environment")->allow_extra_args(false);
    run->add_flag("--strace", strace, "print every system call with its arguments and result");
    run->add_option("--syscall-trace", syscall_trace,
                    "write every thread's registers at each system call's entry and return to this file "
                    "(for scripts/trace-compare)");
    run->add_option("--seed", random_seed,
                    "take the AT_RANDOM bytes and getrandom()'s results from a generator seeded with this number");
    run->add_option("--instruction-counts", instruction_counts,
                    "at exit, write how often each instruction (table row) ran to this file, as NAME COUNT lines");
    run->add_flag("--profile", profile,
                  "at exit, print the hottest guest blocks and the translator's statistics on stderr (--engine jit)");
    run->add_flag("--lockstep", lockstep,
                  "check the translator against the reference interpreter at every block; stop with a report on the "
                  "first divergence (--engine jit, slow)");
    run->add_option("--argv0", argv0, "the guest's argv[0] when it is not PROGRAM (execve uses it)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help);
    } catch (const CLI::ParseError& error) {
        fail(describe_parse_error(error, argc, argv), 2);
    }

    try {
        if (run->parsed()) {
            std::vector<std::string> rest = run->remaining();
            // The first word CLI11 does not recognise starts PROGRAM ARGS, unless "--" came first.
            std::vector<std::string> before_run = app.remaining();
            if (!before_run.empty() && !rest.empty()) {
                const std::string& stray = before_run.front();
                if (stray.size() > 1 && stray[0] == '-')
                    fail(fmt::format("unknown option '{}' (see isomorph --help)", stray), 2);
                fail(fmt::format("unexpected argument '{}' (usage: {})", stray, run_usage), 2);
            }
            if (rest.empty())
                rest = before_run;
            else if (rest.front().size() > 1 && rest.front()[0] == '-')
                fail(fmt::format("run: unknown option '{}' (see isomorph run --help)", rest.front()), 2);
            if (rest.empty())
                fail("run: no PROGRAM given (usage: " + run_usage + ")", 2);
            auto engine = engines::engine_from_name(engine_name);
            if (!engine)
                fail(fmt::format("unknown engine '{}' (choose {})", engine_name, engine_choices()), 2);
            int private_descriptor = keep_stderr_private(); // before the options take stderr
            process::ProcessOptions options;
            options.private_descriptor = private_descriptor;
            options.program = rest.front();
            options.arguments = rest;
            if (run->count("--argv0") > 0)
                options.arguments.front() = argv0;
            options.environment = guest_environment(set_variables, unset_variables);
            if (profile && *engine != engines::EngineKind::Jit)
                fail("run: --profile needs --engine jit", 2);
            if (lockstep && *engine != engines::EngineKind::Jit)
                fail("run: --lockstep needs --engine jit", 2);
            if (lockstep && profile)
                fail("run: --profile and --lockstep cannot be combined (lockstep runs blocks unchained, one at a time)", 2);
            options.engine = *engine;
            options.lockstep = lockstep;
            options.strace = strace;
            options.syscall_trace = syscall_trace;
            if (run->count("--seed") > 0)
                options.random_seed = random_seed;
            std::string program = options.program;
            // As QEMU_LD_PREFIX for qemu-mipsel: the sysroot when -L is not given.
            const char* prefix = std::getenv("ISOMORPH_LD_PREFIX");
            options.sysroot = sysroot.empty() && prefix != nullptr ? prefix : sysroot;
            process::Process process(std::move(options));
            if (!instruction_counts.empty() && !process.engine().count_instructions(instruction_counts))
                fail(fmt::format("engine '{}' cannot count instructions", engine_name), 2);
            if (auto* jit = profile ? dynamic_cast<engines::JitEngine*>(&process.engine()) : nullptr) {
                jit->enable_profile();
                // At the end of the process, from whichever thread ends it.
                process.on_finish([&process, jit, program] { print_profile(*jit, program, process.image().load_bias); });
            }
            return process.run(); // writes the instruction counts too
        }
    } catch (const process::UserError& error) {
        fail(error.what());
    } catch (const std::exception& error) {
        fail(fmt::format("internal error: {}", error.what()), 70);
    }
    return 0;
}
