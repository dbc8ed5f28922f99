// A careless guest that forks many processes: 200 children, all alive at once, each ending with
// its own exit status (its index), then the parent reaps every one with waitpid(-1) and checks
// that each PID came back once with the status its child chose, and that no child is left.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { children = 200 };

int main(void)
{
    pid_t pids[children];
    int pipe_ends[2];
    // The children wait on a pipe until all of them exist, so that 200 are alive at once.
    if (pipe(pipe_ends) != 0) {
        perror("pipe");
        return 1;
    }
    for (int index = 0; index < children; ++index) {
        pid_t pid = fork();
        if (pid < 0) {
            printf("fork %d failed: %s\n", index, strerror(errno));
            return 1;
        }
        if (pid == 0) {
            close(pipe_ends[1]);
            char byte;
            ssize_t got = read(pipe_ends[0], &byte, 1); // end of file once the parent closes it
            _exit(got == 0 ? index : 255);
        }
        pids[index] = pid;
    }
    close(pipe_ends[0]);
    close(pipe_ends[1]);

    int reaped = 0, wrong = 0;
    int seen[children] = {0};
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno != ECHILD)
                printf("waitpid failed: %s\n", strerror(errno));
            break;
        }
        int index = -1;
        for (int candidate = 0; candidate < children; ++candidate)
            if (pids[candidate] == pid)
                index = candidate;
        if (index < 0 || seen[index]++) {
            printf("waitpid returned an unknown or repeated PID\n");
            ++wrong;
            continue;
        }
        ++reaped;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != index) {
            printf("child %d: status 0x%x, expected exit %d\n", index, status, index);
            ++wrong;
        }
    }
    printf("reaped %d of %d children, %d wrong\n", reaped, children, wrong);
    errno = 0;
    pid_t again = wait(NULL);
    printf("wait with no children left: %d (%s)\n", (int)again, errno == ECHILD ? "ECHILD" : "other");
    return reaped == children && wrong == 0 ? 0 : 1;
}
