// execve under Isomorph: a MIPS program replaces itself, keeps its argv and environment, runs
// a #! script whose interpreter is this program, and gets ENOEXEC for a host (x86-64) binary.
// Its output is checked against exec_chain.expected (qemu-mipsel without binfmt_misc cannot run
// a MIPS program from execve, so there is nothing to compare with).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char self[4096];

static void print_arguments(int argc, char** argv)
{
    printf("argc %d:", argc);
    for (int i = 1; i < argc; ++i)
        printf(" [%s]", argv[i]);
    printf("\n");
}

int main(int argc, char** argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0)
        return 1;
    self[length] = 0;
    const char* name = strrchr(self, '/') + 1;

    if (argc > 1 && strcmp(argv[1], "stage2") == 0) {
        printf("stage2: argv[0] %s, exe is this program %d, MARK=%s\n", argv[0], strcmp(name, "exec_chain") == 0,
               getenv("MARK") ? getenv("MARK") : "(unset)");
        print_arguments(argc, argv);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "interpreter-argument") == 0) {
        // Run as a script's interpreter: argv is [interpreter, its argument, script, arguments...].
        printf("script: argv[0] is the interpreter %d, script named %d\n", strcmp(argv[0], self) == 0,
               argc > 2 && strstr(argv[2], "script.sh") != NULL);
        printf("script arguments:");
        for (int i = 3; i < argc; ++i)
            printf(" [%s]", argv[i]);
        printf("\n");
        return 7;
    }
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);

    // A child replaced by this program with other arguments and another environment.
    pid_t pid = fork();
    if (pid == 0) {
        char* arguments[] = {"renamed", "stage2", "one", "two words", "", NULL};
        char* environment[] = {"MARK=set by execve", NULL};
        execve(self, arguments, environment);
        printf("execve failed: %s\n", strerror(errno));
        _exit(1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("stage2 exited %d\n", WEXITSTATUS(status));

    // The exit status of the new program reaches the parent.
    pid = fork();
    if (pid == 0) {
        char* arguments[] = {"exec_chain", "exit", "42", NULL};
        execv(self, arguments);
        _exit(1);
    }
    waitpid(pid, &status, 0);
    printf("exit through execve: %d\n", WEXITSTATUS(status));

    // A #! script naming this program with one argument.
    char script[] = "script.sh";
    int descriptor = open(script, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    dprintf(descriptor, "#!%s interpreter-argument\nignored\n", self);
    close(descriptor);
    pid = fork();
    if (pid == 0) {
        char* arguments[] = {"script.sh", "a", "b c", NULL};
        execv("./script.sh", arguments);
        printf("script execve failed: %s\n", strerror(errno));
        _exit(1);
    }
    waitpid(pid, &status, 0);
    printf("script exited %d\n", WEXITSTATUS(status));

    // A file that is neither a MIPS executable nor a script, and a host executable.
    descriptor = open("plain.txt", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    dprintf(descriptor, "just text\n");
    close(descriptor);
    char* arguments[] = {"x", NULL};
    errno = 0;
    execv("./plain.txt", arguments);
    printf("text file: %s\n", strerror(errno));
    errno = 0;
    execv(argc > 1 ? argv[1] : "/bin/true", arguments);
    printf("host executable: %s\n", strerror(errno));
    errno = 0;
    execv("./missing", arguments);
    printf("missing file: %s\n", strerror(errno));
    unlink(script);
    unlink("plain.txt");
    return 0;
}
