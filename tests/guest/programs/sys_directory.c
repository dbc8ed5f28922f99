// Names in the file system: directories and their listings, the current directory, links,
// renames, removal, access checks, permissions, owners and times.
#define _GNU_SOURCE
#include "sys_common.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

static int compare(const void* left, const void* right)
{
    return strcmp(*(const char* const*)left, *(const char* const*)right);
}

// Prints a directory's entries sorted, with their types.
static void list(const char* path)
{
    DIR* directory = opendir(path);
    if (directory == NULL) {
        printf("opendir(%s): %s\n", path, strerrorname_np(errno));
        return;
    }
    char* names[64];
    int count = 0;
    // readdir64: the 32-bit readdir fails with EOVERFLOW for the 64-bit offsets of many file systems.
    struct dirent64* entry;
    errno = 0;
    while ((entry = readdir64(directory)) != NULL && count < 64) {
        char* name = malloc(300);
        snprintf(name, 300, "%s%s", entry->d_name,
                 entry->d_type == DT_DIR ? "/" : entry->d_type == DT_LNK ? "@" : "");
        names[count++] = name;
    }
    if (errno != 0)
        printf("readdir64(%s): %s\n", path, strerrorname_np(errno));
    closedir(directory);
    qsort(names, count, sizeof names[0], compare);
    printf("%s:", path);
    for (int index = 0; index < count; ++index) {
        printf(" %s", names[index]);
        free(names[index]);
    }
    printf("\n");
}

static void show_mode(const char* path)
{
    struct stat status;
    if (lstat(path, &status) == 0)
        printf("  %s mode %04o\n", path, (unsigned)(status.st_mode & 07777));
    else
        printf("  %s: %s\n", path, strerrorname_np(errno));
}

static void show_times(const char* path)
{
    struct stat status;
    if (stat(path, &status) == 0)
        printf("  %s atime %lld.%09ld mtime %lld.%09ld\n", path, (long long)status.st_atim.tv_sec,
               status.st_atim.tv_nsec, (long long)status.st_mtim.tv_sec, status.st_mtim.tv_nsec);
}

static int ends_with(const char* text, const char* suffix)
{
    size_t length = strlen(text), suffix_length = strlen(suffix);
    return length >= suffix_length && strcmp(text + length - suffix_length, suffix) == 0;
}

int main(void)
{
    umask(022);
    char cwd[4096];
    CHECK_OK(getcwd(cwd, sizeof cwd), == NULL);
    CHECK(getcwd(cwd, 1) == NULL);
    printf("errno after short getcwd: %s\n", strerrorname_np(errno));

    CHECK(mkdir("top", 0755));
    CHECK(mkdir("top", 0755));
    CHECK(mkdir("top/inner", 0700));
    CHECK(mkdir("missing/inner", 0700));
    int top = CHECK(open("top", O_RDONLY | O_DIRECTORY));
    CHECK(mkdirat(top, "sibling", 0750));
    CHECK(close(CHECK(openat(top, "file", O_CREAT | O_WRONLY, 0644))));
    CHECK(symlink("file", "top/link"));
    CHECK(symlinkat("inner", top, "dirlink"));
    CHECK(link("top/file", "top/hard"));
    CHECK(linkat(top, "file", top, "hard2", 0));
    CHECK(link("top/file", "top/hard"));
    CHECK(mknod("top/node", S_IFIFO | 0600, 0));
    CHECK(mknodat(top, "node2", S_IFREG | 0600, 0));
    list("top");

    char target[64];
    long length = CHECK(readlink("top/link", target, sizeof target));
    if (length >= 0)
        printf("  link -> %.*s\n", (int)length, target);
    length = CHECK(readlinkat(top, "dirlink", target, 3));
    if (length >= 0)
        printf("  dirlink (3 bytes) -> %.*s\n", (int)length, target);
    CHECK(readlink("top/file", target, sizeof target));
    CHECK(readlink("top/missing", target, sizeof target));

    // The current directory.
    CHECK(chdir("top/inner"));
    CHECK_OK(getcwd(cwd, sizeof cwd), == NULL);
    printf("  cwd ends with /top/inner: %d\n", ends_with(cwd, "/top/inner"));
    CHECK(chdir(".."));
    CHECK(fchdir(top));
    CHECK_OK(getcwd(cwd, sizeof cwd), == NULL);
    printf("  cwd ends with /top: %d\n", ends_with(cwd, "/top"));
    CHECK(chdir("file"));
    CHECK(chdir("nowhere"));
    CHECK(chdir(".."));

    // Renames and removal.
    CHECK(rename("top/file", "top/renamed"));
    CHECK(rename("top/missing", "top/other"));
    CHECK(renameat(top, "renamed", top, "file"));
    CHECK(renameat2(top, "file", top, "hard", RENAME_NOREPLACE));
    CHECK(renameat2(top, "file", top, "hard", RENAME_EXCHANGE));
    CHECK(rename("top/inner", "top/sibling"));
    CHECK(rmdir("top/sibling"));
    CHECK(rmdir("top/sibling"));
    CHECK(rmdir("top"));
    CHECK(unlink("top/hard2"));
    CHECK(unlink("top/hard2"));
    CHECK(unlink("top/inner"));
    CHECK(unlinkat(top, "node2", 0));
    CHECK(unlinkat(top, "inner", AT_REMOVEDIR));
    CHECK(unlinkat(top, "node", AT_REMOVEDIR));
    list("top");

    // Access checks.
    CHECK(access("top/file", F_OK));
    CHECK(access("top/file", R_OK | W_OK));
    CHECK(access("top/file", X_OK));
    CHECK(access("top/none", F_OK));
    CHECK(faccessat(top, "file", R_OK, 0));
    CHECK(faccessat(top, "link", F_OK, AT_SYMLINK_NOFOLLOW));
    CHECK(faccessat(top, "file", R_OK, AT_EACCESS));

    // Permissions and the umask.
    CHECK(chmod("top/file", 0600));
    show_mode("top/file");
    int fd = CHECK(open("top/file", O_RDWR));
    CHECK(fchmod(fd, 0640));
    show_mode("top/file");
    CHECK(fchmodat(top, "file", 0604, 0));
    show_mode("top/file");
    CHECK(fchmodat(top, "link", 0600, AT_SYMLINK_NOFOLLOW));
    CHECK(chmod("top/none", 0600));
    printf("umask was %04o\n", (unsigned)umask(077));
    printf("umask was %04o\n", (unsigned)umask(022));
    umask(077);
    CHECK(close(CHECK(open("top/private", O_CREAT | O_WRONLY, 0666))));
    show_mode("top/private");
    umask(022);

    // Owners: giving a file to oneself always works.
    CHECK(chown("top/file", getuid(), getgid()));
    CHECK(lchown("top/link", getuid(), getgid()));
    CHECK(fchown(fd, getuid(), -1));
    CHECK(fchownat(top, "file", -1, getgid(), 0));
    CHECK(chown("top/none", getuid(), getgid()));

    // Times, set to fixed values and read back.
    struct timespec times[2] = {{1000000000, 123456789}, {1200000000, 987654321}};
    CHECK(utimensat(AT_FDCWD, "top/file", times, 0));
    show_times("top/file");
    struct timespec omit[2] = {{0, UTIME_OMIT}, {1300000000, 5}};
    CHECK(utimensat(top, "file", omit, 0));
    show_times("top/file");
    struct timespec only_access[2] = {{1400000000, 0}, {0, UTIME_OMIT}};
    CHECK(futimens(fd, only_access));
    show_times("top/file");
    struct timeval microseconds[2] = {{1500000000, 250000}, {1500000001, 750000}};
    CHECK(utimes("top/file", microseconds));
    show_times("top/file");
    CHECK(futimesat(top, "file", microseconds));
    struct utimbuf seconds = {1600000000, 1600000001};
    CHECK(utime("top/file", &seconds));
    show_times("top/file");
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    CHECK(utimensat(AT_FDCWD, "top/file", bad, 0));
    CHECK(utimensat(AT_FDCWD, "top/none", times, 0));

    CHECK(close(fd));
    CHECK(close(top));
    return 0;
}
