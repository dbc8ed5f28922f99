// The `isomorph` command line.
//
//   isomorph run [--engine interp] [-L SYSROOT] [-E VAR=VALUE] [-U VAR] [--strace] PROGRAM ARGS...
//   isomorph disassemble PROGRAM

#include "engines/engine.h"
#include "process/error.h"
#include "process/process.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <unistd.h>

extern char** environ;

namespace {

using namespace isomorph;

[[noreturn]] void fail(const std::string& message, int status = 1)
{
    fmt::print(stderr, "isomorph: {}\n", message);
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

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Isomorph: a MIPS32 virtual machine", "isomorph"};
    app.require_subcommand(1);

    CLI::App* run = app.add_subcommand("run", "run a Linux/MIPS o32 program");
    run->prefix_command();
    std::string engine_name = "interp";
    std::string sysroot;
    std::vector<std::string> set_variables;
    std::vector<std::string> unset_variables;
    bool strace = false;
    run->add_option("--engine", engine_name, "execution engine: interp")->capture_default_str();
    run->add_option("-L", sysroot, "look up the guest's absolute paths under this directory first");
    run->add_option("-E", set_variables, "set VAR=VALUE in the guest's environment");
    run->add_option("-U", unset_variables, "remove VAR from the guest's environment");
    run->add_flag("--strace", strace, "print every system call with its arguments and result");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help);
    } catch (const CLI::ParseError& error) {
        fail(error.what(), 2);
    }

    try {
        if (run->parsed()) {
            std::vector<std::string> rest = run->remaining();
            if (rest.empty())
                fail("run: no PROGRAM given (usage: isomorph run [OPTIONS] PROGRAM [ARGS...])", 2);
            auto engine = engines::engine_from_name(engine_name);
            if (!engine)
                fail(fmt::format("unknown engine '{}' (choose interp)", engine_name), 2);
            process::ProcessOptions options;
            options.program = rest.front();
            options.arguments = rest;
            options.environment = guest_environment(set_variables, unset_variables);
            options.engine = *engine;
            options.strace = strace;
            options.sysroot = sysroot;
            if (access(options.program.c_str(), F_OK) != 0)
                fail(fmt::format("cannot open '{}': {}", options.program, std::strerror(errno)));
            process::Process process(std::move(options));
            return process.run();
        }
    } catch (const process::UserError& error) {
        fail(error.what());
    } catch (const std::exception& error) {
        fail(fmt::format("internal error: {}", error.what()), 70);
    }
    return 0;
}
