// Extended attributes on a file in the current directory: user.* attributes set, read, listed
// and removed through a path, a symbolic link and a descriptor; size queries; the flags; errors;
// and the order of statx's errors, which ls -l calls alongside.
// When the file system has no user attributes, every call says so the same way.
#define _GNU_SOURCE
#include "sys_common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

static void show_list(const char* what, ssize_t length, const char* list)
{
    printf("  %s:", what);
    for (ssize_t offset = 0; offset < length; offset += (ssize_t)strlen(list + offset) + 1)
        printf(" %s", list + offset);
    printf("\n");
}

int main(void)
{
    char* volatile unmapped = (char*)16;
    int fd = CHECK(open("xattr.file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK(symlink("xattr.file", "xattr.link"));
    if (setxattr("xattr.file", "user.first", "one", 3, 0) != 0) {
        printf("no user attributes here: %s\n", strerrorname_np(errno));
        CHECK(getxattr("xattr.file", "user.first", NULL, 0));
        CHECK(lgetxattr("xattr.link", "user.first", NULL, 0));
        unlink("xattr.link");
        unlink("xattr.file");
        return 0;
    }
    CHECK(setxattr("xattr.file", "user.second", "second value", 12, XATTR_CREATE));
    CHECK(setxattr("xattr.file", "user.second", "again", 5, XATTR_CREATE));
    CHECK(setxattr("xattr.file", "user.third", "x", 1, XATTR_REPLACE));
    CHECK(fsetxattr(fd, "user.third", "", 0, 0));

    char value[64] = {0};
    CHECK(getxattr("xattr.file", "user.first", value, sizeof value));
    printf("  \"%s\"\n", value);
    CHECK(getxattr("xattr.link", "user.second", NULL, 0));
    CHECK(getxattr("xattr.link", "user.second", value, 4));
    memset(value, 0, sizeof value);
    CHECK(fgetxattr(fd, "user.second", value, sizeof value));
    printf("  \"%s\"\n", value);
    CHECK(fgetxattr(fd, "user.third", value, sizeof value));
    CHECK(getxattr("xattr.file", "user.missing", value, sizeof value));
    // The link itself: user attributes are not allowed on symbolic links.
    CHECK(lgetxattr("xattr.link", "user.first", value, sizeof value));
    CHECK(lsetxattr("xattr.link", "user.first", "l", 1, 0));

    char list[256];
    ssize_t length = CHECK(listxattr("xattr.file", NULL, 0));
    length = CHECK(listxattr("xattr.file", list, sizeof list));
    // The order of names depends on the file system; print only what is there.
    printf("  has first %d second %d third %d\n", memmem(list, (size_t)length, "user.first", 11) != NULL,
           memmem(list, (size_t)length, "user.second", 12) != NULL, memmem(list, (size_t)length, "user.third", 11) != NULL);
    CHECK(flistxattr(fd, list, 3));
    length = CHECK(llistxattr("xattr.link", list, sizeof list));
    show_list("link", length, list);

    CHECK(removexattr("xattr.file", "user.first"));
    CHECK(fremovexattr(fd, "user.second"));
    CHECK(lremovexattr("xattr.link", "user.third"));
    CHECK(removexattr("xattr.link", "user.third"));
    CHECK(removexattr("xattr.file", "user.first"));
    length = CHECK(flistxattr(fd, list, sizeof list));

    // Errors.
    CHECK(getxattr("xattr.missing", "user.first", value, sizeof value));
    CHECK(getxattr("xattr.file", "", value, sizeof value));
    char long_name[300];
    memset(long_name, 'n', sizeof long_name - 1);
    memcpy(long_name, "user.", 5);
    long_name[sizeof long_name - 1] = 0;
    CHECK(getxattr("xattr.file", long_name, value, sizeof value));
    CHECK(setxattr("xattr.file", "nonamespace", "v", 1, 0));
    static char big[70000];
    CHECK(setxattr("xattr.file", "user.big", big, sizeof big, 0));
    CHECK(setxattr("xattr.file", "user.bad", unmapped, 4, 0));
    CHECK(setxattr(unmapped, "user.first", "v", 1, 0));
    CHECK(setxattr("xattr.file", unmapped, "v", 1, 0));
    CHECK(setxattr("xattr.file", "user.first", "v", 1, 3));
    CHECK(setxattr("xattr.file", "user.first", "value", 5, 0));
    CHECK(getxattr("xattr.file", "user.first", unmapped, 5));
    CHECK(listxattr("xattr.file", unmapped, 64));
    CHECK(fgetxattr(99, "user.first", value, sizeof value));
    // ls -l asks statx next to the attributes: the path is looked up before the buffer is written.
    CHECK(syscall(SYS_statx, AT_FDCWD, "xattr.missing", 0, STATX_BASIC_STATS, unmapped));
    CHECK(syscall(SYS_statx, AT_FDCWD, "xattr.file", 0, STATX_BASIC_STATS, unmapped));
    CHECK(close(fd));
    CHECK(unlink("xattr.link"));
    CHECK(unlink("xattr.file"));
    return 0;
}
