#include "process/signal_delivery.h"

#include "process/o32/flags.h"
#include "process/o32/layouts.h"
#include "process/process.h"
#include "process/syscalls/handlers.h"
#include "process/syscalls/strace.h"

#include <atomic>
#include <csignal>
#include <cstring>
#include <optional>
#include <pthread.h>
#include <sys/time.h>
#include <unistd.h>

namespace isomorph::process {

namespace {

constexpr unsigned sigkill = static_cast<unsigned>(GuestSignal::SIGKILL_);
constexpr unsigned sigstop = static_cast<unsigned>(GuestSignal::SIGSTOP_);
constexpr unsigned sigsegv = static_cast<unsigned>(GuestSignal::SIGSEGV_);
constexpr unsigned sigbus = static_cast<unsigned>(GuestSignal::SIGBUS_);
constexpr unsigned sigill = static_cast<unsigned>(GuestSignal::SIGILL_);
constexpr unsigned sigfpe = static_cast<unsigned>(GuestSignal::SIGFPE_);
constexpr unsigned sigtrap = static_cast<unsigned>(GuestSignal::SIGTRAP_);

constexpr uint32_t syscall_sigreturn = 4119;
constexpr uint32_t syscall_rt_sigreturn = 4193;
constexpr uint32_t guest_eintr = 4; // EINTR has the same number on MIPS

// Signals the host delivered to a host thread for its guest thread, with their sender, written
// by the host handler and taken by deliver_pending_signals() on the same thread. The host picks
// the thread as the kernel would pick the guest thread, since each host thread's mask mirrors
// its guest thread's blocked mask.
struct HostSignals {
    std::array<std::atomic<uint32_t>, 4> pending{};
    std::array<std::atomic<int32_t>, guest_signal_count + 1> code{};
    // The first three words of the siginfo's union as the guest lays them out: the sender's pid,
    // uid and sigval, or for a timer its ID, overrun count and sigval.
    std::array<std::array<std::atomic<uint32_t>, 3>, guest_signal_count + 1> fields{};
    std::atomic<bool> arrived{false};
};
thread_local HostSignals host_signals;

// The guest's siginfo for a signal the host delivered: si_code, and the sender (with the value
// of sigqueue) or the timer (ID, overrun count, value). Async-signal-safe.
o32::Siginfo siginfo_from_host(unsigned guest, const siginfo_t* info) {
    o32::Siginfo translated{};
    translated.si_signo = static_cast<int32_t>(guest);
    if (info == nullptr) return translated;
    translated.si_code = info->si_code;
    if (info->si_code == SI_TIMER) {
        translated.si_code = o32::si_timer;
        translated.fields[0] = static_cast<uint32_t>(info->si_timerid);
        translated.fields[1] = static_cast<uint32_t>(info->si_overrun);
        translated.fields[2] = static_cast<uint32_t>(info->si_value.sival_int);
    } else {
        translated.fields[0] = static_cast<uint32_t>(info->si_pid);
        translated.fields[1] = info->si_uid;
        if (info->si_code == SI_QUEUE) translated.fields[2] = static_cast<uint32_t>(info->si_value.sival_int);
    }
    return translated;
}

void on_host_signal(int host, siginfo_t* info, void*) {
    unsigned guest = guest_signal(host);
    if (guest == 0 || guest > guest_signal_count) return;
    o32::Siginfo translated = siginfo_from_host(guest, info);
    HostSignals& arrived = host_signals;
    arrived.code[guest].store(translated.si_code, std::memory_order_relaxed);
    for (unsigned index = 0; index < 3; ++index)
        arrived.fields[guest][index].store(translated.fields[index], std::memory_order_relaxed);
    arrived.pending[(guest - 1) / 32].fetch_or(1u << ((guest - 1) % 32));
    arrived.arrived.store(true);
}

// Takes the signals the host delivered to the calling host thread into its guest thread's
// pending set. Called under the signal lock.
void collect_host_signals(Process& process) {
    HostSignals& arrived = host_signals;
    if (!arrived.arrived.exchange(false)) return;
    for (unsigned word = 0; word < 4; ++word) {
        uint32_t bits = arrived.pending[word].exchange(0);
        for (unsigned bit = 0; bit < 32; ++bit) {
            if (!(bits >> bit & 1)) continue;
            unsigned signal = word * 32 + bit + 1;
            o32::Siginfo info{};
            info.si_signo = static_cast<int32_t>(signal);
            info.si_code = arrived.code[signal].load(std::memory_order_relaxed);
            for (unsigned index = 0; index < 3; ++index)
                info.fields[index] = arrived.fields[signal][index].load(std::memory_order_relaxed);
            process.thread().signals.pending.add(info);
        }
    }
}

bool is_handler(uint32_t handler) {
    return handler != GuestSignalAction::default_handler && handler != GuestSignalAction::ignore_handler;
}

// Whether sp lies on the alternate signal stack (the kernel's on_sig_stack()).
bool on_alternate_stack(const ThreadSignalState& state, uint32_t sp) {
    return state.alternate_stack_enabled && state.alternate_stack_size != 0 &&
           sp > state.alternate_stack_base && sp - state.alternate_stack_base <= state.alternate_stack_size;
}

int32_t alternate_stack_flags(const ThreadSignalState& state, uint32_t sp) {
    if (!state.alternate_stack_enabled || state.alternate_stack_size == 0) return o32::ss_disable;
    return on_alternate_stack(state, sp) ? o32::ss_onstack : 0;
}

// Maps the trampoline page the first time a handler runs (and again if the guest unmapped it).
void ensure_trampolines(Process& process) {
    memory::AddressSpace& memory = process.memory();
    if (memory.is_mapped(sigreturn_page)) return;
    memory.map_anonymous(sigreturn_page, 4096, memory::ProtectionRead | memory::ProtectionWrite);
    const uint32_t code[] = {
        0x24020000 | syscall_sigreturn,    // li v0, 4119 (addiu v0, zero, 4119)
        0x0000000C,                        // syscall
        0x24020000 | syscall_rt_sigreturn, // li v0, 4193
        0x0000000C,                        // syscall
    };
    memory.copy_to_guest(sigreturn_page, code, sizeof code);
    memory.protect(sigreturn_page, 4096, memory::ProtectionRead | memory::ProtectionExecute);
}

} // namespace

void save_sigcontext(const cpu::CpuState& cpu, o32::Sigcontext& context) {
    std::memset(&context, 0, sizeof context);
    context.sc_pc = cpu.exception_pc();
    for (unsigned index = 1; index < 32; ++index)
        context.sc_regs[index] = cpu.gpr[index];
    context.sc_mdhi = cpu.hi;
    context.sc_mdlo = cpu.lo;
    // With 32-bit FPU registers the kernel stores each even/odd pair as one doubleword in the
    // even slot; the odd slot keeps the odd register's own word as well.
    for (unsigned index = 0; index < 32; ++index)
        context.sc_fpregs[index] =
            cpu.fpu.fr || (index & 1) ? cpu.fpu.fpr[index] : cpu.fpu.read_doubleword(index);
    context.sc_fpc_csr = cpu.fpu.fcsr;
    context.sc_used_math = 1;
}

void restore_sigcontext(cpu::CpuState& cpu, const o32::Sigcontext& context) {
    for (unsigned index = 1; index < 32; ++index)
        cpu.gpr[index] = static_cast<uint32_t>(context.sc_regs[index]);
    cpu.hi = static_cast<uint32_t>(context.sc_mdhi);
    cpu.lo = static_cast<uint32_t>(context.sc_mdlo);
    if (context.sc_used_math) {
        if (cpu.fpu.fr) {
            cpu.fpu.fpr = context.sc_fpregs;
        } else {
            for (unsigned index = 0; index < 32; index += 2)
                cpu.fpu.write_doubleword(index, context.sc_fpregs[index]);
        }
        cpu.fpu.fcsr = context.sc_fpc_csr & cpu::fcsr::writable_mask;
    }
    cpu.jump_to(static_cast<uint32_t>(context.sc_pc));
    cpu.link_valid = false;
}

namespace {

void set_blocked(Process& process, const GuestSignalSet& mask) {
    ThreadSignalState& state = process.thread().signals;
    state.blocked = mask;
    state.blocked.remove(sigkill);
    state.blocked.remove(sigstop);
    apply_host_mask(state.blocked);
}

// Builds the frame for one signal and points the CPU at its handler (setup_frame and
// setup_rt_frame). False if the frame could not be written.
bool setup_frame(Process& process, unsigned signal, const GuestSignalAction& action, const o32::Siginfo& info,
                 const GuestSignalSet& saved_mask) {
    ensure_trampolines(process);
    cpu::CpuState& cpu = process.cpu();
    ThreadSignalState& state = process.thread().signals;
    uint32_t sp = cpu.gpr[29];
    // Below the interrupted stack pointer the kernel leaves 32 bytes alone (room the FPU
    // emulator may use); the alternate stack is used from its top.
    uint32_t top = sp - 32;
    if ((action.flags & o32::sa_onstack) && state.alternate_stack_enabled &&
        state.alternate_stack_size != 0 && !on_alternate_stack(state, sp))
        top = state.alternate_stack_base + state.alternate_stack_size;

    bool rt = (action.flags & o32::sa_siginfo) != 0;
    uint32_t frame_address;
    if (rt) {
        o32::RtSigframe frame{};
        frame.rs_info = info;
        frame.rs_uc.uc_stack = {state.alternate_stack_base, state.alternate_stack_size,
                                alternate_stack_flags(state, sp)};
        save_sigcontext(cpu, frame.rs_uc.uc_mcontext);
        frame.rs_uc.uc_sigmask = saved_mask.words;
        frame_address = (top - sizeof frame) & ~7u;
        if (!process.memory().copy_to_guest(frame_address, &frame, sizeof frame)) return false;
        cpu.gpr[5] = frame_address + offsetof(o32::RtSigframe, rs_info);
        cpu.gpr[6] = frame_address + offsetof(o32::RtSigframe, rs_uc);
        cpu.gpr[31] = rt_sigreturn_trampoline;
    } else {
        o32::Sigframe frame{};
        save_sigcontext(cpu, frame.sf_sc);
        frame.sf_mask = saved_mask.words;
        frame_address = (top - sizeof frame) & ~7u;
        if (!process.memory().copy_to_guest(frame_address, &frame, sizeof frame)) return false;
        cpu.gpr[5] = 0;
        cpu.gpr[6] = frame_address + offsetof(o32::Sigframe, sf_sc);
        cpu.gpr[31] = sigreturn_trampoline;
    }
    cpu.gpr[4] = signal;
    cpu.gpr[29] = frame_address;
    cpu.gpr[25] = action.handler;
    cpu.jump_to(action.handler);
    cpu.link_valid = false;
    return true;
}

// Runs the handler of one signal whose disposition is a handler (handle_signal()). Called
// under the signal lock.
void run_handler(Process& process, unsigned signal, const o32::Siginfo& info) {
    SignalState& shared = process.signals();
    ThreadSignalState& state = process.thread().signals;
    GuestSignalAction action = shared.actions[signal];
    GuestSignalSet saved_mask = state.mask_to_restore.value_or(state.blocked);
    state.mask_to_restore.reset();
    trace_signal(process, info);
    if (!setup_frame(process, signal, action, info, saved_mask)) {
        // force_sigsegv(): a frame that cannot be written ends the process.
        process.terminate_by_signal(sigsegv, nullptr);
    }
    GuestSignalSet blocked = state.blocked;
    for (size_t word = 0; word < 4; ++word)
        blocked.words[word] |= action.mask.words[word];
    if (!(action.flags & o32::sa_nodefer)) blocked.add(signal);
    set_blocked(process, blocked);
    if (action.flags & o32::sa_resethand) {
        shared.actions[signal].handler = GuestSignalAction::default_handler;
        shared.actions[signal].flags &= ~o32::sa_siginfo;
        apply_host_disposition(signal, shared.actions[signal]);
    }
}

// System calls the kernel never restarts after a handler, SA_RESTART or not: the sleeps, the
// waits for a signal, and the polls (ERESTARTNOHAND and ERESTART_RESTARTBLOCK).
bool never_restarted(uint32_t number) {
    switch (number) {
    case 4029: // pause
    case 4072: // sigsuspend
    case 4142: // _newselect
    case 4166: // nanosleep
    case 4188: // poll
    case 4197: // rt_sigtimedwait
    case 4199: // rt_sigsuspend
    case 4250: // epoll_wait
    case 4265: // clock_nanosleep
    case 4301: // pselect6
    case 4302: // ppoll
    case 4313: // epoll_pwait
    case 4407: // clock_nanosleep_time64
    case 4413: // pselect6_time64
    case 4414: // ppoll_time64
    case 4421: // rt_sigtimedwait_time64
        return true;
    default: return false;
    }
}

// The first signal pending in the set that the mask does not block, the synchronous ones first
// (as the kernel's next_signal() picks them); 0 if none.
unsigned next_signal(const GuestSignalSet& pending, const GuestSignalSet& blocked) {
    for (unsigned signal :
         {sigsegv, sigbus, sigill, sigtrap, sigfpe, static_cast<unsigned>(GuestSignal::SIGSYS_)})
        if (pending.contains(signal) && !blocked.contains(signal)) return signal;
    for (unsigned signal = 1; signal <= guest_signal_count; ++signal)
        if (pending.contains(signal) && !blocked.contains(signal)) return signal;
    return 0;
}

// The next signal for the calling thread, its own pending signals before the process's
// (dequeue_signal()), taken out of its set with its siginfo. Called under the signal lock.
unsigned take_next_signal(Process& process, o32::Siginfo& info) {
    ThreadSignalState& state = process.thread().signals;
    if (unsigned signal = next_signal(state.pending.set, state.blocked)) {
        info = state.pending.take(signal);
        return signal;
    }
    if (unsigned signal = next_signal(process.signals().pending.set, state.blocked)) {
        info = process.signals().pending.take(signal);
        return signal;
    }
    return 0;
}

bool signal_waiting(Process& process) {
    const GuestSignalSet& blocked = process.thread().signals.blocked;
    return next_signal(process.thread().signals.pending.set, blocked) != 0 ||
           next_signal(process.signals().pending.set, blocked) != 0;
}

} // namespace

o32::Siginfo exception_siginfo(const Process& process, const cpu::Exit& exit) {
    using cpu::ExitKind;
    o32::Siginfo info{};
    const cpu::CpuState& cpu = const_cast<Process&>(process).cpu();
    uint32_t epc = exit.delay_slot ? exit.pc - 4 : exit.pc;
    switch (exit.kind) {
    case ExitKind::FetchFault:
    case ExitKind::LoadFault:
    case ExitKind::StoreFault:
        info.si_signo = sigsegv;
        info.si_code = const_cast<Process&>(process).memory().is_mapped(exit.address) ? o32::segv_accerr
                                                                                      : o32::segv_maperr;
        info.fields[0] = exit.address;
        break;
    case ExitKind::AddressErrorLoad:
    case ExitKind::AddressErrorStore:
        info.si_signo = sigbus;
        info.si_code = o32::bus_adraln;
        info.fields[0] = exit.address;
        break;
    case ExitKind::ReservedInstruction:
    case ExitKind::CoprocessorUnusable:
        info.si_signo = sigill;
        info.si_code = o32::si_kernel;
        break;
    case ExitKind::IntegerOverflow:
        info.si_signo = sigfpe;
        info.si_code = o32::fpe_intovf;
        info.fields[0] = epc;
        break;
    case ExitKind::FloatingPoint: {
        info.si_signo = sigfpe;
        uint32_t cause = (cpu.fpu.fcsr & cpu::fcsr::cause_mask) >> cpu::fcsr::cause_shift;
        if (cause & cpu::fpu::Invalid)
            info.si_code = o32::fpe_fltinv;
        else if (cause & cpu::fpu::DivideByZero)
            info.si_code = o32::fpe_fltdiv;
        else if (cause & cpu::fpu::Overflow)
            info.si_code = o32::fpe_fltovf;
        else if (cause & cpu::fpu::Underflow)
            info.si_code = o32::fpe_fltund;
        else if (cause & cpu::fpu::Inexact)
            info.si_code = o32::fpe_fltres;
        else
            info.si_code = o32::fpe_fltunk;
        info.fields[0] = epc;
        break;
    }
    case ExitKind::Breakpoint:
    case ExitKind::Trap: {
        // Assemblers put a one-operand BREAK code in bits 25:16, so do_bp() swaps the two 10-bit
        // halves of the 20-bit field when the upper half is set. Codes 6 and 7 are the compiler's
        // overflow and divide-by-zero checks.
        uint32_t code = exit.code;
        if (exit.kind == ExitKind::Breakpoint && code >= (1u << 10))
            code = ((code & 0x3FF) << 10) | (code >> 10);
        if (code == 6 || code == 7) {
            info.si_signo = sigfpe;
            info.si_code = code == 6 ? o32::fpe_intovf : o32::fpe_intdiv;
            info.fields[0] = epc;
        } else if (exit.kind == ExitKind::Breakpoint) {
            info.si_signo = sigtrap;
            info.si_code = o32::trap_brkpt;
            info.fields[0] = epc;
        } else {
            info.si_signo = sigtrap; // do_tr(): force_sig()
            info.si_code = o32::si_kernel;
        }
        break;
    }
    case ExitKind::Syscall:
    case ExitKind::BudgetExhausted: break;
    }
    return info;
}

void deliver_exception_signal(Process& process, const cpu::Exit& exit) {
    o32::Siginfo info = exception_siginfo(process, exit);
    unsigned signal = static_cast<unsigned>(info.si_signo);
    std::lock_guard lock(process.signal_lock());
    const GuestSignalAction& action = process.signals().actions[signal];
    if (signal == 0 || !is_handler(action.handler) || process.thread().signals.blocked.contains(signal))
        process.terminate_by_signal(signal, &exit); // force_sig(): blocked or ignored kills
    if (exit.kind == cpu::ExitKind::FloatingPoint) {
        // do_fpe() clears the Cause bits that raised the exception before the handler runs.
        cpu::FpuState& fpu = process.cpu().fpu;
        uint32_t raised = ((fpu.fcsr >> cpu::fcsr::enables_shift) & 0x1F) | cpu::fpu::Unimplemented;
        fpu.fcsr &= ~(((fpu.fcsr >> cpu::fcsr::cause_shift) & raised) << cpu::fcsr::cause_shift);
    }
    run_handler(process, signal, info);
}

void queue_signal(Process& process, const o32::Siginfo& info) {
    std::lock_guard lock(process.signal_lock());
    process.signals().pending.add(info);
}

void queue_thread_signal(Process& process, const o32::Siginfo& info) {
    std::lock_guard lock(process.signal_lock());
    process.thread().signals.pending.add(info);
}

o32::Siginfo sender_siginfo(unsigned signal, int32_t code) {
    o32::Siginfo info{};
    info.si_signo = static_cast<int32_t>(signal);
    info.si_code = code;
    info.fields[0] = static_cast<uint32_t>(getpid());
    info.fields[1] = getuid();
    return info;
}

void deliver_pending_signals(Process& process, const InterruptedSyscall* syscall) {
    std::lock_guard lock(process.signal_lock());
    collect_host_signals(process);
    cpu::CpuState& cpu = process.cpu();
    ThreadSignalState& state = process.thread().signals;
    // A chunk of guest code may end in a delay slot; signals wait for the next instruction.
    if (cpu.delay_slot) return;
    bool interrupted = syscall && cpu.gpr[7] == 1 && cpu.gpr[2] == guest_eintr;
    o32::Siginfo info{};
    while (unsigned signal = take_next_signal(process, info)) {
        const GuestSignalAction& action = process.signals().actions[signal];
        if (action.handler == GuestSignalAction::ignore_handler) continue;
        if (action.handler == GuestSignalAction::default_handler) {
            switch (default_action(signal)) {
            case DefaultAction::Ignore:
            case DefaultAction::Continue: continue;
            case DefaultAction::Stop: raise(SIGSTOP); continue;
            case DefaultAction::Terminate:
            case DefaultAction::CoreDump: process.terminate_by_signal(signal, nullptr);
            }
        }
        if (interrupted) {
            // The first handler decides whether the interrupted system call runs again.
            interrupted = false;
            if ((action.flags & o32::sa_restart) && !never_restarted(syscall->number)) {
                cpu.gpr[2] = syscall->number;
                cpu.gpr[7] = syscall->a3;
                cpu.jump_to(syscall->pc);
            }
        }
        run_handler(process, signal, info);
    }
    if (state.mask_to_restore) {
        // rt_sigsuspend returned without a handler: its mask ends now.
        set_blocked(process, *state.mask_to_restore);
        state.mask_to_restore.reset();
    }
}

bool handle_sigreturn(Process& process) {
    cpu::CpuState& cpu = process.cpu();
    uint32_t number = cpu.gpr[2];
    if (number != syscall_sigreturn && number != syscall_rt_sigreturn) return false;
    uint32_t frame_address = cpu.gpr[29];
    ThreadSignalState& state = process.thread().signals;
    std::unique_lock lock(process.signal_lock());
    if (number == syscall_sigreturn) {
        o32::Sigframe frame;
        if (!process.memory().copy_from_guest(&frame, frame_address, sizeof frame))
            process.terminate_by_signal(sigsegv, nullptr);
        set_blocked(process, GuestSignalSet{frame.sf_mask});
        restore_sigcontext(cpu, frame.sf_sc);
        trace_sigreturn(process, false, state.blocked, cpu.gpr[2]);
    } else {
        o32::RtSigframe frame;
        if (!process.memory().copy_from_guest(&frame, frame_address, sizeof frame))
            process.terminate_by_signal(sigsegv, nullptr);
        set_blocked(process, GuestSignalSet{frame.rs_uc.uc_sigmask});
        restore_sigcontext(cpu, frame.rs_uc.uc_mcontext);
        trace_sigreturn(process, true, state.blocked, cpu.gpr[2]);
        // restore_altstack(): the stack the handler may have changed in uc_stack, when valid and
        // not in use.
        const o32::SignalStack& stack = frame.rs_uc.uc_stack;
        if (!on_alternate_stack(state, cpu.gpr[29])) {
            if (stack.ss_flags & o32::ss_disable) {
                state.alternate_stack_enabled = false;
                state.alternate_stack_base = state.alternate_stack_size = 0;
            } else if (stack.ss_size >= 2048) {
                state.alternate_stack_enabled = true;
                state.alternate_stack_base = stack.ss_sp;
                state.alternate_stack_size = stack.ss_size;
            }
        }
    }
    lock.unlock();
    deliver_pending_signals(process);
    return true;
}

bool host_signals_waiting() {
    return host_signals.arrived.load(std::memory_order_relaxed);
}

void forward_host_signal(unsigned guest, const GuestSignalAction& action) {
    // The emulator keeps the fault signals for itself; KILL and STOP cannot be caught.
    if (!carried_by_host(guest) || !is_handler(action.handler)) return;
    int host = host_signal(guest);
    struct sigaction host_action;
    std::memset(&host_action, 0, sizeof host_action);
    host_action.sa_sigaction = on_host_signal;
    // No SA_RESTART: a blocking host call returns EINTR, and the guest's SA_RESTART decides.
    host_action.sa_flags = SA_SIGINFO;
    sigfillset(&host_action.sa_mask);
    sigaction(host, &host_action, nullptr);
}

void set_mask_to_restore(Process& process, const GuestSignalSet& mask) {
    process.thread().signals.mask_to_restore = mask;
}

namespace {

// Sleeps until a signal the guest does not block is pending: a host signal forwarded to a
// guest handler, or one the process sent itself. Host signals are blocked while the pending set
// is checked, so that none arrives between the check and the wait.
void wait_for_signal(Process& process) {
    sigset_t everything = all_but_fault_signals(), waiting_mask;
    pthread_sigmask(SIG_BLOCK, &everything, &waiting_mask);
    for (;;) {
        {
            std::lock_guard lock(process.signal_lock());
            collect_host_signals(process);
            if (signal_waiting(process)) break;
        }
        sigsuspend(&waiting_mask);
    }
    pthread_sigmask(SIG_SETMASK, &waiting_mask, nullptr);
}

bool read_signal_set(Process& process, uint32_t address, GuestSignalSet& set) {
    return process.memory().copy_from_guest(set.words.data(), address, sizeof set.words);
}

o32::Itimerval32 to_guest(const itimerval& host) {
    o32::Itimerval32 guest{};
    guest.interval = {static_cast<int32_t>(host.it_interval.tv_sec),
                      static_cast<int32_t>(host.it_interval.tv_usec)};
    guest.value = {static_cast<int32_t>(host.it_value.tv_sec), static_cast<int32_t>(host.it_value.tv_usec)};
    return guest;
}

} // namespace

namespace {

sigset_t host_signal_set(const GuestSignalSet& guest) {
    sigset_t host;
    sigemptyset(&host);
    for (unsigned signal = 1; signal <= guest_signal_count; ++signal)
        if (guest.contains(signal))
            if (int number = host_signal(signal); number != 0 && number != SIGSEGV && number != SIGBUS)
                sigaddset(&host, number);
    return host;
}

} // namespace

long wait_with_signal_mask(Process& process, const GuestSignalSet* mask,
                           const std::function<long(const sigset_t*)>& wait) {
    if (mask == nullptr) return wait(nullptr);
    sigset_t host_mask = host_signal_set(*mask);
    bool deliverable = false;
    {
        std::lock_guard lock(process.signal_lock());
        collect_host_signals(process);
        const GuestSignalSet& process_pending = process.signals().pending.set;
        const GuestSignalSet& thread_pending = process.thread().signals.pending.set;
        for (size_t word = 0; word < mask->words.size(); ++word)
            deliverable |= ((process_pending.words[word] | thread_pending.words[word]) & ~mask->words[word]) != 0;
    }
    long result = -1;
    errno = EINTR;
    if (!deliverable) result = wait(&host_mask);
    if (result < 0 && errno == EINTR) {
        int error = errno;
        GuestSignalSet before = process.thread().signals.blocked;
        set_blocked(process, *mask);
        set_mask_to_restore(process, before);
        errno = error;
    }
    return result;
}

namespace syscalls {

// rt_sigsuspend(mask, size of sigset_t): waits with the mask in place; the handler's frame
// saves the mask from before, so that it comes back when the handler returns.
SyscallResult sys_rt_sigsuspend(Process& process, const SyscallArguments& a) {
    if (a[1] != sizeof(GuestSignalSet::words)) return -EINVAL;
    GuestSignalSet mask;
    if (!read_signal_set(process, a[0], mask)) return -EFAULT;
    GuestSignalSet before = process.thread().signals.blocked;
    set_blocked(process, mask);
    wait_for_signal(process);
    set_mask_to_restore(process, before);
    return -EINTR;
}

// sigsuspend(mask): on MIPS the same call with a whole sigset_t.
SyscallResult sys_sigsuspend(Process& process, const SyscallArguments& a) {
    SyscallArguments arguments = a;
    arguments.values[1] = sizeof(GuestSignalSet::words);
    return sys_rt_sigsuspend(process, arguments);
}

// pause(): waits for a signal with the current mask.
SyscallResult sys_pause(Process& process, const SyscallArguments&) {
    wait_for_signal(process);
    return -EINTR;
}

// alarm(seconds), setitimer and getitimer run on the host's timers: the host signal they send
// is forwarded to the guest like any other.
SyscallResult sys_alarm(Process&, const SyscallArguments& a) {
    return alarm(a[0]);
}

SyscallResult sys_setitimer(Process& process, const SyscallArguments& a) {
    itimerval requested{}, old{};
    if (a[1] != 0) {
        o32::Itimerval32 guest;
        if (!process.memory().copy_from_guest(&guest, a[1], sizeof guest)) return -EFAULT;
        requested.it_interval = {guest.interval.seconds, guest.interval.microseconds};
        requested.it_value = {guest.value.seconds, guest.value.microseconds};
    }
    if (setitimer(static_cast<__itimer_which>(a[0]), &requested, &old) != 0) return -errno;
    if (a[2] != 0) {
        o32::Itimerval32 guest = to_guest(old);
        if (!process.memory().copy_to_guest(a[2], &guest, sizeof guest)) return -EFAULT;
    }
    return 0;
}

SyscallResult sys_getitimer(Process& process, const SyscallArguments& a) {
    itimerval current{};
    if (getitimer(static_cast<__itimer_which>(a[0]), &current) != 0) return -errno;
    o32::Itimerval32 guest = to_guest(current);
    return process.memory().copy_to_guest(a[1], &guest, sizeof guest) ? 0 : -EFAULT;
}

// rt_sigtimedwait(set, info, timeout, size of sigset_t): takes a signal of the set that is
// pending, the guest's own first, else waits for one from the host (the set is normally blocked,
// so the host keeps it pending too). The *_time64 variant reads a 64-bit timespec.
static SyscallResult timed_wait(Process& process, const SyscallArguments& a, bool time64) {
    if (a[3] != sizeof(GuestSignalSet::words)) return -EINVAL;
    GuestSignalSet set;
    if (!read_signal_set(process, a[0], set)) return -EFAULT;
    set.remove(sigkill);
    set.remove(sigstop);
    timespec timeout{};
    if (a[2] != 0) {
        if (time64) {
            o32::Timespec64 guest;
            if (!process.memory().copy_from_guest(&guest, a[2], sizeof guest)) return -EFAULT;
            timeout = {static_cast<time_t>(guest.seconds), static_cast<long>(guest.nanoseconds)};
        } else {
            o32::Timespec32 guest;
            if (!process.memory().copy_from_guest(&guest, a[2], sizeof guest)) return -EFAULT;
            timeout = {guest.seconds, guest.nanoseconds};
        }
    }
    o32::Siginfo info{};
    unsigned found = 0;
    {
        // The thread's own pending signals first, then the process's.
        std::lock_guard lock(process.signal_lock());
        collect_host_signals(process);
        for (PendingSignals* pending : {&process.thread().signals.pending, &process.signals().pending}) {
            for (unsigned signal = 1; signal <= guest_signal_count && found == 0; ++signal) {
                if (set.contains(signal) && pending->set.contains(signal)) {
                    found = signal;
                    bool known = pending->has_info[signal];
                    info = known ? pending->take(signal) : sender_siginfo(signal, o32::si_user);
                    pending->discard(signal);
                }
            }
        }
    }
    if (found == 0) {
        sigset_t host_set;
        sigemptyset(&host_set);
        for (unsigned signal = 1; signal <= guest_signal_count; ++signal)
            if (set.contains(signal) && host_signal(signal) != 0) sigaddset(&host_set, host_signal(signal));
        siginfo_t host_info{};
        int host = sigtimedwait(&host_set, &host_info, a[2] != 0 ? &timeout : nullptr);
        if (host < 0) return -errno;
        found = guest_signal(host);
        info = siginfo_from_host(found, &host_info);
    }
    info.si_signo = static_cast<int32_t>(found);
    if (a[1] != 0 && !process.memory().copy_to_guest(a[1], &info, sizeof info)) return -EFAULT;
    return found;
}

SyscallResult sys_rt_sigtimedwait(Process& process, const SyscallArguments& a) {
    return timed_wait(process, a, false);
}

SyscallResult sys_rt_sigtimedwait_time64(Process& process, const SyscallArguments& a) {
    return timed_wait(process, a, true);
}

} // namespace syscalls

} // namespace isomorph::process
