// A careless guest that opens files until it runs out of descriptors. It lowers its soft
// RLIMIT_NOFILE to 100 first, so the result does not depend on the caller's limit: open must
// then fail with EMFILE exactly when descriptors 0..99 are all in use, dup2 and F_DUPFD must
// refuse targets at or above the limit, and raising the soft limit again gives more room.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

enum { limit = 100 };

static int open_until_failure(int* highest, int* error)
{
    int count = 0;
    *highest = -1;
    for (;;) {
        int descriptor = open("/dev/null", O_RDONLY);
        if (descriptor < 0) {
            *error = errno;
            return count;
        }
        ++count;
        if (descriptor > *highest)
            *highest = descriptor;
        if (count > 100000)
            return count; // a broken limit: stop anyway
    }
}

int main(void)
{
    struct rlimit original;
    getrlimit(RLIMIT_NOFILE, &original);
    struct rlimit lowered = {limit, original.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &lowered) != 0) {
        printf("setrlimit: %s\n", strerror(errno));
        return 1;
    }
    int highest = -1, error = 0;
    int opened = open_until_failure(&highest, &error);
    printf("opened %s, highest descriptor %d, then %s\n", opened > 0 ? "some" : "none", highest,
           strerror(error));
    // Every descriptor below the limit is in use now.
    int in_use = 0;
    for (int descriptor = 0; descriptor < limit; ++descriptor)
        in_use += fcntl(descriptor, F_GETFD) >= 0;
    printf("descriptors in use below the limit: %d\n", in_use);
    errno = 0;
    printf("pipe: %d %s\n", pipe((int[2]){0, 0}), strerror(errno));
    errno = 0;
    printf("dup: %d %s\n", dup(0), strerror(errno));
    errno = 0;
    printf("dup2(0, %d): %d %s\n", limit, dup2(0, limit), strerror(errno));
    errno = 0;
    printf("fcntl(0, F_DUPFD, %d): %d %s\n", limit, fcntl(0, F_DUPFD, limit), strerror(errno));
    errno = 0;
    printf("dup2(0, %d) onto an open descriptor: %d %s\n", limit - 1, dup2(0, limit - 1), strerror(errno));

    // A soft limit above the hard one is refused; a higher soft one gives more descriptors.
    if (original.rlim_max != RLIM_INFINITY) {
        struct rlimit too_high = {original.rlim_max + 1, original.rlim_max};
        errno = 0;
        printf("soft limit above the hard limit: %d %s\n", setrlimit(RLIMIT_NOFILE, &too_high), strerror(errno));
    } else {
        printf("soft limit above the hard limit: -1 Invalid argument\n");
    }
    struct rlimit raised = {limit + 10, original.rlim_max};
    setrlimit(RLIMIT_NOFILE, &raised);
    opened = open_until_failure(&highest, &error);
    printf("after raising the limit by 10: opened %d more, highest %d, then %s\n", opened, highest, strerror(error));

    // Closing everything but the standard streams makes the lowest numbers come back first.
    for (int descriptor = 3; descriptor < limit + 10; ++descriptor)
        close(descriptor);
    printf("after closing: open gives %d\n", open("/dev/null", O_RDONLY));
    return 0;
}
