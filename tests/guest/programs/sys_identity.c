// Process and user identity: IDs, groups, sessions, and setting IDs to the values they have.
// IDs differ from run to run, so only relations between them are printed.
#define _GNU_SOURCE
#include "sys_common.h"

#include <grp.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = getpid();
    printf("pid > 0: %d\n", pid > 0);
    printf("gettid == getpid: %d\n", gettid() == pid);
    printf("getppid > 0 and != pid: %d\n", getppid() > 0 && getppid() != pid);
    printf("getuid == geteuid: %d\n", getuid() == geteuid());
    printf("getgid == getegid: %d\n", getgid() == getegid());
    printf("getpgrp == getpgid(0): %d\n", getpgrp() == getpgid(0));
    printf("getpgid(pid) == getpgid(0): %d\n", getpgid(pid) == getpgid(0));
    printf("getsid(0) == getsid(pid): %d\n", getsid(0) == getsid(pid));
    CHECK(getpgid(-5));
    CHECK(getsid(-5));

    uid_t real, effective, saved;
    CHECK(getresuid(&real, &effective, &saved));
    printf("getresuid matches: %d\n", real == getuid() && effective == geteuid());
    gid_t real_group, effective_group, saved_group;
    CHECK(getresgid(&real_group, &effective_group, &saved_group));
    printf("getresgid matches: %d\n", real_group == getgid() && effective_group == getegid());

    int count = getgroups(0, NULL);
    printf("getgroups count >= 0: %d\n", count >= 0);
    gid_t groups[256];
    printf("getgroups agrees: %d\n", getgroups(256, groups) == count);
    if (count > 0)
        CHECK(getgroups(count - 1 > 0 ? count - 1 : 0, groups) == (count - 1 > 0 ? -1 : count));

    // Setting IDs to what they already are succeeds for everyone.
    CHECK(setuid(getuid()));
    CHECK(setgid(getgid()));
    CHECK(setreuid(-1, -1));
    CHECK(setregid(-1, -1));
    CHECK(setresuid(-1, -1, -1));
    CHECK(setresgid(-1, -1, -1));
    printf("setfsuid returns the old fsuid: %d\n", setfsuid(getuid()) == (int)geteuid());
    printf("setfsgid returns the old fsgid: %d\n", setfsgid(getgid()) == (int)getegid());
    if (getuid() != 0) {
        CHECK(setuid(0));
        CHECK(setgroups(0, NULL));
    }
    // Process groups: this process may put itself in its own group.
    CHECK(setpgid(0, 0));
    printf("now its own group leader: %d\n", getpgrp() == pid);
    CHECK(setpgid(0, 12345678));
    CHECK(setsid());
    return 0;
}
