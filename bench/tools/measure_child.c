/* Runs one command and reports the resources of that command alone.
 *
 *   measure_child REPORT PROGRAM [ARGUMENT...]
 *
 * writes "PEAK_RSS_KIB USER_SECONDS SYSTEM_SECONDS" to REPORT and ends as the command did (its
 * exit status, or killed by its signal). The harness cannot take the peak memory from its own
 * wait4: a process forked from the harness carries the harness's resident size into its peak
 * (Linux keeps the high-water mark of the memory an execve replaces), so every run would show
 * at least the harness's size. This small program's child starts from this program's few pages.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static double seconds(struct timeval time) { return (double)time.tv_sec + (double)time.tv_usec / 1e6; }

int main(int argc, char** argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: measure_child REPORT PROGRAM [ARGUMENT...]\n");
        return 2;
    }
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "measure_child: fork: %s\n", strerror(errno));
        return 127;
    }
    if (child == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "measure_child: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    while (wait4(child, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "measure_child: wait4: %s\n", strerror(errno));
            return 127;
        }
    }
    FILE* report = fopen(argv[1], "w");
    if (report == NULL || fprintf(report, "%ld %.6f %.6f\n", usage.ru_maxrss, seconds(usage.ru_utime),
                                  seconds(usage.ru_stime)) < 0 || fclose(report) != 0) {
        fprintf(stderr, "measure_child: %s: %s\n", argv[1], strerror(errno));
        return 127;
    }
    if (WIFSIGNALED(status)) {
        /* End the same way, without a core file of this program. */
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        signal(WTERMSIG(status), SIG_DFL);
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, WTERMSIG(status));
        sigprocmask(SIG_UNBLOCK, &signals, NULL);
        raise(WTERMSIG(status));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}
