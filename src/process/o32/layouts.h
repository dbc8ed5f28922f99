#pragma once

// Structures the o32 system calls exchange with the guest, laid out byte for byte as a 32-bit
// Linux/MIPS kernel reads and writes them (arch/mips/include/uapi/asm/*.h, include/uapi/linux/*.h).
// Guest pointers and longs are 32-bit words; 64-bit members are 8-byte aligned in o32 just as on
// x86-64, so plain fixed-width members give the right offsets. Every size and the offsets that
// differ from x86 are checked below. Structures whose layout is the same on every architecture
// (struct statx, struct linux_dirent64, struct pollfd, struct winsize) are not repeated here.

#include <array>
#include <cstddef>
#include <cstdint>

namespace isomorph::process::o32 {

// struct old_timespec32, struct old_timeval32: the pre-2038 time types.
struct Timespec32 {
    int32_t seconds;
    int32_t nanoseconds;
};
struct Timeval32 {
    int32_t seconds;
    int32_t microseconds;
};
// struct __kernel_timespec: what the *_time64 calls take. A 32-bit kernel ignores the upper
// half of nanoseconds.
struct Timespec64 {
    int64_t seconds;
    int64_t nanoseconds;
};
struct Timezone {
    int32_t minutes_west;
    int32_t dst_time;
};
struct Itimerval32 {
    Timeval32 interval;
    Timeval32 value;
};
// struct old_itimerspec32 (timer_settime, timerfd_settime and their get calls) and struct __kernel_itimerspec (the
// *_time64 calls).
struct Itimerspec32 {
    Timespec32 interval;
    Timespec32 value;
};
static_assert(sizeof(Itimerspec32) == 16);
struct Itimerspec64 {
    Timespec64 interval;
    Timespec64 value;
};
static_assert(sizeof(Itimerspec64) == 32);

// struct stat (o32): stat, lstat and fstat (numbers 4106-4108).
struct Stat {
    uint32_t st_dev;
    int32_t st_pad1[3];
    uint32_t st_ino;
    uint32_t st_mode;
    uint32_t st_nlink;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t st_rdev;
    int32_t st_pad2[2];
    int32_t st_size;
    int32_t st_pad3;
    int32_t st_atime_seconds;
    int32_t st_atime_nanoseconds;
    int32_t st_mtime_seconds;
    int32_t st_mtime_nanoseconds;
    int32_t st_ctime_seconds;
    int32_t st_ctime_nanoseconds;
    int32_t st_blksize;
    int32_t st_blocks;
    int32_t st_pad4[14];
};
static_assert(sizeof(Stat) == 144 && offsetof(Stat, st_size) == 48 && offsetof(Stat, st_blocks) == 84);

// struct stat64 (o32): unlike x86's, st_dev and st_rdev are 32-bit words followed by padding,
// st_ino comes before st_mode, and the times are 32-bit seconds with nanoseconds.
struct Stat64 {
    uint32_t st_dev;
    uint32_t st_pad0[3];
    uint64_t st_ino;
    uint32_t st_mode;
    uint32_t st_nlink;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t st_rdev;
    uint32_t st_pad1[3];
    int64_t st_size;
    int32_t st_atime_seconds;
    uint32_t st_atime_nanoseconds;
    int32_t st_mtime_seconds;
    uint32_t st_mtime_nanoseconds;
    int32_t st_ctime_seconds;
    uint32_t st_ctime_nanoseconds;
    uint32_t st_blksize;
    uint32_t st_pad2;
    int64_t st_blocks;
};
static_assert(sizeof(Stat64) == 104);
static_assert(offsetof(Stat64, st_ino) == 16 && offsetof(Stat64, st_mode) == 24 && offsetof(Stat64, st_rdev) == 40);
static_assert(offsetof(Stat64, st_size) == 56 && offsetof(Stat64, st_atime_seconds) == 64);
static_assert(offsetof(Stat64, st_blksize) == 88 && offsetof(Stat64, st_blocks) == 96);

// struct statfs (o32): all longs, with f_frsize in third place (MIPS order).
struct Statfs {
    int32_t f_type;
    int32_t f_bsize;
    int32_t f_frsize;
    int32_t f_blocks;
    int32_t f_bfree;
    int32_t f_files;
    int32_t f_ffree;
    int32_t f_bavail;
    int32_t f_fsid[2];
    int32_t f_namelen;
    int32_t f_flags;
    int32_t f_spare[5];
};
static_assert(sizeof(Statfs) == 68 && offsetof(Statfs, f_fsid) == 32);

// struct statfs64 (o32): counts are 64-bit, after a padding word.
struct Statfs64 {
    uint32_t f_type;
    uint32_t f_bsize;
    uint32_t f_frsize;
    uint32_t pad;
    uint64_t f_blocks;
    uint64_t f_bfree;
    uint64_t f_files;
    uint64_t f_ffree;
    uint64_t f_bavail;
    int32_t f_fsid[2];
    uint32_t f_namelen;
    uint32_t f_flags;
    uint32_t f_spare[5];
};
static_assert(sizeof(Statfs64) == 96 && offsetof(Statfs64, f_blocks) == 16 && offsetof(Statfs64, f_fsid) == 56);
static_assert(offsetof(Statfs64, f_namelen) == 64);

// struct termios (the kernel's, for TCGETS/TCSETS): 23 control characters in MIPS order.
constexpr unsigned termios_control_characters = 23;
struct Termios {
    uint32_t c_iflag;
    uint32_t c_oflag;
    uint32_t c_cflag;
    uint32_t c_lflag;
    uint8_t c_line;
    uint8_t c_cc[termios_control_characters];
};
static_assert(sizeof(Termios) == 40 && offsetof(Termios, c_cc) == 17);

// struct sigaction (MIPS): the flags come first; there is no restorer.
struct Sigaction {
    uint32_t flags;
    uint32_t handler;
    std::array<uint32_t, 4> mask;
};
static_assert(sizeof(Sigaction) == 24 && offsetof(Sigaction, mask) == 8);

// stack_t (MIPS, IRIX order): the size before the flags.
struct StackT {
    uint32_t ss_sp;
    uint32_t ss_size;
    int32_t ss_flags;
};
static_assert(sizeof(StackT) == 12);

struct Sysinfo {
    int32_t uptime;
    uint32_t loads[3];
    uint32_t totalram;
    uint32_t freeram;
    uint32_t sharedram;
    uint32_t bufferram;
    uint32_t totalswap;
    uint32_t freeswap;
    uint16_t procs;
    uint16_t pad;
    uint32_t totalhigh;
    uint32_t freehigh;
    uint32_t mem_unit;
    uint8_t padding[8];
};
static_assert(sizeof(Sysinfo) == 64 && offsetof(Sysinfo, procs) == 40 && offsetof(Sysinfo, mem_unit) == 52);

struct Rlimit32 {
    uint32_t current;
    uint32_t maximum;
};
struct Rlimit64 {
    uint64_t current;
    uint64_t maximum;
};

struct Iovec {
    uint32_t base;
    uint32_t length;
};

// struct flock (o32, F_GETLK/F_SETLK/F_SETLKW): 32-bit offsets, then l_pid, l_sysid and padding
// (the order of asm-generic/fcntl.h with MIPS's __ARCH_FLOCK_EXTRA_SYSID).
struct Flock {
    int16_t l_type;
    int16_t l_whence;
    int32_t l_start;
    int32_t l_len;
    int32_t l_pid;
    int32_t l_sysid;
    int32_t pad[4];
};
static_assert(sizeof(Flock) == 36 && offsetof(Flock, l_pid) == 12);

// struct flock64 (F_GETLK64 and friends).
struct Flock64 {
    int16_t l_type;
    int16_t l_whence;
    int64_t l_start;
    int64_t l_len;
    int32_t l_pid;
};
static_assert(sizeof(Flock64) == 32 && offsetof(Flock64, l_start) == 8 && offsetof(Flock64, l_pid) == 24);

struct Rusage {
    Timeval32 ru_utime;
    Timeval32 ru_stime;
    int32_t fields[14]; // ru_maxrss .. ru_nivcsw
};
static_assert(sizeof(Rusage) == 72);

struct Tms {
    int32_t tms_utime;
    int32_t tms_stime;
    int32_t tms_cutime;
    int32_t tms_cstime;
};

// struct new_utsname.
struct Utsname {
    char sysname[65];
    char nodename[65];
    char release[65];
    char version[65];
    char machine[65];
    char domainname[65];
};
static_assert(sizeof(Utsname) == 390);

} // namespace isomorph::process::o32
