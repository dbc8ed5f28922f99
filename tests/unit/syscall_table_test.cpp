// The o32 system-call table: complete, named as the kernel names the calls, and implemented for
// everything static glibc and busybox programs call.

#include "process/syscalls/syscalls.h"

#include <gtest/gtest.h>
#include <set>
#include <string_view>

namespace isomorph::process {
namespace {

// Numbers syscall_o32.tbl leaves unassigned.
bool unassigned(uint32_t number)
{
    return number == 4279 || (number >= 4369 && number <= 4392) || number == 4415 || number == 4447;
}

TEST(SyscallTable, EveryAssignedNumberHasARow)
{
    for (uint32_t number = 4000; number <= 4467; ++number) {
        const SyscallInfo* info = find_syscall(number);
        if (unassigned(number))
            EXPECT_EQ(info, nullptr) << number;
        else
            ASSERT_NE(info, nullptr) << number;
    }
    EXPECT_EQ(find_syscall(3999), nullptr);
    EXPECT_EQ(find_syscall(4468), nullptr);
    EXPECT_EQ(find_syscall(6000), nullptr);
}

TEST(SyscallTable, NamesFollowTheKernelTable)
{
    const std::pair<uint32_t, std::string_view> samples[] = {
        {4000, "syscall"},         {4001, "exit"},           {4003, "read"},
        {4018, "unused18"},        {4090, "mmap"},           {4140, "_llseek"},
        {4142, "_newselect"},      {4166, "nanosleep"},      {4210, "mmap2"},
        {4213, "stat64"},          {4246, "exit_group"},     {4283, "set_thread_area"},
        {4288, "openat"},          {4293, "fstatat64"},      {4338, "prlimit64"},
        {4353, "getrandom"},       {4366, "statx"},          {4367, "rseq"},
        {4393, "semget"},          {4403, "clock_gettime64"}, {4407, "clock_nanosleep_time64"},
        {4412, "utimensat_time64"}, {4414, "ppoll_time64"},   {4416, "io_pgetevents_time64"},
        {4439, "faccessat2"},      {4452, "fchmodat2"},      {4467, "open_tree_attr"},
    };
    for (auto [number, name] : samples) {
        const SyscallInfo* info = find_syscall(number);
        ASSERT_NE(info, nullptr) << number;
        EXPECT_EQ(info->name, name) << number;
    }
}

TEST(SyscallTable, NamesAreUnique)
{
    std::set<std::string_view> names;
    for (uint32_t number = 4000; number <= 4467; ++number)
        if (const SyscallInfo* info = find_syscall(number)) {
            EXPECT_TRUE(names.insert(info->name).second) << info->name;
        }
}

// Each format letter consumes one argument word, 'l' and 'h' two; no call takes more than eight.
TEST(SyscallTable, FormatsFitInEightWords)
{
    const std::string_view letters = "duxp*sfabroPMSwclh_mFTLAE";
    for (uint32_t number = 4000; number <= 4467; ++number) {
        const SyscallInfo* info = find_syscall(number);
        if (info == nullptr)
            continue;
        size_t words = 0;
        for (char letter : info->format) {
            EXPECT_NE(letters.find(letter), std::string_view::npos) << info->name << " has format letter " << letter;
            words += letter == 'l' || letter == 'h' ? 2 : 1;
        }
        EXPECT_LE(words, 8u) << info->name;
        ASSERT_FALSE(info->result_format.empty()) << info->name;
    }
}

TEST(SyscallTable, WhatStaticProgramsNeedIsImplemented)
{
    const std::string_view required[] = {
        "read", "write", "pread64", "pwrite64", "readv", "writev", "open", "openat", "creat", "close", "lseek",
        "_llseek", "dup", "dup2", "dup3", "pipe", "pipe2", "fcntl", "fcntl64", "stat64", "lstat64", "fstat64",
        "fstatat64", "statx", "getdents64", "readlink", "readlinkat", "getcwd", "chdir", "access", "faccessat",
        "unlink", "unlinkat", "mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "link", "symlink",
        "chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown", "fchownat", "umask", "truncate", "ftruncate64",
        "fsync", "utimensat", "utimensat_time64", "utimes", "time", "gettimeofday", "clock_gettime",
        "clock_gettime64", "clock_getres", "clock_getres_time64", "nanosleep", "clock_nanosleep",
        "clock_nanosleep_time64", "uname", "getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid",
        "getgroups", "setuid", "setgid", "setresuid", "getrlimit", "setrlimit", "prlimit64", "sysinfo", "ioctl",
        "getrandom", "brk", "mmap", "mmap2", "munmap", "mprotect", "mremap", "madvise", "set_thread_area",
        "set_tid_address", "set_robust_list", "exit", "exit_group", "rt_sigaction", "rt_sigprocmask",
        "sigaltstack", "kill", "tgkill", "tkill", "poll", "ppoll", "ppoll_time64", "_newselect", "pselect6",
        "pselect6_time64", "sched_getaffinity", "sched_yield", "prctl", "fadvise64", "statfs64", "fstatfs64",
        "wait4",
    };
    for (std::string_view name : required) {
        bool found = false;
        for (uint32_t number = 4000; number <= 4467 && !found; ++number)
            if (const SyscallInfo* info = find_syscall(number); info && info->name == name) {
                found = true;
                EXPECT_NE(info->handler, nullptr) << name;
            }
        EXPECT_TRUE(found) << name;
    }
}

} // namespace
} // namespace isomorph::process
