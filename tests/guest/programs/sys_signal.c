// Signal dispositions and masks as the process records them, the alternate stack, signals a
// process sends itself that are ignored, blocked or pending, and SIGPIPE ignored on a broken pipe.
#define _GNU_SOURCE
#include "sys_common.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

static void handler(int signal) { (void)signal; }

static void show_pending(void)
{
    sigset_t pending;
    sigpending(&pending);
    printf("  pending: SIGUSR1 %d SIGUSR2 %d SIGTERM %d SIGRTMIN %d\n", sigismember(&pending, SIGUSR1),
           sigismember(&pending, SIGUSR2), sigismember(&pending, SIGTERM), sigismember(&pending, SIGRTMIN));
}

int main(void)
{
    // Dispositions round-trip with their flags and masks.
    struct sigaction action = {0}, old;
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGUSR2);
    sigaddset(&action.sa_mask, SIGRTMIN + 3);
    CHECK(sigaction(SIGUSR1, &action, NULL));
    CHECK(sigaction(SIGUSR1, NULL, &old));
    printf("  handler kept %d flags SA_RESTART %d SA_NODEFER %d mask SIGUSR2 %d SIGRTMIN+3 %d SIGINT %d\n",
           old.sa_handler == handler, !!(old.sa_flags & SA_RESTART), !!(old.sa_flags & SA_NODEFER),
           sigismember(&old.sa_mask, SIGUSR2), sigismember(&old.sa_mask, SIGRTMIN + 3), sigismember(&old.sa_mask, SIGINT));
    action.sa_handler = SIG_IGN;
    action.sa_flags = 0;
    CHECK(sigaction(SIGUSR1, &action, &old));
    printf("  old handler was ours: %d\n", old.sa_handler == handler);
    CHECK(sigaction(SIGUSR1, NULL, &old));
    printf("  now ignored: %d\n", old.sa_handler == SIG_IGN);
    CHECK(sigaction(SIGKILL, &action, NULL));
    CHECK(sigaction(SIGSTOP, &action, NULL));
    CHECK(sigaction(SIGKILL, NULL, &old));
    CHECK(sigaction(0, NULL, &old));
    CHECK(sigaction(200, NULL, &old));
    CHECK(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 8));
    printf("  SIGCHLD default: %d\n", (sigaction(SIGCHLD, NULL, &old), old.sa_handler == SIG_DFL));

    // An ignored signal sent to oneself does nothing.
    CHECK(raise(SIGUSR1));
    CHECK(kill(getpid(), SIGUSR1));
    // A signal whose default action is to ignore it does nothing either.
    CHECK(raise(SIGWINCH));
    CHECK(raise(SIGCHLD));
    CHECK(kill(getpid(), 0));
    CHECK(kill(getpid(), 500));

    // Blocked signals stay pending.
    sigset_t block, previous;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGKILL);
    CHECK(sigprocmask(SIG_BLOCK, &block, &previous));
    CHECK(sigprocmask(SIG_BLOCK, NULL, &previous));
    printf("  blocked: SIGUSR2 %d SIGTERM %d SIGKILL (never) %d\n", sigismember(&previous, SIGUSR2),
           sigismember(&previous, SIGTERM), sigismember(&previous, SIGKILL));
    CHECK(raise(SIGUSR2));
    CHECK(kill(getpid(), SIGTERM));
    CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2));
    show_pending();
    // Ignoring a pending signal discards it.
    action.sa_handler = SIG_IGN;
    CHECK(sigaction(SIGTERM, &action, NULL));
    show_pending();
    // Unblocking an ignored signal is harmless; SIGUSR2's default would end the process, so it
    // is ignored before it is unblocked.
    CHECK(sigaction(SIGUSR2, &action, NULL));
    CHECK(sigprocmask(SIG_UNBLOCK, &block, NULL));
    show_pending();
    CHECK(sigprocmask(99, &block, NULL));
    CHECK(syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &previous, 4));
    sigemptyset(&block);
    CHECK(sigprocmask(SIG_SETMASK, &block, NULL));
    CHECK(sigprocmask(SIG_SETMASK, NULL, &previous));
    printf("  mask empty: %d\n", sigisemptyset(&previous));

    // The alternate signal stack.
    static char stack_area[65536];
    stack_t stack = {.ss_sp = stack_area, .ss_size = sizeof stack_area, .ss_flags = 0}, old_stack;
    CHECK(sigaltstack(NULL, &old_stack));
    printf("  initially disabled: %d\n", old_stack.ss_flags == SS_DISABLE);
    CHECK(sigaltstack(&stack, NULL));
    CHECK(sigaltstack(NULL, &old_stack));
    printf("  recorded: %d flags %d\n", old_stack.ss_sp == stack_area && old_stack.ss_size == sizeof stack_area,
           old_stack.ss_flags);
    stack.ss_size = 100;
    CHECK(sigaltstack(&stack, NULL));
    stack.ss_flags = 42;
    CHECK(sigaltstack(&stack, NULL));
    stack.ss_flags = SS_DISABLE;
    CHECK(sigaltstack(&stack, NULL));
    CHECK(sigaltstack(NULL, &old_stack));
    printf("  disabled again: %d\n", old_stack.ss_flags == SS_DISABLE);

    // With SIGPIPE ignored, writing to a pipe without a reader fails with EPIPE.
    action.sa_handler = SIG_IGN;
    CHECK(sigaction(SIGPIPE, &action, NULL));
    int ends[2];
    CHECK(pipe(ends));
    CHECK(close(ends[0]));
    CHECK(write(ends[1], "x", 1));
    // Signals to a process that does not exist.
    CHECK(kill(999999999, SIGTERM));
    CHECK(syscall(SYS_tkill, 0, SIGTERM));
    CHECK(syscall(SYS_tgkill, getpid(), 0, SIGTERM));
    return 0;
}
