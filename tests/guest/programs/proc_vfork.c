// vfork: the parent resumes once the child has exited; a failed execve in the child reports its
// error and the child leaves with _exit. posix_spawn of a missing program fails cleanly.
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int code = 0; code < 3; ++code) {
        pid_t pid = vfork();
        if (pid == 0)
            _exit(code * 10);
        int status = 0;
        printf("vfork child %d: waited %d exited %d code %d\n", code, waitpid(pid, &status, 0) == pid,
               WIFEXITED(status), WEXITSTATUS(status));
    }

    pid_t pid = vfork();
    if (pid == 0) {
        char* argv[] = {"missing", NULL};
        execve("/nonexistent/program", argv, environ);
        _exit(errno == ENOENT ? 127 : 126);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("execve of a missing file: exit %d\n", WEXITSTATUS(status));

    pid = vfork();
    if (pid == 0) {
        char* argv[] = {"dir", NULL};
        execve("/", argv, environ);
        _exit(errno == EACCES ? 13 : 1);
    }
    waitpid(pid, &status, 0);
    printf("execve of a directory: exit %d\n", WEXITSTATUS(status));

    char* argv[] = {"missing", NULL};
    pid_t spawned = 0;
    int error = posix_spawn(&spawned, "/nonexistent/program", NULL, NULL, argv, environ);
    if (error == 0) {
        waitpid(spawned, &status, 0);
        printf("posix_spawn: started, child exit %d\n", WEXITSTATUS(status));
    } else {
        printf("posix_spawn: %s\n", strerror(error));
    }
    return 0;
}
