// Every program of the guest test corpus under the reference and the threaded interpreter: the
// same output on stdout and stderr, the same exit status and, for a program that exits normally,
// the same number of instructions retired, unless it started threads (how they interleave decides
// how often the main thread waits, and so its count, and which thread ends the process, and so
// whether the main thread returns from Process::run at all). (The guest tests compare each engine
// with qemu-mipsel; this compares the engines with each other, down to the instruction count.)
//
// The corpus is the one the build cross-compiled next to this test (tests/guest/programs in the
// build tree); the test is skipped when there is none.

#include "process/process.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace isomorph::test {

namespace {

namespace fs = std::filesystem;

struct GuestRun {
    int status = -1;            // as a shell reports it
    uint64_t retired = 0;       // instructions retired, when the process returned normally
    bool returned = false;
    bool started_threads = false;
    std::string output;
    std::string errors;
};

std::string read_file(const fs::path& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream contents;
    contents << file.rdbuf();
    return contents.str();
}

// Runs program under engine in a child process (the guest's exit, or its death by a signal,
// ends only the child), in a scratch directory under parent, with stdin from /dev/null.
GuestRun run_guest(engines::EngineKind engine, const fs::path& program, const fs::path& parent)
{
    // A fresh directory for every run (some programs create files), with the same name for both
    // engines (some print or measure their working directory).
    fs::path scratch = parent / program.filename();
    fs::remove_all(scratch);
    fs::create_directories(scratch / "cwd");
    fs::path output = scratch / "stdout", errors = scratch / "stderr";
    int report[2];
    if (pipe(report) != 0)
        return {};
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t child = fork();
    if (child == 0) {
        pid_t runner = getpid();
        close(report[0]);
        alarm(120);
        if (chdir((scratch / "cwd").c_str()) != 0)
            _exit(125);
        FILE* in = std::freopen("/dev/null", "r", stdin);
        FILE* out = std::freopen(output.c_str(), "w", stdout);
        FILE* err = std::freopen(errors.c_str(), "w", stderr);
        if (in == nullptr || out == nullptr || err == nullptr)
            _exit(125);
        process::ProcessOptions options;
        options.program = program.string();
        options.arguments = {program.string()};
        options.environment = {"PATH=/usr/bin:/bin", "LANG=C"};
        options.engine = engine;
        int status = 125;
        uint64_t report_words[2] = {0, 0}; // instructions retired, threads started
        try {
            process::Process process(options);
            status = process.run();
            report_words[0] = process.cpu().instructions_retired;
            report_words[1] = process.threads_started();
        } catch (const std::exception& error) {
            std::fprintf(stderr, "exception: %s\n", error.what());
        }
        std::fflush(stdout);
        std::fflush(stderr);
        // A process the guest forked returns from run() here too; only the runner reports, or the
        // parent could take a child's report and close the pipe before the runner writes.
        if (getpid() != runner)
            _exit(status);
        ssize_t written = write(report[1], report_words, sizeof report_words);
        _exit(written == sizeof report_words ? status : 125);
    }
    close(report[1]);
    GuestRun run;
    uint64_t report_words[2] = {0, 0};
    run.returned = read(report[0], report_words, sizeof report_words) == sizeof report_words;
    run.retired = report_words[0];
    run.started_threads = report_words[1] != 0;
    close(report[0]);
    int wait_status = 0;
    waitpid(child, &wait_status, 0);
    run.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
    run.output = read_file(output);
    run.errors = read_file(errors);
    return run;
}

bool same(const GuestRun& a, const GuestRun& b)
{
    bool threads = a.started_threads || b.started_threads;
    return a.status == b.status && a.output == b.output && a.errors == b.errors &&
           (threads || (a.returned == b.returned && a.retired == b.retired));
}

std::vector<fs::path> corpus()
{
    std::vector<fs::path> programs;
    fs::path directory = fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "guest" / "programs";
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(directory, error))
        if (entry.is_regular_file() && (entry.status().permissions() & fs::perms::owner_exec) != fs::perms::none)
            programs.push_back(entry.path());
    std::sort(programs.begin(), programs.end());
    return programs;
}

TEST(ThreadedGuestCorpus, SameOutputStatusAndInstructionCountAsTheReference)
{
    std::vector<fs::path> programs = corpus();
    if (programs.empty())
        GTEST_SKIP() << "no guest programs built next to this test";
    fs::path scratch = fs::temp_directory_path() / ("isomorph-threaded-corpus-" + std::to_string(getpid()));
    fs::create_directories(scratch);
    size_t compared = 0;
    for (const fs::path& program : programs) {
        SCOPED_TRACE(program.filename().string());
        GuestRun reference = run_guest(engines::EngineKind::Interpreter, program, scratch);
        GuestRun threaded = run_guest(engines::EngineKind::Threaded, program, scratch);
        // A program that depends on timing (a terminal's buffer, the clock) may not even repeat
        // itself under one engine; such a program proves nothing here. Give a mismatch a few
        // more tries, watching whether the reference repeats itself.
        bool deterministic = true;
        for (int attempt = 0; attempt < 3 && deterministic && !same(reference, threaded); ++attempt) {
            deterministic = same(reference, run_guest(engines::EngineKind::Interpreter, program, scratch));
            threaded = run_guest(engines::EngineKind::Threaded, program, scratch);
        }
        if (!deterministic) {
            std::printf("  %s: not deterministic under the reference interpreter; not compared\n",
                        program.filename().c_str());
            continue;
        }
        ++compared;
        EXPECT_EQ(reference.status, threaded.status);
        EXPECT_EQ(reference.output, threaded.output);
        EXPECT_EQ(reference.errors, threaded.errors);
        if (!reference.started_threads && !threaded.started_threads) {
            EXPECT_EQ(reference.returned, threaded.returned);
            EXPECT_EQ(reference.retired, threaded.retired);
        }
    }
    fs::remove_all(scratch);
    std::printf("  compared %zu of %zu guest programs\n", compared, programs.size());
    EXPECT_GT(compared, programs.size() / 2);
}

} // namespace

} // namespace isomorph::test
