// A signal another process sends (the host kernel delivers it to the emulator, which forwards it
// to the guest): a child kills its parent with SIGUSR1 while the parent waits in sigsuspend, and
// the parent's SA_SIGINFO handler sees SI_USER and the child's process ID.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int received, code;
static volatile pid_t sender;

static void on_usr1(int number, siginfo_t* info, void* context)
{
    (void)number;
    (void)context;
    received = 1;
    code = info->si_code;
    sender = info->si_pid;
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_usr1;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &action, NULL);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);

    pid_t child = fork();
    if (child == 0) {
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    while (!received)
        sigsuspend(&old);
    int status;
    waitpid(child, &status, 0);
    printf("received %d, code SI_USER %d, from the child %d, child status %d\n", received, code == SI_USER,
           sender == child, WEXITSTATUS(status));
    return 0;
}
