// File descriptors: open, read and write in every form, seeking, duplicating, pipes, fcntl,
// truncation, sendfile, and the errors each reports.
#define _GNU_SOURCE
#include "sys_common.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
    char buffer[64];
    int fd = CHECK(open("data.txt", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK(write(fd, "hello, world\n", 13));
    CHECK(lseek(fd, 0, SEEK_CUR));
    CHECK(lseek(fd, 0, SEEK_SET));
    memset(buffer, 0, sizeof buffer);
    CHECK(read(fd, buffer, sizeof buffer));
    printf("read back: %s", buffer);
    CHECK(read(fd, buffer, sizeof buffer));
    CHECK(pwrite(fd, "HELLO", 5, 0));
    memset(buffer, 0, sizeof buffer);
    CHECK(pread(fd, buffer, 5, 7));
    printf("pread: %s\n", buffer);
    CHECK(pread64(fd, buffer, 5, 0));
    printf("pread64: %.5s\n", buffer);

    // Vectored I/O.
    struct iovec out[3] = {{"one ", 4}, {"two ", 4}, {"three\n", 6}};
    CHECK(lseek(fd, 0, SEEK_END));
    CHECK(writev(fd, out, 3));
    char first[5] = {0}, second[20] = {0};
    struct iovec in[2] = {{first, 4}, {second, sizeof second - 1}};
    CHECK(lseek(fd, 13, SEEK_SET));
    CHECK(readv(fd, in, 2));
    printf("readv: [%s] [%s]", first, second);
    CHECK(pwritev(fd, out, 1, 0));
    CHECK(preadv(fd, in, 1, 13));
    printf("preadv: [%s]\n", first);

    // 64-bit seeking goes through _llseek.
    CHECK(lseek64(fd, 5000000000LL, SEEK_SET) == 5000000000LL);
    CHECK(lseek(fd, 0, SEEK_CUR));
    CHECK(lseek64(fd, 0, SEEK_END));
    CHECK(lseek(fd, -100, SEEK_SET));

    // Sizes.
    CHECK(ftruncate(fd, 4));
    struct stat status;
    CHECK(fstat(fd, &status));
    printf("size after ftruncate: %lld\n", (long long)status.st_size);
    CHECK(truncate("data.txt", 100));
    CHECK(stat("data.txt", &status));
    printf("size after truncate: %lld\n", (long long)status.st_size);
    CHECK(ftruncate64(fd, 6000000000LL));
    CHECK(fstat(fd, &status));
    printf("size after ftruncate64: %lld\n", (long long)status.st_size);
    CHECK(ftruncate(fd, 13));
    CHECK(fsync(fd));
    CHECK(fdatasync(fd));
    CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
    CHECK(fallocate(fd, 0, 0, 8192));
    CHECK(fstat(fd, &status));
    printf("size after fallocate: %lld\n", (long long)status.st_size);
    CHECK(ftruncate(fd, 13));

    // Duplicates share the offset.
    int copy = CHECK(dup(fd));
    CHECK(lseek(fd, 2, SEEK_SET));
    CHECK(lseek(copy, 0, SEEK_CUR));
    CHECK(dup2(fd, 10));
    CHECK(dup3(fd, 11, O_CLOEXEC));
    CHECK(fcntl(11, F_GETFD));
    CHECK(fcntl(10, F_GETFD));
    CHECK(dup3(fd, fd, 0));
    CHECK(dup2(fd, fd));
    CHECK(fcntl(fd, F_DUPFD, 20));
    CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 20));
    CHECK(fcntl(21, F_GETFD));
    CHECK(fcntl(21, F_SETFD, 0));
    CHECK(fcntl(21, F_GETFD));
    CHECK(close(10));
    CHECK(close(11));
    CHECK(close(20));
    CHECK(close(21));
    CHECK(close(copy));

    // Status flags come back in MIPS numbering.
    int flags = CHECK(fcntl(fd, F_GETFL));
    printf("O_RDWR %d O_APPEND %d O_NONBLOCK %d\n", (flags & O_ACCMODE) == O_RDWR, !!(flags & O_APPEND),
           !!(flags & O_NONBLOCK));
    CHECK(fcntl(fd, F_SETFL, flags | O_APPEND | O_NONBLOCK));
    flags = CHECK(fcntl(fd, F_GETFL));
    printf("O_RDWR %d O_APPEND %d O_NONBLOCK %d\n", (flags & O_ACCMODE) == O_RDWR, !!(flags & O_APPEND),
           !!(flags & O_NONBLOCK));
    CHECK(write(fd, "appended\n", 9));
    CHECK(lseek(fd, 0, SEEK_CUR));

    // Record locks and flock.
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    CHECK(fcntl(fd, F_SETLK, &lock));
    lock.l_type = F_RDLCK;
    CHECK(fcntl(fd, F_GETLK, &lock));
    printf("F_GETLK type %s\n", lock.l_type == F_UNLCK ? "F_UNLCK" : "locked");
    lock.l_type = F_UNLCK;
    CHECK(fcntl(fd, F_SETLK, &lock));
    struct flock64 lock64 = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    CHECK(fcntl(fd, F_SETLK64, &lock64));
    CHECK(fcntl(fd, F_OFD_GETLK, &lock64));
    CHECK(flock(fd, LOCK_EX));
    CHECK(flock(fd, LOCK_UN));

    // Open flags and their errors.
    CHECK(open("data.txt", O_CREAT | O_EXCL | O_WRONLY, 0600));
    CHECK(open("missing.txt", O_RDONLY));
    CHECK(open("data.txt/x", O_RDONLY));
    CHECK(open(".", O_WRONLY));
    int directory = CHECK(open(".", O_RDONLY | O_DIRECTORY));
    CHECK(open("data.txt", O_RDONLY | O_DIRECTORY));
    CHECK(openat(directory, "data.txt", O_RDONLY));
    CHECK(openat(directory, "missing.txt", O_RDONLY));
    CHECK(close(directory));
    CHECK(creat("created.txt", 0600));
    int read_only = CHECK(open("data.txt", O_RDONLY));
    CHECK(write(read_only, "x", 1));
    char* volatile unmapped = (char*)16;
    CHECK(read(read_only, unmapped, 10));
    CHECK(read(read_only, buffer, 0));
    CHECK(read(99, buffer, 1));
    CHECK(close(99));
    CHECK(fcntl(99, F_GETFL));

    // sendfile with and without an offset.
    int target = CHECK(open("copy.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644));
    off_t offset = 7;
    CHECK(sendfile(target, read_only, &offset, 5));
    printf("offset after sendfile: %ld\n", (long)offset);
    CHECK(sendfile(target, read_only, NULL, 100));
    CHECK(close(target));
    CHECK(stat("copy.txt", &status));
    printf("copy size: %lld\n", (long long)status.st_size);

    // Pipes.
    int ends[2];
    CHECK(pipe(ends));
    CHECK(write(ends[1], "through the pipe", 16));
    memset(buffer, 0, sizeof buffer);
    CHECK(read(ends[0], buffer, sizeof buffer));
    printf("pipe: %s\n", buffer);
    CHECK(lseek(ends[0], 0, SEEK_SET));
    CHECK(close(ends[0]));
    CHECK(close(ends[1]));
    CHECK(pipe2(ends, O_CLOEXEC | O_NONBLOCK));
    CHECK(fcntl(ends[0], F_GETFD));
    CHECK(!!(fcntl(ends[0], F_GETFL) & O_NONBLOCK));
    CHECK(read(ends[0], buffer, 1));
    CHECK(pipe2(ends, O_APPEND));
    CHECK(close(read_only));
    CHECK(close(fd));
    return 0;
}
