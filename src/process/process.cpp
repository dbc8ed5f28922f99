#include "process/process.h"

#include "isa/disassembler.h"
#include "process/dynamic_loading.h"
#include "process/error.h"
#include "process/initial_stack.h"
#include "process/signal_delivery.h"
#include "process/signals.h"
#include "process/syscalls/strace.h"
#include "process/syscalls/syscalls.h"

#include <csignal>
#include <cstdlib>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

namespace isomorph::process {

Process::Process(ProcessOptions options)
    : m_options(std::move(options)), m_memory(std::make_unique<memory::AddressSpace>()),
      m_paths(m_options.sysroot, m_options.program)
{
    m_image = load_elf(*m_memory, m_options.program, 0x00400000);
    // A dynamic program starts in its interpreter (process/dynamic_loading.h).
    std::optional<LoadedImage>& interpreter = m_interpreter;
    if (!m_image.interpreter.empty()) {
        interpreter = load_interpreter(*m_memory, m_paths, m_image.interpreter);
        m_interpreter_path = m_paths.to_host(m_image.interpreter);
    }
    break_start = break_end = m_image.end_of_image;

    StackRequest request;
    request.arguments = m_options.arguments;
    request.environment = m_options.environment;
    request.executable_path = m_options.program;
    request.program = &m_image;
    request.entry = m_image.entry;
    request.interpreter_base = interpreter ? interpreter->load_bias : 0;
    if (m_options.random_seed) {
        m_seeded_random.emplace(*m_options.random_seed);
        std::array<uint8_t, 16> bytes;
        seeded_random_bytes(bytes.data(), bytes.size());
        request.random_bytes = bytes;
    }
    StackLayout stack = build_initial_stack(*m_memory, request, m_image.executable_stack);

    m_threads.push_back(std::make_unique<GuestThread>());
    m_main_thread = m_threads.back().get();
    m_main_thread->process = this;
    cpu::CpuState& cpu = m_main_thread->cpu;
    // Like the kernel on a CPU whose FIR has F64: FPXX and FP64 code runs with 64-bit FPU
    // registers (Status.FR = 1), the older double-float ABI with FR = 0.
    cpu.fpu.fr = m_image.fp_abi == 5 || m_image.fp_abi == 6 || m_image.fp_abi == 7;
    cpu.jump_to(interpreter ? interpreter->entry : m_image.entry);
    cpu.gpr[29] = stack.stack_pointer;
    m_engine = engines::make_engine(m_options.engine, *m_memory,
                                    m_options.lockstep ? engines::Lockstep::On : engines::Lockstep::Off);
    if (!m_engine)
        throw UserError("--lockstep needs --engine jit");
    if (!m_options.syscall_trace.empty()) {
        m_register_trace = std::make_unique<SyscallRegisterTrace>(m_options.syscall_trace);
        m_register_trace->write_layout(stack_top - stack_size, stack_top, stack);
    }

    m_signals = inherited_signal_state();
    m_main_thread->signals.blocked = inherited_blocked_mask();

    // The task's name (comm) is the executable's base name, at most 15 characters.
    size_t slash = m_options.program.rfind('/');
    m_main_thread->name = m_options.program.substr(slash == std::string::npos ? 0 : slash + 1).substr(0, 15);
}

Process::~Process() = default;

bool Process::seeded_random_bytes(void* buffer, size_t length)
{
    if (!m_seeded_random)
        return false;
    std::lock_guard lock(m_seeded_random_lock);
    auto* bytes = static_cast<uint8_t*>(buffer);
    for (size_t index = 0; index < length; ++index)
        bytes[index] = static_cast<uint8_t>((*m_seeded_random)() >> 56);
    return true;
}

int Process::run()
{
    GuestThread& main = *m_main_thread;
    main.tid = static_cast<int32_t>(gettid());
    run_guest_thread(*this, main, true);
    // Only the main thread returns here, and only when the process ends with it alone.
    finish();
    return m_exit_code;
}

void Process::run_thread(GuestThread& thread)
{
    while (!m_ending.load(std::memory_order_relaxed) && !thread.exiting) {
        // Bounded runs let signals from the host reach the guest (process/signal_delivery.h).
        cpu::Exit exit = m_engine->run(thread.cpu, thread.cpu.delay_slot ? 1 : signal_check_interval);
        handle_exit(exit);
    }
}

void Process::finish()
{
    std::fflush(stdout);
    m_engine->write_instruction_counts();
    if (m_finish_report)
        m_finish_report();
    trace_process_end(*this, fmt::format("exited with {}", m_exit_code));
    report_unimplemented_syscalls();
}

void Process::report_unimplemented_syscalls()
{
    if (!m_options.strace)
        return;
    std::lock_guard lock(m_accounting_lock);
    if (m_unimplemented_syscalls.empty())
        return;
    std::string list;
    for (auto [number, count] : m_unimplemented_syscalls) {
        const SyscallInfo* info = find_syscall(number);
        list += fmt::format("{}{} ({}) x{}", list.empty() ? "" : ", ",
                            info ? std::string(info->name) : fmt::format("syscall_{}", number), number, count);
    }
    std::fputs(fmt::format("isomorph: system calls that returned ENOSYS: {}\n", list).c_str(), m_options.strace_output);
    std::fflush(m_options.strace_output);
}

void Process::handle_exit(const cpu::Exit& exit)
{
    switch (exit.kind) {
    case cpu::ExitKind::BudgetExhausted: deliver_pending_signals(*this); return;
    case cpu::ExitKind::Syscall: {
        cpu::CpuState& cpu = this->cpu();
        uint32_t number = cpu.gpr[2];
        if (m_register_trace)
            m_register_trace->record(SyscallRegisterTrace::Point::Entry, thread().tid, number, cpu);
        if (handle_sigreturn(*this))
            return;
        InterruptedSyscall syscall{cpu.pc, cpu.gpr[2], cpu.gpr[7]};
        dispatch_syscall(*this);
        // Calls that end the thread or the process have no return, as under qemu-mipsel.
        if (m_register_trace && !exit_requested()) {
            m_register_trace->perturb_result(number, cpu);
            m_register_trace->record(SyscallRegisterTrace::Point::Return, thread().tid, number, cpu);
        }
        if (!exit_requested())
            deliver_pending_signals(*this, &syscall);
        return;
    }
    default: deliver_exception_signal(*this, exit);
    }
}

void Process::terminate_by_signal(unsigned guest_signal, const cpu::Exit* cause)
{
    std::fflush(stdout);
    m_engine->write_instruction_counts(); // --instruction-counts: the counts survive a fatal signal
    if (m_finish_report)
        m_finish_report();
    std::string report = fmt::format("isomorph: guest terminated by {} ({})", guest_signal_name(guest_signal),
                                     cause ? cpu::name(cause->kind) : "signal");
    if (cause) {
        report += fmt::format(" at pc 0x{:08x}", cause->pc);
        if (cause->delay_slot)
            report += " (in a delay slot)";
        if (cause->kind == cpu::ExitKind::FetchFault || cause->kind == cpu::ExitKind::LoadFault ||
            cause->kind == cpu::ExitKind::StoreFault || cause->kind == cpu::ExitKind::AddressErrorLoad ||
            cause->kind == cpu::ExitKind::AddressErrorStore)
            report += fmt::format(", address 0x{:08x}", cause->address);
        else if (m_memory->range_has(cause->pc, 4, memory::ProtectionRead))
            report += fmt::format(": {}", isa::disassemble(m_memory->read<uint32_t>(cause->pc), cause->pc));
    }
    // On the guest's own fd 2, as qemu-mipsel prints its report, and unlike Isomorph's other
    // messages: where the guest (or the guest shell that started it) sends its stderr, this line
    // goes too, so a guest that silences its stderr silences it (the guest test proc_fork).
    report += "\n";
    [[maybe_unused]] ssize_t written = write(STDERR_FILENO, report.data(), report.size());
    trace_process_end(*this, fmt::format("killed by {}", guest_signal_name(guest_signal)));
    report_unimplemented_syscalls();
    // End the way a native process killed by this signal ends, without leaving a core file.
    int host = host_signal(guest_signal);
    if (host == SIGKILL)
        kill(getpid(), SIGKILL);
    if (host != 0 && host != SIGSTOP) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        std::signal(host, SIG_DFL);
        sigset_t unblock;
        sigemptyset(&unblock);
        sigaddset(&unblock, host);
        sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
        raise(host);
    }
    std::_Exit(128 + (host != 0 ? host : static_cast<int>(guest_signal)));
}

} // namespace isomorph::process
