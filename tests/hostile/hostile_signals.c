// A hostile guest that sends itself every signal number, 1 to 127 on MIPS, first
// with a handler installed for each (through the raw system call, so that glibc's reserved
// signals 32 and 33 are included), then with the default dispositions, each in a child process
// whose end the parent reports as wait() shows it.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// The kernel's o32 struct sigaction (arch/mips/include/uapi/asm/signal.h), with a 128-bit mask.
struct kernel_sigaction {
    unsigned int flags;
    void (*handler)(int, siginfo_t*, void*);
    unsigned int mask[4];
};

static volatile int delivered[128];
static volatile int wrong_information[128];

static void handler(int signal, siginfo_t* information, void* context)
{
    (void)context;
    if (signal < 1 || signal > 127)
        return;
    ++delivered[signal];
    if (information->si_signo != signal || information->si_code != SI_USER || information->si_pid != getpid())
        ++wrong_information[signal];
}

static int set_action(int signal, void (*function)(int, siginfo_t*, void*), unsigned flags)
{
    struct kernel_sigaction action;
    memset(&action, 0, sizeof action);
    action.handler = function;
    action.flags = flags;
    return syscall(SYS_rt_sigaction, signal, &action, NULL, sizeof action.mask) == 0 ? 0 : errno;
}

static void with_handlers(void)
{
    printf("with handlers:\n");
    for (int signal = 1; signal <= 127; ++signal) {
        int error = set_action(signal, handler, SA_SIGINFO);
        if (error != 0) {
            printf("  sigaction(%d): %s\n", signal, strerror(error));
            continue;
        }
        if (kill(getpid(), signal) != 0) {
            printf("  kill(%d): %s\n", signal, strerror(errno));
            continue;
        }
        if (delivered[signal] != 1 || wrong_information[signal] != 0)
            printf("  signal %d: delivered %d times, %d with wrong information\n", signal, delivered[signal],
                   wrong_information[signal]);
    }
    int total = 0;
    for (int signal = 1; signal <= 127; ++signal)
        total += delivered[signal];
    printf("  %d signals delivered to their handlers\n", total);
    // Signal 0 sends nothing: it only checks that the process exists.
    errno = 0;
    printf("  kill(self, 0): %d %s\n", kill(getpid(), 0), strerror(errno));
}

static void with_default_dispositions(void)
{
    printf("default dispositions, in children (raw wait statuses):\n");
    for (int signal = 1; signal <= 127; ++signal)
        set_action(signal, (void (*)(int, siginfo_t*, void*))SIG_DFL, 0);
    for (int signal = 1; signal <= 127; ++signal) {
        fflush(stdout);
        pid_t child = fork();
        if (child < 0) {
            printf("  fork: %s\n", strerror(errno));
            return;
        }
        if (child == 0) {
            // A process group of its own whose parent is in another group of the session is not
            // orphaned, so SIGTSTP, SIGTTIN and SIGTTOU stop it wherever the test runs.
            setpgid(0, 0);
            struct rlimit no_core = {0, 0};
            setrlimit(RLIMIT_CORE, &no_core);
            kill(getpid(), signal);
            _exit(0);
        }
        int status;
        if (waitpid(child, &status, WUNTRACED) != child) {
            printf("  waitpid: %s\n", strerror(errno));
            return;
        }
        // A stopped child shows 0x7f with the signal in bits 15:8; it is continued and then
        // exits 0. Status 0x7f alone is a child killed by signal 127, which MIPS has and whose
        // status looks like "stopped" to the usual macros.
        if ((status & 0xff) == 0x7f && (status >> 8) != 0) {
            printf("  signal %d: 0x%x", signal, status);
            kill(child, SIGCONT);
            if (waitpid(child, &status, 0) != child) {
                printf(", waitpid after SIGCONT: %s\n", strerror(errno));
                return;
            }
            printf(", then 0x%x\n", status);
            continue;
        }
        printf("  signal %d: 0x%x\n", signal, status);
    }
}

int main(void)
{
    with_handlers();
    with_default_dispositions();
    return 0;
}
