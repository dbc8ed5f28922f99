// File status in every o32 form: stat, lstat, fstat, fstatat (stat64 and statx underneath),
// statx itself, and statfs. Only fields that do not change between runs are printed.
#define _GNU_SOURCE
#include "sys_common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char* type_name(mode_t mode)
{
    if (S_ISREG(mode))
        return "regular";
    if (S_ISDIR(mode))
        return "directory";
    if (S_ISLNK(mode))
        return "symlink";
    if (S_ISFIFO(mode))
        return "fifo";
    if (S_ISCHR(mode))
        return "character device";
    return "other";
}

static void show(const char* what, const struct stat* status)
{
    printf("  %s: %s mode %04o links %lu size %lld blocks>0 %d blksize>0 %d uid==getuid %d\n", what,
           type_name(status->st_mode), (unsigned)(status->st_mode & 07777), (unsigned long)status->st_nlink,
           (long long)status->st_size, status->st_blocks > 0, status->st_blksize > 0, status->st_uid == getuid());
}

static void show64(const char* what, const struct stat64* status)
{
    printf("  %s: %s mode %04o links %lu size %lld\n", what, type_name(status->st_mode),
           (unsigned)(status->st_mode & 07777), (unsigned long)status->st_nlink, (long long)status->st_size);
}

int main(void)
{
    umask(022);
    int fd = CHECK(open("file.txt", O_CREAT | O_WRONLY, 0640));
    CHECK(write(fd, "twelve bytes", 12));
    CHECK(mkdir("directory", 0755));
    CHECK(symlink("file.txt", "link"));
    CHECK(link("file.txt", "hard"));
    CHECK(mkfifo("fifo", 0600));

    struct stat status;
    if (CHECK(stat("file.txt", &status)) == 0)
        show("stat file.txt", &status);
    if (CHECK(stat("link", &status)) == 0)
        show("stat link", &status);
    if (CHECK(lstat("link", &status)) == 0)
        printf("  lstat link: %s size %lld\n", type_name(status.st_mode), (long long)status.st_size);
    if (CHECK(fstat(fd, &status)) == 0)
        show("fstat", &status);
    if (CHECK(stat("directory", &status)) == 0)
        printf("  stat directory: %s mode %04o\n", type_name(status.st_mode), (unsigned)(status.st_mode & 07777));
    if (CHECK(stat("fifo", &status)) == 0)
        printf("  stat fifo: %s\n", type_name(status.st_mode));
    if (CHECK(stat("/dev/null", &status)) == 0)
        printf("  stat /dev/null: %s rdev 1:3 %d\n", type_name(status.st_mode),
               major(status.st_rdev) == 1 && minor(status.st_rdev) == 3);
    int directory = CHECK(open(".", O_RDONLY | O_DIRECTORY));
    if (CHECK(fstatat(directory, "hard", &status, 0)) == 0)
        show("fstatat hard", &status);
    if (CHECK(fstatat(directory, "link", &status, AT_SYMLINK_NOFOLLOW)) == 0)
        printf("  fstatat link nofollow: %s\n", type_name(status.st_mode));
    if (CHECK(fstatat(fd, "", &status, AT_EMPTY_PATH)) == 0)
        printf("  fstatat empty path: size %lld\n", (long long)status.st_size);

    struct stat64 status64;
    if (CHECK(stat64("file.txt", &status64)) == 0)
        show64("stat64", &status64);
    if (CHECK(fstatat64(AT_FDCWD, "hard", &status64, 0)) == 0)
        show64("fstatat64", &status64);

    // The raw o32 calls, which glibc skips in favour of statx.
    struct stat64 raw;
    if (CHECK(syscall(SYS_stat64, "file.txt", &raw)) == 0)
        show64("raw stat64", &raw);
    if (CHECK(syscall(SYS_lstat64, "link", &raw)) == 0)
        show64("raw lstat64", &raw);
    if (CHECK(syscall(SYS_fstat64, fd, &raw)) == 0)
        show64("raw fstat64", &raw);
    if (CHECK(syscall(SYS_fstatat64, AT_FDCWD, "hard", &raw, 0)) == 0)
        show64("raw fstatat64", &raw);

    struct statx extended;
    if (CHECK(statx(AT_FDCWD, "file.txt", 0, STATX_BASIC_STATS, &extended)) == 0)
        printf("  statx: mask has size %d mode %04o size %llu links %u\n", !!(extended.stx_mask & STATX_SIZE),
               extended.stx_mode & 07777, (unsigned long long)extended.stx_size, extended.stx_nlink);
    if (CHECK(statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &extended)) == 0)
        printf("  statx empty path: size %llu\n", (unsigned long long)extended.stx_size);

    // Errors.
    CHECK(stat("missing", &status));
    CHECK(stat("file.txt/inside", &status));
    CHECK(stat("", &status));
    CHECK(lstat("missing/also", &status));
    CHECK(fstat(99, &status));
    CHECK(fstatat(directory, "missing", &status, 0));
    CHECK(fstatat(directory, "file.txt", &status, 0x12345));
    CHECK(syscall(SYS_stat64, "file.txt", (void*)16));

    // File-system statistics: only that they answer sensibly.
    struct statfs fs;
    if (CHECK(statfs(".", &fs)) == 0)
        printf("  statfs: bsize>0 %d namelen>0 %d\n", fs.f_bsize > 0, fs.f_namelen > 0);
    if (CHECK(fstatfs(fd, &fs)) == 0)
        printf("  fstatfs: bsize>0 %d\n", fs.f_bsize > 0);
    struct statfs64 fs64;
    if (CHECK(statfs64(".", &fs64)) == 0)
        printf("  statfs64: blocks>=free %d\n", fs64.f_blocks >= fs64.f_bfree);
    struct statvfs vfs;
    if (CHECK(statvfs(".", &vfs)) == 0)
        printf("  statvfs: frsize>0 %d\n", vfs.f_frsize > 0);
    CHECK(statfs("missing", &fs));
    CHECK(close(directory));
    CHECK(close(fd));
    return 0;
}
