// What the system reports: uname, sysinfo, resource limits, random bytes, CPU affinity,
// scheduling, priorities, prctl (task name and the MIPS FPU register mode).
#define _GNU_SOURCE
#include "sys_common.h"

#include <sched.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef PR_SET_FP_MODE
#define PR_SET_FP_MODE 45
#define PR_GET_FP_MODE 46
#endif

int main(void)
{
    struct utsname names;
    CHECK(uname(&names));
    printf("sysname %s machine %s\n", names.sysname, names.machine);
    printf("release and nodename present: %d\n", names.release[0] != 0 && names.nodename[0] != 0);

    struct sysinfo information;
    CHECK(sysinfo(&information));
    // (Not freeram <= totalram: qemu-mipsel cuts the byte counts of a large host to 32 bits, so
    // its answer to that changes from run to run.)
    printf("sysinfo: mem_unit > 0 %d totalram > 0 %d procs > 0 %d uptime > 0 %d\n", information.mem_unit > 0,
           information.totalram > 0, information.procs > 0, information.uptime > 0);
    printf("physical pages > 0: %d\n", sysconf(_SC_PHYS_PAGES) > 0);
    printf("page size: %ld\n", sysconf(_SC_PAGESIZE));
    printf("processors > 0: %d\n", sysconf(_SC_NPROCESSORS_ONLN) > 0);

    // Resource limits: lower the soft limit on open files and read it back, in all three forms.
    struct rlimit limit;
    CHECK(getrlimit(RLIMIT_NOFILE, &limit));
    struct rlimit lowered = {64, limit.rlim_max};
    CHECK(setrlimit(RLIMIT_NOFILE, &lowered));
    CHECK(getrlimit(RLIMIT_NOFILE, &limit));
    printf("RLIMIT_NOFILE soft: %lu\n", (unsigned long)limit.rlim_cur);
    struct rlimit64 limit64, requested64 = {32, limit.rlim_max};
    CHECK(prlimit64(0, RLIMIT_NOFILE, &requested64, &limit64));
    printf("prlimit64 old soft: %llu\n", (unsigned long long)limit64.rlim_cur);
    CHECK(getrlimit64(RLIMIT_NOFILE, &limit64));
    printf("RLIMIT_NOFILE soft now: %llu\n", (unsigned long long)limit64.rlim_cur);
    CHECK(getrlimit(RLIMIT_STACK, &limit));
    printf("stack limit > 64 KiB: %d\n", limit.rlim_cur > 65536);
    CHECK(getrlimit(RLIMIT_CORE, &limit));
    struct rlimit inverted = {10, 5};
    CHECK(setrlimit(RLIMIT_CORE, &inverted));
    CHECK(getrlimit(99, &limit));
    CHECK(syscall(SYS_getrlimit, RLIMIT_NOFILE, &limit));
    printf("raw getrlimit soft: %lu\n", (unsigned long)limit.rlim_cur);

    // Random bytes.
    unsigned char random[32];
    CHECK(getrandom(random, sizeof random, 0));
    CHECK(getrandom(random, sizeof random, GRND_NONBLOCK));
    CHECK(getrandom(random, 0, 0));

    // Affinity and scheduling.
    cpu_set_t set;
    CPU_ZERO(&set);
    CHECK(sched_getaffinity(0, sizeof set, &set));
    printf("runs on at least one CPU: %d\n", CPU_COUNT(&set) >= 1);
    CHECK(syscall(SYS_sched_getaffinity, 0, 2, &set));
    CHECK(sched_yield());
    CHECK(sched_getscheduler(0));
    struct sched_param parameter;
    CHECK(sched_getparam(0, &parameter));
    printf("priority: %d\n", parameter.sched_priority);
    CHECK(sched_get_priority_max(SCHED_FIFO));
    CHECK(sched_get_priority_min(SCHED_FIFO));
    CHECK(sched_get_priority_max(SCHED_OTHER));

    // Priorities.
    errno = 0;
    int nice_value = getpriority(PRIO_PROCESS, 0);
    printf("getpriority: %d errno %d\n", nice_value, errno);
    CHECK(setpriority(PRIO_PROCESS, 0, nice_value + 1));
    printf("getpriority after +1: %d\n", getpriority(PRIO_PROCESS, 0));
    printf("nice(1) = %d\n", nice(1));

    // prctl: the task name is cut to 15 characters.
    // (The first name is the program's; QEMU 7.2 reports its own.)
    char name[32] = {0};
    CHECK(prctl(PR_GET_NAME, name));
    printf("task name present: %d\n", name[0] != 0);
    CHECK(prctl(PR_SET_NAME, "a-rather-long-task-name"));
    CHECK(prctl(PR_GET_NAME, name));
    printf("task name: %s\n", name);
    CHECK(prctl(PR_GET_DUMPABLE));
    CHECK(prctl(12345));

    // The FPU register mode: FR=1 (and back) is allowed, FRE is not.
    CHECK(prctl(PR_GET_FP_MODE));
    CHECK(prctl(PR_SET_FP_MODE, 1));
    CHECK(prctl(PR_GET_FP_MODE));
    volatile double value = 1.5;
    printf("arithmetic after switching: %g\n", value * 3);
    CHECK(prctl(PR_SET_FP_MODE, 0));
    CHECK(prctl(PR_GET_FP_MODE));
    CHECK(prctl(PR_SET_FP_MODE, 3));
    CHECK(prctl(PR_SET_FP_MODE, 2));
    return 0;
}
