// A guest that puts a file of its own on fd 2, closes every descriptor above it and then fd 2
// itself. Run with --strace (tests/diff/check_private_stderr.sh), the emulator's own lines must
// neither land in the guest's file nor be lost with the descriptors the guest closed.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    char path[] = "/tmp/isomorph-stderr-XXXXXX";
    int file = mkstemp(path);
    if (file < 0) {
        perror("mkstemp");
        return 1;
    }
    unlink(path);
    if (dup2(file, 2) != 2)
        return 2;
    for (int descriptor = 3; descriptor < 1024; ++descriptor)
        close(descriptor);
    static const char message[] = "written by the guest to its fd 2\n";
    if (write(2, message, sizeof message - 1) != (ssize_t)(sizeof message - 1))
        return 4;
    char buffer[512];
    ssize_t size = pread(2, buffer, sizeof buffer, 0);
    if (size < 0)
        return 5;
    printf("the guest's fd 2 holds %zd bytes: %.*s", size, (int)size, buffer);
    fflush(stdout);
    close(2);
    printf("fd 2 closed\n");
    return 0;
}
