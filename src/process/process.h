#pragma once

#include "cpu/exit.h"
#include "cpu/state.h"
#include "engines/engine.h"
#include "memory/address_space.h"
#include "process/elf_loader.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace isomorph::process {

struct ProcessOptions {
    std::string program;                  // host path of the executable
    std::vector<std::string> arguments;   // the guest's argv, argv[0] included
    std::vector<std::string> environment; // the guest's envp
    engines::EngineKind engine = engines::EngineKind::Interpreter;
    bool strace = false;
    std::FILE* strace_output = stderr;
    std::string sysroot; // -L: guest absolute paths are looked up here first
};

// A Linux/MIPS o32 process: one address space, its threads' CPU states, and the kernel state the
// system calls share. The engine runs guest code; the process handles every exit.
class Process {
public:
    explicit Process(ProcessOptions options);
    ~Process();

    // Runs the guest to its end and returns the status a shell would report: the exit code, or
    // 128 + the host signal number when a signal's default action ended it.
    int run();

    memory::AddressSpace& memory() { return *m_memory; }
    cpu::CpuState& cpu() { return m_cpu; }
    engines::Engine& engine() { return *m_engine; }
    const ProcessOptions& options() const { return m_options; }
    const LoadedImage& image() const { return m_image; }

    // The program break (brk): where the heap starts and where it currently ends.
    uint32_t break_start = 0;
    uint32_t break_end = 0;
    // Where mmap without a hint starts looking for room.
    uint32_t mmap_base = 0x77000000;

    // exit_group: end the process with this status once the current system call returns.
    void request_exit(int status) { m_exit_status = status & 0xFF; }

    // Ends the process as the guest signal's default action does; prints a one-line report.
    [[noreturn]] void terminate_by_signal(unsigned guest_signal, const cpu::Exit* cause);

private:
    void handle_exit(const cpu::Exit& exit);

    ProcessOptions m_options;
    std::unique_ptr<memory::AddressSpace> m_memory;
    std::unique_ptr<engines::Engine> m_engine;
    cpu::CpuState m_cpu;
    LoadedImage m_image;
    std::optional<int> m_exit_status;
};

} // namespace isomorph::process
