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
#include "process/syscall_register_trace.h"
#include "process/thread.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace isomorph::process {

struct ProcessOptions {
    std::string program;                  // host path of the executable
    std::vector<std::string> arguments;   // the guest's argv, argv[0] included
    std::vector<std::string> environment; // the guest's envp
    engines::EngineKind engine = engines::EngineKind::Interpreter;
    bool lockstep = false; // --lockstep (with EngineKind::Jit): engines/lockstep/lockstep_engine.h
    bool strace = false;
    std::FILE* strace_output = stderr;
    // A descriptor of the emulator's own (its private stderr) that the guest must not see: close and
    // close_range pass over it, and dup2 or dup3 onto it fail with EBADF. -1 for none.
    int private_descriptor = -1;
    std::string sysroot; // -L: guest absolute paths are looked up here first
    // --syscall-trace: where to write the registers at every system call (syscall_register_trace.h).
    std::string syscall_trace;
    // --seed: the AT_RANDOM bytes and getrandom()'s results come from a generator seeded with
    // this, so that two runs (under two engines, say) see the same "random" data.
    std::optional<uint64_t> random_seed;
};

// A Linux/MIPS o32 process: one address space, its threads, and the kernel state the system
// calls share. The engine runs guest code; the process handles every exit.
//
// Threads: each guest thread runs on a host thread of its own, all of them on the one engine
// and address space (engines run concurrently on separate CPU states). System call handlers run
// on the calling guest thread's host thread, so thread() and cpu() are the caller's. State the
// threads share is changed under a lock: the mappings under memory().mapping_lock(), signal
// dispositions and pending signals under signal_lock(), the thread list under its own.
class Process {
public:
    explicit Process(ProcessOptions options);
    ~Process();

    // Runs the guest to its end and returns the status a shell would report: the exit code, or
    // 128 + the host signal number when a signal's default action ended it.
    int run();

    memory::AddressSpace& memory() { return *m_memory; }
    // The calling host thread's guest thread (the main thread when called from elsewhere).
    GuestThread& thread();
    const GuestThread& main_thread() const { return *m_main_thread; }
    cpu::CpuState& cpu() { return thread().cpu; }
    engines::Engine& engine() { return *m_engine; }
    const ProcessOptions& options() const { return m_options; }
    const LoadedImage& image() const { return m_image; }
    // The dynamic program's interpreter (PT_INTERP) and its host path; none for a static one.
    const LoadedImage* interpreter_image() const { return m_interpreter ? &*m_interpreter : nullptr; }
    const std::string& interpreter_host_path() const { return m_interpreter_path; }

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
    // Dispositions and the signals pending for the whole process; each thread has its own
    // blocked mask and pending signals (thread().signals).
    SignalState& signals() { return m_signals; }
    std::mutex& signal_lock() { return m_signal_lock; }
    // Directory positions shown to the guest in place of 64-bit ones (getdents64, lseek).
    DirectoryOffsets& directory_offsets() { return m_directory_offsets; }

    uint32_t personality = 0;
    // Limits the guest set on resources the emulator itself depends on (RLIMIT_AS, RLIMIT_DATA,
    // RLIMIT_STACK): recorded and reported back, never applied to the host process. Keyed by
    // the guest's resource number; {current, maximum}.
    std::map<uint32_t, std::array<uint64_t, 2>> emulated_limits;

    // With --seed, fills the buffer from the seeded generator and returns true; false otherwise.
    bool seeded_random_bytes(void* buffer, size_t length);

    // System calls that returned ENOSYS, by number, with how often; --strace prints them at exit.
    const std::map<uint32_t, uint64_t>& unimplemented_syscalls() const { return m_unimplemented_syscalls; }
    void record_unimplemented(uint32_t number)
    {
        std::lock_guard lock(m_accounting_lock);
        ++m_unimplemented_syscalls[number];
    }

    // exit_group: the process ends with this status once the current system call returns, at
    // once when other threads are running (they end with it, as the kernel ends them).
    void exit_group(int status);
    // exit: the calling thread ends once the current system call returns; the last one to end
    // ends the process.
    void exit_thread(int status);
    bool exit_requested() const { return m_ending.load(std::memory_order_relaxed) || thread_exiting(); }

    // clone with CLONE_VM | CLONE_THREAD: a new guest thread starts on a new host thread with a
    // copy of the caller's registers, returning 0 from the system call on stack (when not 0),
    // with TLS pointer tls when set_tls. Returns the new thread's ID, or -errno.
    struct ThreadStart {
        uint32_t stack = 0;
        bool set_tls = false;
        uint32_t tls = 0;
        uint32_t parent_tid_address = 0; // CLONE_PARENT_SETTID, when not 0
        uint32_t child_tid_address = 0;  // CLONE_CHILD_SETTID, when not 0
        uint32_t clear_child_tid = 0;    // CLONE_CHILD_CLEARTID, when not 0
    };
    int64_t start_thread(const ThreadStart& start);
    size_t thread_count();
    // How many threads the process started besides its main thread, over its whole life.
    uint64_t threads_started() const { return m_threads_started.load(std::memory_order_relaxed); }
    // Queues a signal for the thread with this ID; false if the process has no such thread.
    bool queue_for_thread(int32_t tid, const o32::Siginfo& info);
    // Around a host fork from a system call: before_fork() takes the locks other threads may
    // hold, after_fork() releases them; in the child only the calling thread is left.
    void before_fork();
    void after_fork(bool in_child);

    // Something to print when the process ends (normally or by a signal), such as a profile.
    void on_finish(std::function<void()> report) { m_finish_report = std::move(report); }

    // Ends the process as the guest signal's default action does; prints a one-line report.
    [[noreturn]] void terminate_by_signal(unsigned guest_signal, const cpu::Exit* cause);

private:
    friend void run_guest_thread(Process& process, GuestThread& thread, bool host_main);
    bool thread_exiting() const;
    // Whether no other thread is left, not even one still ending.
    bool only_thread_left();
    // Runs the calling host thread's guest thread until it or the process ends.
    void run_thread(GuestThread& thread);
    // After the thread's last instruction: clear_child_tid, the robust list, the thread list.
    void end_thread(GuestThread& thread);
    // Output owed at the end of the process: flushed streams, instruction counts, --strace's
    // list of unimplemented calls.
    void finish();
    void handle_exit(const cpu::Exit& exit);
    // With --strace: one line naming the system calls that returned ENOSYS.
    void report_unimplemented_syscalls();

    ProcessOptions m_options;
    std::unique_ptr<memory::AddressSpace> m_memory;
    std::unique_ptr<engines::Engine> m_engine;
    LoadedImage m_image;
    std::optional<LoadedImage> m_interpreter;
    std::string m_interpreter_path;
    // Set once by the thread that ends the process (exit_group, or exit of the last thread).
    std::atomic<bool> m_ending{false};
    int m_exit_code = 0;
    std::atomic<GuestThread*> m_ending_thread{nullptr};
    // The threads; the main thread is the first. Guarded by m_threads_lock; m_threads_changed
    // tells the main host thread, waiting after its guest thread exited, that one ended.
    std::mutex m_threads_lock;
    std::condition_variable m_threads_changed;
    std::list<std::unique_ptr<GuestThread>> m_threads;
    GuestThread* m_main_thread = nullptr;
    std::atomic<uint64_t> m_threads_started{0};
    std::mutex m_signal_lock;
    std::mutex m_accounting_lock;
    std::function<void()> m_finish_report;
    MappingTable m_mappings;
    PathTranslator m_paths;
    SignalState m_signals;
    DirectoryOffsets m_directory_offsets;
    std::map<uint32_t, uint64_t> m_unimplemented_syscalls;
    std::optional<std::mt19937_64> m_seeded_random; // --seed
    std::mutex m_seeded_random_lock;
    // --syscall-trace; none when it is off, so that system calls pay one test for it.
    std::unique_ptr<SyscallRegisterTrace> m_register_trace;
};

// Runs a guest thread on the calling host thread (process/threads.cpp); host_main is true for
// the thread that called Process::run().
void run_guest_thread(Process& process, GuestThread& thread, bool host_main);

} // namespace isomorph::process
