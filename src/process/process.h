#pragma once

#include "cpu/exit.h"
#include "cpu/state.h"
#include "engines/engine.h"
#include "memory/address_space.h"
#include "process/directory_offsets.h"
#include "process/elf_loader.h"
#include "process/mappings.h"
#include "process/paths.h"
#include "process/signals.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
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
    // Where mmap without a hint starts looking for room, and the end of that room (below the
    // stack, see initial_stack.h).
    uint32_t mmap_base = 0x77000000;
    static constexpr uint32_t mmap_limit = 0x7F000000;

    // The guest's mmap regions (process/mappings.h); change them under memory().mapping_lock().
    MappingTable& mappings() { return m_mappings; }
    // How guest paths reach the host (-L).
    const PathTranslator& paths() const { return m_paths; }
    // Dispositions, the blocked mask and pending signals.
    SignalState& signals() { return m_signals; }
    // Directory positions shown to the guest in place of 64-bit ones (getdents64, lseek).
    DirectoryOffsets& directory_offsets() { return m_directory_offsets; }

    // Thread bookkeeping the kernel keeps per task: set_tid_address, set_robust_list, PR_SET_NAME.
    uint32_t clear_child_tid = 0;
    uint32_t robust_list_head = 0;
    uint32_t robust_list_length = 0;
    std::string thread_name;
    uint32_t personality = 0;
    // Limits the guest set on resources the emulator itself depends on (RLIMIT_AS, RLIMIT_DATA,
    // RLIMIT_STACK): recorded and reported back, never applied to the host process. Keyed by
    // the guest's resource number; {current, maximum}.
    std::map<uint32_t, std::array<uint64_t, 2>> emulated_limits;

    // System calls that returned ENOSYS, by number, with how often; --strace prints them at exit.
    const std::map<uint32_t, uint64_t>& unimplemented_syscalls() const { return m_unimplemented_syscalls; }
    void record_unimplemented(uint32_t number) { ++m_unimplemented_syscalls[number]; }

    // exit_group: end the process with this status once the current system call returns.
    void request_exit(int status) { m_exit_status = status & 0xFF; }
    bool exit_requested() const { return m_exit_status.has_value(); }

    // Ends the process as the guest signal's default action does; prints a one-line report.
    [[noreturn]] void terminate_by_signal(unsigned guest_signal, const cpu::Exit* cause);

private:
    void handle_exit(const cpu::Exit& exit);
    // With --strace: one line naming the system calls that returned ENOSYS.
    void report_unimplemented_syscalls();

    ProcessOptions m_options;
    std::unique_ptr<memory::AddressSpace> m_memory;
    std::unique_ptr<engines::Engine> m_engine;
    cpu::CpuState m_cpu;
    LoadedImage m_image;
    std::optional<int> m_exit_status;
    MappingTable m_mappings;
    PathTranslator m_paths;
    SignalState m_signals;
    DirectoryOffsets m_directory_offsets;
    std::map<uint32_t, uint64_t> m_unimplemented_syscalls;
};

} // namespace isomorph::process
