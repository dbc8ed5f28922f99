// Guest threads on host threads.
//
// clone(CLONE_VM | CLONE_THREAD | ...) starts a host thread that runs the new guest thread on the
// process's one engine and address space. The host kernel then does for guest threads what the
// guest kernel would: it schedules them, blocks them in futex waits (guest futex words are host
// memory), and routes signals. Each host thread's signal mask mirrors its guest thread's blocked
// mask, so a signal sent to the process reaches a host thread whose guest thread does not block
// it, and the host handler records it for that thread (process/signal_delivery.cpp).
//
// Ending: exit() ends the calling thread after its system call (clearing clear_child_tid and
// waking a futex waiter, releasing robust futexes); the last thread to end ends the process.
// exit_group() and the end of the last thread finish the process from whichever thread gets
// there first; the others park. With other threads still running, the process ends with
// _Exit(), as the kernel ends every thread of a group at once; with one thread left it returns
// from Process::run() normally.

#include "process/process.h"
#include "process/signal_delivery.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore>
#include <sys/syscall.h>
#include <unistd.h>

namespace isomorph::process {

namespace {

thread_local GuestThread* current_thread = nullptr;

// Blocks every host signal the emulator does not need for itself on the calling host thread:
// a thread that will run no more guest code must not take signals meant for the others.
void block_guest_signals()
{
    sigset_t everything = all_but_fault_signals();
    pthread_sigmask(SIG_SETMASK, &everything, nullptr);
}

// A host thread whose guest thread has ended while the process goes on (the main thread after
// exit()), or that waits for another thread to end the process.
[[noreturn]] void park()
{
    block_guest_signals();
    for (;;)
        pause();
}

void wake_one(Process& process, uint32_t address)
{
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(process.memory().host_base() + address), FUTEX_WAKE, 1,
            nullptr, nullptr, 0);
}

// What the kernel does for a futex word on the robust list of a thread that ends
// (handle_futex_death): if the thread owns it, mark the owner dead and wake one waiter.
void release_robust_futex(Process& process, uint32_t address, int32_t tid)
{
    if ((address & 3) != 0 || !process.memory().range_has(address, 4, memory::ProtectionRead | memory::ProtectionWrite))
        return;
    auto* word = reinterpret_cast<uint32_t*>(process.memory().host_base() + address);
    uint32_t value = __atomic_load_n(word, __ATOMIC_RELAXED);
    while ((value & FUTEX_TID_MASK) == static_cast<uint32_t>(tid)) {
        uint32_t replacement = (value & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        if (__atomic_compare_exchange_n(word, &value, replacement, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
            if (value & FUTEX_WAITERS)
                wake_one(process, address);
            return;
        }
    }
}

// Walks the robust list of struct robust_list_head {next, futex_offset, list_op_pending}
// (exit_robust_list), with the kernel's limit on its length.
void release_robust_list(Process& process, const GuestThread& thread)
{
    if (thread.robust_list_head == 0)
        return;
    uint32_t head[3];
    if (!process.memory().copy_from_guest(head, thread.robust_list_head, sizeof head))
        return;
    int32_t offset = static_cast<int32_t>(head[1]);
    uint32_t entry = head[0];
    for (unsigned count = 0; entry != thread.robust_list_head && count < 2048; ++count) {
        uint32_t next;
        if (!process.memory().copy_from_guest(&next, entry & ~1u, sizeof next))
            return;
        if ((entry & ~1u) != (head[2] & ~1u))
            release_robust_futex(process, (entry & ~1u) + static_cast<uint32_t>(offset), thread.tid);
        entry = next;
    }
    if (head[2] != 0)
        release_robust_futex(process, (head[2] & ~1u) + static_cast<uint32_t>(offset), thread.tid);
}

struct Launch {
    Process* process;
    GuestThread* thread;
    Process::ThreadStart start;
    std::binary_semaphore started{0};
    int32_t tid = 0;
};

} // namespace

GuestThread& Process::thread()
{
    GuestThread* thread = current_thread;
    return thread != nullptr && thread->process == this ? *thread : *m_main_thread;
}

bool Process::thread_exiting() const
{
    GuestThread* thread = current_thread;
    return thread != nullptr && thread->process == this && thread->exiting;
}

// Runs a guest thread on the calling host thread; host_main tells whether this is the thread
// that called Process::run(), which returns when the process ends with a single thread.
void run_guest_thread(Process& process, GuestThread& thread, bool host_main)
{
    current_thread = &thread;
    process.run_thread(thread);
    if (process.m_ending.load()) {
        if (process.m_ending_thread != &thread)
            park(); // another thread ends the process
        if (host_main && process.only_thread_left())
            return;
        process.finish();
        std::_Exit(process.m_exit_code);
    }
    // exit() of a thread while others go on.
    process.end_thread(thread);
    current_thread = nullptr;
    if (host_main)
        park();
}

int64_t Process::start_thread(const ThreadStart& start)
{
    GuestThread& parent = thread();
    auto owned = std::make_unique<GuestThread>();
    GuestThread& child = *owned;
    child.process = this;
    child.cpu = parent.cpu;
    child.cpu.gpr[2] = 0; // the child's clone returns 0
    child.cpu.gpr[7] = 0;
    child.cpu.link_valid = false;
    child.cpu.advance();
    if (start.stack != 0)
        child.cpu.gpr[29] = start.stack;
    if (start.set_tls)
        child.cpu.user_local = start.tls;
    child.signals.blocked = parent.signals.blocked; // the alternate stack is not inherited
    child.clear_child_tid = start.clear_child_tid;
    child.name = parent.name;
    {
        std::lock_guard lock(m_threads_lock);
        m_threads.push_back(std::move(owned));
    }

    Launch launch{this, &child, start};
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    // The new host thread starts with every signal blocked and takes its guest mask once running.
    sigset_t everything, saved;
    sigfillset(&everything);
    pthread_sigmask(SIG_SETMASK, &everything, &saved);
    pthread_t handle;
    int error = pthread_create(
        &handle, &attributes,
        [](void* argument) -> void* {
            auto* launch = static_cast<Launch*>(argument);
            Process& process = *launch->process;
            GuestThread& thread = *launch->thread;
            thread.tid = static_cast<int32_t>(gettid());
            // Both IDs are in place before either thread runs guest code, as with the kernel.
            if (launch->start.parent_tid_address != 0)
                process.memory().copy_to_guest(launch->start.parent_tid_address, &thread.tid, sizeof thread.tid);
            if (launch->start.child_tid_address != 0)
                process.memory().copy_to_guest(launch->start.child_tid_address, &thread.tid, sizeof thread.tid);
            launch->tid = thread.tid;
            launch->started.release(); // launch is gone after this
            apply_host_mask(thread.signals.blocked);
            run_guest_thread(process, thread, false);
            return nullptr;
        },
        &launch);
    pthread_sigmask(SIG_SETMASK, &saved, nullptr);
    pthread_attr_destroy(&attributes);
    if (error != 0) {
        std::lock_guard lock(m_threads_lock);
        m_threads.remove_if([&](const auto& thread) { return thread.get() == &child; });
        return -EAGAIN;
    }
    launch.started.acquire();
    m_threads_started.fetch_add(1, std::memory_order_relaxed);
    return launch.tid;
}

void Process::exit_group(int status)
{
    bool expected = false;
    if (!m_ending.compare_exchange_strong(expected, true))
        park(); // another thread is ending the process already
    m_exit_code = status & 0xFF;
    m_ending_thread = &thread();
}

void Process::exit_thread(int status)
{
    GuestThread& me = thread();
    size_t others = 0;
    {
        std::lock_guard lock(m_threads_lock);
        for (auto& thread : m_threads)
            others += thread.get() != &me && !thread->exiting;
        if (others != 0) {
            me.exiting = true;
            me.exit_status = status;
            return;
        }
    }
    // The last thread: the process ends, with the main thread's status if it ended before.
    exit_group(&me != m_main_thread && m_main_thread->exiting ? m_main_thread->exit_status : status);
}

void Process::end_thread(GuestThread& thread)
{
    release_robust_list(*this, thread);
    if (thread.clear_child_tid != 0) {
        int32_t zero = 0;
        if (memory().copy_to_guest(thread.clear_child_tid, &zero, sizeof zero))
            wake_one(*this, thread.clear_child_tid);
    }
    std::lock_guard lock(m_threads_lock);
    // The main thread's record stays: its exit status may become the process's.
    if (&thread != m_main_thread)
        m_threads.remove_if([&](const auto& entry) { return entry.get() == &thread; });
}

bool Process::only_thread_left()
{
    std::lock_guard lock(m_threads_lock);
    return m_threads.size() == 1;
}

size_t Process::thread_count()
{
    std::lock_guard lock(m_threads_lock);
    size_t count = 0;
    for (auto& thread : m_threads)
        count += !thread->exiting;
    return count;
}

bool Process::queue_for_thread(int32_t tid, const o32::Siginfo& info)
{
    std::lock_guard lock(m_threads_lock);
    for (auto& thread : m_threads) {
        if (thread->tid == tid && !thread->exiting) {
            std::lock_guard signal_lock(m_signal_lock);
            thread->signals.pending.add(info);
            return true;
        }
    }
    return false;
}

void Process::before_fork()
{
    m_threads_lock.lock();
    m_signal_lock.lock();
    m_accounting_lock.lock();
    memory().lock_for_fork([this] { engine().before_fork(); });
}

void Process::after_fork(bool in_child)
{
    if (in_child) {
        // Only the calling thread goes on in the child, as the thread group's leader.
        GuestThread* me = &thread();
        std::erase_if(m_threads, [&](const auto& thread) { return thread.get() != me; });
        m_main_thread = me;
        me->tid = static_cast<int32_t>(gettid());
    }
    memory().unlock_after_fork([this] { engine().after_fork(); });
    m_accounting_lock.unlock();
    m_signal_lock.unlock();
    m_threads_lock.unlock();
}

} // namespace isomorph::process
