// fork and wait: exit codes, deaths by signal (reported with MIPS signal numbers), WNOHANG,
// waitid, rusage, a pipe between parent and child, process groups and sessions.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

// A child that ends the given way: code >= 0 exits with it, code < 0 dies by signal -code.
static pid_t spawn(int code)
{
    pid_t pid = fork();
    if (pid == 0) {
        // The emulators report a fatal signal on stderr each in their own words.
        freopen("/dev/null", "w", stderr);
        if (code >= 0)
            _exit(code);
        if (-code == SIGSEGV) {
            int* volatile bad = (int*)16;
            *bad = 1;
        }
        if (-code == SIGFPE) {
            volatile int zero = 0;
            printf("%d\n", 1 / zero);
        }
        raise(-code);
        _exit(99);
    }
    return pid;
}

static void report(const char* what, int status)
{
    if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by %d (%s)\n", what, WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        printf("%s: status 0x%x\n", what, status);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t self = getpid();

    int codes[] = {0, 1, 42, 255, -SIGUSR1, -SIGUSR2, -SIGTERM, -SIGSEGV, -SIGFPE,
                   -SIGABRT, -SIGALRM, -SIGHUP};
    for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
        int code = codes[i];
        pid_t pid = spawn(code);
        int status = 0;
        struct rusage usage;
        pid_t waited = wait4(pid, &status, 0, &usage);
        char what[32];
        snprintf(what, sizeof what, "child %d", code);
        report(what, status);
        if (waited != pid)
            printf("  wait4 returned %d, not the child\n", waited);
        if (usage.ru_utime.tv_usec < 0 || usage.ru_utime.tv_usec >= 1000000)
            printf("  bad rusage\n");
    }

    // Children the parent kills.
    int kills[] = {SIGKILL, SIGTERM, SIGUSR2, SIGINT};
    for (unsigned i = 0; i < sizeof kills / sizeof kills[0]; ++i) {
        pid_t pid = fork();
        if (pid == 0) {
            for (;;)
                pause();
        }
        kill(pid, kills[i]);
        int status = 0;
        waitpid(pid, &status, 0);
        report("killed child", status);
    }

    // WNOHANG with a running child, then a blocking waitpid.
    int ready[2];
    pipe(ready);
    pid_t slow = fork();
    if (slow == 0) {
        char byte;
        close(ready[1]);
        read(ready[0], &byte, 1);
        _exit(5);
    }
    close(ready[0]);
    int status = 0;
    printf("WNOHANG: %d\n", waitpid(slow, &status, WNOHANG));
    write(ready[1], "x", 1);
    close(ready[1]);
    printf("waitpid: %s\n", waitpid(slow, &status, 0) == slow ? "the child" : "other");
    report("slow", status);
    errno = 0;
    printf("no children: %d %s\n", waitpid(-1, &status, 0), strerror(errno));

    // waitid: CLD_EXITED and CLD_KILLED with the status in guest numbering.
    siginfo_t info;
    pid_t pid = spawn(3);
    memset(&info, 0, sizeof info);
    waitid(P_PID, pid, &info, WEXITED);
    printf("waitid: signo %d code %d status %d pid ok %d\n", info.si_signo, info.si_code, info.si_status,
           info.si_pid == pid);
    pid = spawn(-SIGUSR1);
    memset(&info, 0, sizeof info);
    waitid(P_ALL, 0, &info, WEXITED);
    printf("waitid: signo %d code %d status %d pid ok %d\n", info.si_signo, info.si_code, info.si_status,
           info.si_pid == pid);

    // A pipe from child to parent, the child's parent and its own process ID.
    int channel[2];
    pipe(channel);
    pid = fork();
    if (pid == 0) {
        close(channel[0]);
        char message[128];
        int length = snprintf(message, sizeof message, "hello from the child; parent ok %d, own pid differs %d",
                              getppid() == self, getpid() != self);
        write(channel[1], message, length);
        _exit(0);
    }
    close(channel[1]);
    char buffer[128] = {0};
    int total = 0, got;
    while ((got = read(channel[0], buffer + total, sizeof buffer - 1 - total)) > 0)
        total += got;
    printf("pipe: %s\n", buffer);
    waitpid(pid, &status, 0);
    report("writer", status);

    // Sessions and process groups.
    pid = fork();
    if (pid == 0) {
        pid_t child = getpid();
        int in_parent_group = getpgrp() == getpgid(self);
        pid_t session = setsid();
        printf("setsid: %d, group now own %d, pgid(0) own %d, was in parent's group %d\n", session == child,
               getpgrp() == child, getpgid(0) == child, in_parent_group);
        errno = 0;
        printf("setsid again: %d %s\n", setsid(), strerror(errno));
        _exit(0);
    }
    waitpid(pid, &status, 0);
    pid = fork();
    if (pid == 0) {
        printf("setpgid: %d, own group %d\n", setpgid(0, 0), getpgrp() == getpid());
        _exit(0);
    }
    waitpid(pid, &status, 0);
    report("groups", status);
    return 0;
}
