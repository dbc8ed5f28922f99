// System calls through the dispatcher: the o32 register convention, --strace lines, the record
// of ENOSYS calls, -L path translation, and the Linux answers QEMU 7.2 gives differently.

#include "process/directory_offsets.h"
#include "process/mappings.h"
#include "process/syscalls/strace.h"
#include "syscall_test_support.h"

#include <csignal>
#include <fmt/format.h>
#include <gtest/gtest.h>

namespace isomorph::process::testing {
namespace {

constexpr uint32_t sys_read = 4003, sys_write = 4004, sys_open = 4005, sys_close = 4006, sys_getpid = 4020,
                   sys_pipe = 4042, sys_ioctl = 4054, sys_readlink = 4085, sys_prctl = 4192, sys_statfs64 = 4255,
                   sys_rseq = 4367, sys_syscall = 4000, sys_exit_group = 4246, sys_getcwd = 4203;

TEST(SyscallDispatch, ResultsAndErrorsFollowTheO32Convention)
{
    GuestProcess guest;
    auto& cpu = guest.process().cpu();
    EXPECT_EQ(guest.call(sys_getpid), getpid());
    EXPECT_EQ(cpu.gpr[7], 0u);
    uint32_t pc = cpu.pc;
    EXPECT_EQ(guest.call(sys_close, {9999}), -mips_errno::ebadf);
    EXPECT_EQ(cpu.gpr[7], 1u);
    EXPECT_EQ(cpu.gpr[2], 9u);
    EXPECT_EQ(cpu.pc, pc + 4); // past the SYSCALL
    // An error number MIPS numbers differently: ENOSYS is 89, not 38.
    EXPECT_EQ(guest.call(sys_rseq), -mips_errno::enosys);
    EXPECT_EQ(guest.call(5555), -mips_errno::enosys);
    // pipe returns its second descriptor in v1.
    int64_t reader = guest.call(sys_pipe);
    ASSERT_GE(reader, 0);
    int writer = static_cast<int>(cpu.gpr[3]);
    EXPECT_EQ(write(writer, "x", 1), 1);
    char byte = 0;
    EXPECT_EQ(read(static_cast<int>(reader), &byte, 1), 1);
    close(writer);
    close(static_cast<int>(reader));
    // The indirect call shifts its arguments.
    EXPECT_EQ(guest.call(sys_syscall, {sys_getpid}), getpid());
    EXPECT_EQ(guest.call(sys_syscall, {sys_close, 9999}), -mips_errno::ebadf);
}

TEST(SyscallDispatch, UnimplementedCallsAreRecorded)
{
    GuestProcess guest;
    guest.call(sys_rseq);
    guest.call(sys_rseq);
    guest.call(5555);
    guest.call(sys_syscall, {4031}); // stty, never implemented by Linux, through the indirect call
    const auto& record = guest.process().unimplemented_syscalls();
    EXPECT_EQ(record.size(), 3u);
    EXPECT_EQ(record.at(sys_rseq), 2u);
    EXPECT_EQ(record.at(5555), 1u);
    EXPECT_EQ(record.at(4031), 1u);
    EXPECT_EQ(record.count(sys_syscall), 0u);
}

TEST(SyscallDispatch, BadGuestPointersFailWithEfault)
{
    GuestProcess guest;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    EXPECT_EQ(write(fds[1], "data", 4), 4);
    EXPECT_EQ(guest.call(sys_read, {uint32_t(fds[0]), 16, 4}), -mips_errno::efault);
    EXPECT_EQ(guest.call(sys_write, {uint32_t(fds[1]), 0x7FFFFFF0, 4}), -14);
    EXPECT_EQ(guest.call(sys_open, {16, 0, 0}), -14);
    // A buffer partly mapped: the call works on the mapped part, as Linux stops at the hole.
    uint32_t buffer = guest.allocate(4096);
    EXPECT_EQ(guest.call(sys_read, {uint32_t(fds[0]), buffer + 4094, 4}), 2);
    EXPECT_EQ(guest.call(sys_getcwd, {16, 4096}), -14);
    close(fds[0]);
    close(fds[1]);
}

// Answers where QEMU 7.2 does not do what Linux does, so the guest tests cannot check them.
TEST(SyscallDispatch, LinuxAnswersQemuDoesNotGive)
{
    GuestProcess guest;
    uint32_t buffer = guest.allocate(4096);
    // statfs64 insists on the size of the o32 structure.
    EXPECT_EQ(guest.call(sys_statfs64, {guest.string("/"), 10, buffer}), -mips_errno::einval);
    EXPECT_EQ(guest.call(sys_statfs64, {guest.string("/"), 96, buffer}), 0);
    // An unknown ioctl request is ENOTTY.
    EXPECT_EQ(guest.call(sys_ioctl, {1, 0x12345678, 0}), -mips_errno::enotty);
    EXPECT_EQ(guest.call(sys_ioctl, {9999, 0x12345678, 0}), -mips_errno::ebadf);
    // PR_SET_FP_MODE: unknown bits are not supported.
    EXPECT_EQ(guest.call(sys_prctl, {45, 8}), -mips_errno::eopnotsupp);
    EXPECT_EQ(guest.call(sys_prctl, {45, 1}), 0);
    EXPECT_TRUE(guest.process().cpu().fpu.fr);
    EXPECT_EQ(guest.call(sys_prctl, {46}), 1);
    // The task name is the program's, not the emulator's.
    EXPECT_EQ(guest.call(sys_prctl, {16, buffer}), 0);
    EXPECT_STREQ(reinterpret_cast<const char*>(guest.process().memory().host_address(buffer)), "minimal");
    // /proc/self/exe names the program.
    int64_t length = guest.call(sys_readlink, {guest.string("/proc/self/exe"), buffer, 4096});
    ASSERT_GT(length, 0);
    std::string target(reinterpret_cast<const char*>(guest.process().memory().host_address(buffer)),
                       static_cast<size_t>(length));
    EXPECT_EQ(target, std::filesystem::canonical(guest.program()).string());
}

// After execve a process keeps the signals its parent ignored and its blocked mask.
TEST(SyscallSignals, DispositionsAndMaskAreInherited)
{
    struct sigaction ignore = {}, previous_usr2;
    ignore.sa_handler = SIG_IGN;
    ASSERT_EQ(sigaction(SIGUSR2, &ignore, &previous_usr2), 0);
    sigset_t block, previous_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &block, &previous_mask), 0);
    SignalState state = inherited_signal_state();
    GuestSignalSet blocked = inherited_blocked_mask();
    sigaction(SIGUSR2, &previous_usr2, nullptr);
    pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
    constexpr unsigned guest_sigusr1 = 16, guest_sigusr2 = 17;
    EXPECT_EQ(state.actions[guest_sigusr2].handler, GuestSignalAction::ignore_handler);
    EXPECT_EQ(state.actions[guest_sigusr1].handler, GuestSignalAction::default_handler);
    EXPECT_TRUE(blocked.contains(guest_sigusr1));
    EXPECT_FALSE(blocked.contains(guest_sigusr2));
}

TEST(SyscallDirectories, CookiesStandInForLargePositions)
{
    DirectoryOffsets offsets;
    EXPECT_EQ(offsets.to_guest(5, 12), 12);
    int64_t large = int64_t{0x7654321012345678};
    int64_t cookie = offsets.to_guest(5, large);
    EXPECT_EQ(cookie, DirectoryOffsets::first_cookie);
    EXPECT_EQ(offsets.to_guest(5, large), cookie);
    EXPECT_EQ(offsets.to_guest(5, large + 1), cookie + 1);
    EXPECT_EQ(offsets.to_host(5, cookie), large);
    EXPECT_EQ(offsets.to_host(5, 12), std::nullopt);
    EXPECT_EQ(offsets.to_host(6, cookie), std::nullopt);
    EXPECT_EQ(offsets.seek_result(7, large), large); // a regular file keeps its offset
    offsets.forget(5);
    EXPECT_EQ(offsets.to_host(5, cookie), std::nullopt);
}

// Every position getdents64 and lseek show the guest fits a 32-bit off_t, and seeking back to one
// (seekdir) continues with the same entry, whatever the host file system's positions are.
TEST(SyscallDirectories, PositionsFitAndSeekBack)
{
    GuestProcess guest;
    std::filesystem::path directory = guest.directory() / "many";
    std::filesystem::create_directory(directory);
    for (int index = 0; index < 200; ++index)
        std::ofstream(directory / ("entry-" + std::to_string(index)));
    int64_t fd = guest.call(sys_open, {guest.string(directory.string()), 0x10000, 0});
    ASSERT_GE(fd, 0);
    uint32_t buffer = guest.allocate(65536);
    int64_t length = guest.call(4219, {uint32_t(fd), buffer, 65536}); // getdents64
    ASSERT_GT(length, 0);
    auto& memory = guest.process().memory();
    std::vector<std::pair<int64_t, std::string>> entries; // (position after it, next name)
    std::vector<std::string> names;
    for (int64_t record = 0; record < length;) {
        int64_t position = memory.read<int64_t>(buffer + record + 8);
        uint16_t record_length = memory.read<uint16_t>(buffer + record + 16);
        EXPECT_GE(position, 0);
        EXPECT_LE(position, INT32_MAX);
        names.push_back(*memory.read_string(buffer + static_cast<uint32_t>(record) + 19));
        entries.emplace_back(position, "");
        record += record_length;
    }
    ASSERT_EQ(names.size(), 202u);
    // Seek to the position after entry 99: the next read starts with entry 100.
    uint32_t result = guest.allocate(8);
    EXPECT_EQ(guest.call(4140, {uint32_t(fd), 0, uint32_t(entries[99].first), result, 0}), 0); // _llseek
    EXPECT_EQ(memory.read<int64_t>(result), entries[99].first);
    ASSERT_GT(guest.call(4219, {uint32_t(fd), buffer, 65536}), 0);
    EXPECT_EQ(*memory.read_string(buffer + 19), names[100]);
    EXPECT_EQ(guest.call(4019, {uint32_t(fd), 0, 1}), entries.back().first); // lseek(fd, 0, SEEK_CUR)
    guest.call(sys_close, {uint32_t(fd)});
}

TEST(SyscallPaths, SysrootIsSearchedFirst)
{
    TemporaryDirectory sysroot;
    std::filesystem::create_directories(sysroot.path() / "etc");
    {
        std::ofstream(sysroot.path() / "etc" / "isomorph-test-only") << "inside";
    }
    GuestProcess guest(sysroot.path().string());
    const PathTranslator& paths = guest.process().paths();
    EXPECT_EQ(paths.to_host("/etc/isomorph-test-only"), (sysroot.path() / "etc" / "isomorph-test-only").string());
    EXPECT_EQ(paths.to_host("/etc/passwd"), "/etc/passwd");
    EXPECT_EQ(paths.to_host("relative/path"), "relative/path");
    EXPECT_EQ(paths.to_host("/proc/self/exe"), std::filesystem::canonical(guest.program()).string());
    // Through open: the file under the sysroot is the one read.
    int64_t fd = guest.call(sys_open, {guest.string("/etc/isomorph-test-only"), 0, 0});
    ASSERT_GE(fd, 0);
    uint32_t buffer = guest.allocate(64);
    EXPECT_EQ(guest.call(sys_read, {uint32_t(fd), buffer, 64}), 6);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(guest.process().memory().host_address(buffer)), 6), "inside");
    guest.call(sys_close, {uint32_t(fd)});
}

TEST(SyscallStrace, LinesInStraceStyle)
{
    GuestProcess guest({}, true);
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    uint32_t text = guest.string("hi\n");
    guest.call(sys_write, {uint32_t(fds[1]), text, 3});
    std::string missing = (guest.directory() / "missing" / "file").string();
    guest.call(sys_open, {guest.string(missing), 0x0101, 0644});
    uint32_t buffer = guest.allocate(64);
    guest.call(sys_read, {uint32_t(fds[0]), buffer, 64});
    guest.call(5555, {1, 2, 3, 4});
    guest.call(4090, {0, 4096, 3, 0x802, 0xFFFFFFFF, 0});
    guest.call(4140, {uint32_t(fds[0]), 0, 5, buffer, 0}); // _llseek on a pipe
    guest.call(4037, {uint32_t(getpid()), 0});               // kill(pid, 0)
    guest.call(4403, {1, 0});                                 // clock_gettime64(CLOCK_MONOTONIC, NULL)
    guest.call(sys_exit_group, {3});
    std::string trace = guest.trace();
    EXPECT_NE(trace.find(fmt::format("write({}, \"hi\\n\", 3) = 3\n", fds[1])), std::string::npos) << trace;
    EXPECT_NE(trace.find(fmt::format("open(\"{}\", O_WRONLY|O_CREAT, 0644) = -1 ENOENT (No such file or directory)\n",
                                     missing)),
              std::string::npos)
        << trace;
    EXPECT_NE(trace.find(fmt::format("read({}, \"hi\\n\", 64) = 3\n", fds[0])), std::string::npos) << trace;
    EXPECT_NE(trace.find("syscall_5555(0x1, 0x2, 0x3, 0x4) = -1 ENOSYS (Function not implemented)\n"), std::string::npos)
        << trace;
    EXPECT_NE(trace.find("mmap(NULL, 0x1000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0x0) = 0x"),
              std::string::npos)
        << trace;
    EXPECT_NE(trace.find(fmt::format("_llseek({}, 5, {:#x}, SEEK_SET) = -1 ESPIPE", fds[0], buffer)), std::string::npos)
        << trace;
    EXPECT_NE(trace.find(fmt::format("kill({}, 0) = 0\n", getpid())), std::string::npos) << trace;
    EXPECT_NE(trace.find("clock_gettime64(CLOCK_MONOTONIC, NULL) = -1 EFAULT (Bad address)\n"), std::string::npos)
        << trace;
    EXPECT_NE(trace.find("exit_group(3) = ?\n"), std::string::npos) << trace;
    close(fds[0]);
    close(fds[1]);
}

TEST(SyscallStrace, FlagTexts)
{
    EXPECT_EQ(open_flags_text(0), "O_RDONLY");
    EXPECT_EQ(open_flags_text(0x0002 | 0x0100 | 0x0400 | 0x80000), "O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC");
    EXPECT_EQ(open_flags_text(0x4010), "O_RDONLY|O_SYNC");
    EXPECT_EQ(open_flags_text(0x40000000), "O_RDONLY|0x40000000");
    EXPECT_EQ(mmap_protection_text(0), "PROT_NONE");
    EXPECT_EQ(mmap_protection_text(5), "PROT_READ|PROT_EXEC");
    EXPECT_EQ(mmap_flags_text(0x812), "MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS");
    EXPECT_EQ(quoted_string(std::string("a\0b\"\x7f", 5), 32), "\"a\\0b\\\"\\177\"");
    EXPECT_EQ(quoted_string("abcdef", 3), "\"abc\"...");
}

TEST(SyscallMappings, TableSplitsAndMerges)
{
    MappingTable table;
    table.insert({0x10000, 0x4000, 3, false, true, 0, ""});
    table.insert({0x20000, 0x2000, 1, true, false, 0x3000, "/file"});
    table.remove(0x11000, 0x1000);
    ASSERT_EQ(table.size(), 3u);
    EXPECT_EQ(table.find(0x11000), nullptr);
    EXPECT_EQ(table.find(0x12000)->start, 0x12000u);
    EXPECT_EQ(table.find(0x12000)->length, 0x2000u);
    table.protect(0x21000, 0x4000, 0);
    EXPECT_EQ(table.find(0x21000)->file_offset, 0x4000u);
    EXPECT_EQ(table.find(0x21000)->protection, 0);
    EXPECT_EQ(table.find(0x20000)->protection, 1);
    EXPECT_EQ(table.overlapping(0x10000, 0x20000).size(), 4u);
    table.insert({0x10000, 0x20000, 7, false, true, 0, ""});
    EXPECT_EQ(table.size(), 1u);
}

} // namespace
} // namespace isomorph::process::testing
