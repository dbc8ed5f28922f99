// Memory management: brk, anonymous and file mappings, partial munmap and mprotect, mremap in
// place and moving, madvise, msync, and the errors of each. Addresses are not printed, only
// what the program can observe about them.
#define _GNU_SOURCE
#include "sys_common.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096

static int filled_with(const unsigned char* memory, size_t length, unsigned char value)
{
    for (size_t index = 0; index < length; ++index)
        if (memory[index] != value)
            return 0;
    return 1;
}

int main(void)
{
    // The program break.
    char* start = sbrk(0);
    CHECK(start != (char*)-1);
    CHECK(brk(start + 3 * PAGE));
    CHECK(sbrk(0) == start + 3 * PAGE);
    memset(start, 0x5A, 3 * PAGE);
    CHECK(filled_with((unsigned char*)start, 3 * PAGE, 0x5A));
    CHECK(brk(start + PAGE));
    CHECK(sbrk(0) == start + PAGE);
    CHECK(brk(start + 2 * PAGE));
    // Memory given back and taken again reads as zeros.
    CHECK(filled_with((unsigned char*)start + PAGE, PAGE, 0));
    CHECK(brk(start));

    // Anonymous private memory starts zeroed, is page aligned, and can be written.
    unsigned char* anonymous = mmap(NULL, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(anonymous != MAP_FAILED);
    CHECK(((uintptr_t)anonymous & (PAGE - 1)) == 0);
    CHECK(filled_with(anonymous, 5 * PAGE, 0));
    memset(anonymous, 1, 5 * PAGE);

    // Partial munmap: the middle page goes, the rest stays.
    CHECK(munmap(anonymous + 2 * PAGE, PAGE));
    CHECK(msync(anonymous, PAGE, MS_ASYNC));
    CHECK(filled_with(anonymous, 2 * PAGE, 1) && filled_with(anonymous + 3 * PAGE, 2 * PAGE, 1));
    // MAP_FIXED puts a page back into the hole.
    unsigned char* fixed = mmap(anonymous + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(fixed == anonymous + 2 * PAGE);
    CHECK(filled_with(fixed, PAGE, 0));

    // mprotect on part of a mapping. (Linux fails with ENOMEM for a range with unmapped pages,
    // and msync too, and refuses MAP_FIXED_NOREPLACE over a mapping; QEMU 7.2 does not, so those
    // are checked by tests/unit/syscall_memory_test.cpp instead.)
    CHECK(mprotect(anonymous + PAGE, PAGE, PROT_READ));
    CHECK(anonymous[PAGE]);
    CHECK(mprotect(anonymous + PAGE, PAGE, PROT_READ | PROT_WRITE));
    anonymous[PAGE] = 7;
    CHECK(anonymous[PAGE]);
    CHECK(mprotect(anonymous + 1, PAGE, PROT_READ));
    CHECK(munmap(anonymous + 4 * PAGE, PAGE));

    // madvise(MADV_DONTNEED) gives anonymous memory back as zeros.
    CHECK(madvise(anonymous, PAGE, MADV_DONTNEED));
    CHECK(filled_with(anonymous, PAGE, 0));
    CHECK(madvise(anonymous, PAGE, MADV_WILLNEED));
    CHECK(madvise(anonymous + 1, PAGE, MADV_NORMAL));

    // mremap: shrink, grow (in place or moved), contents kept.
    unsigned char* region = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int page = 0; page < 4; ++page)
        memset(region + page * PAGE, 'a' + page, PAGE);
    unsigned char* shrunk = mremap(region, 4 * PAGE, 2 * PAGE, 0);
    CHECK(shrunk == region);
    unsigned char* grown = mremap(region, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
    CHECK(grown != MAP_FAILED);
    CHECK(filled_with(grown, PAGE, 'a') && filled_with(grown + PAGE, PAGE, 'b'));
    CHECK(filled_with(grown + 2 * PAGE, 62 * PAGE, 0));
    // Block the space after a mapping so that growing must move it.
    unsigned char* pair = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(pair, 'x', PAGE);
    CHECK(munmap(pair + PAGE, PAGE));
    unsigned char* blocker = mmap(pair + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(blocker == pair + PAGE);
    CHECK(mremap(pair, PAGE, 3 * PAGE, 0) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));
    unsigned char* moved = mremap(pair, PAGE, 3 * PAGE, MREMAP_MAYMOVE);
    CHECK(moved != MAP_FAILED && moved != pair);
    CHECK(filled_with(moved, PAGE, 'x') && filled_with(moved + PAGE, 2 * PAGE, 0));
    unsigned char* target = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char* placed = mremap(moved, 3 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + 4 * PAGE);
    CHECK(placed == target + 4 * PAGE);
    CHECK(filled_with(placed, PAGE, 'x'));
    CHECK(mremap(placed + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));
    CHECK(mremap(placed, PAGE, 2 * PAGE, MREMAP_FIXED) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));

    // File mappings: private copies and shared writes.
    int fd = CHECK(open("mapped.txt", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK(ftruncate(fd, 2 * PAGE));
    CHECK(pwrite(fd, "file contents", 13, PAGE));
    char* private_map = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE);
    CHECK(private_map != MAP_FAILED);
    printf("private: %.13s\n", private_map);
    memcpy(private_map, "FILE", 4);
    char buffer[16] = {0};
    CHECK(pread(fd, buffer, 13, PAGE));
    printf("file after private write: %s\n", buffer);
    char* shared_map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(shared_map != MAP_FAILED);
    memcpy(shared_map + PAGE, "SHARED", 6);
    CHECK(msync(shared_map, 2 * PAGE, MS_SYNC));
    CHECK(pread(fd, buffer, 13, PAGE));
    printf("file after shared write: %s\n", buffer);
    // mmap2 takes the offset in pages.
    char* by_page = (char*)syscall(SYS_mmap2, 0, PAGE, PROT_READ, MAP_SHARED, fd, 1);
    CHECK(by_page != MAP_FAILED);
    printf("mmap2: %.6s\n", by_page);
    CHECK(munmap(by_page, PAGE));
    CHECK(munmap(shared_map, 2 * PAGE));
    CHECK(munmap(private_map, PAGE));
    // Read-only descriptors cannot be mapped shared and writable.
    int read_only = CHECK(open("mapped.txt", O_RDONLY));
    CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, read_only, 0) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));
    char* read_map = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, read_only, PAGE);
    CHECK(read_map != MAP_FAILED);
    printf("read-only private: %.6s\n", read_map);

    // Shared anonymous memory.
    int* shared_anonymous = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared_anonymous != MAP_FAILED);
    CHECK(shared_anonymous[100]);
    shared_anonymous[100] = 42;
    CHECK(shared_anonymous[100]);

    // Errors.
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));
    CHECK(mmap((void*)0x10001, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));
    int directory = CHECK(open(".", O_RDONLY));
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, directory, 0) == MAP_FAILED);
    printf("errno: %s\n", strerrorname_np(errno));
    CHECK(munmap(anonymous + 1, PAGE));
    CHECK(munmap(anonymous, 0));
    CHECK(mprotect(anonymous, PAGE, 0x100));
    // A large allocation goes through mmap inside malloc and comes back through munmap.
    char* big = malloc(1 << 20);
    CHECK(big != NULL);
    memset(big, 3, 1 << 20);
    big = realloc(big, 4 << 20);
    CHECK(big[(1 << 20) - 1]);
    free(big);
    CHECK(close(directory));
    CHECK(close(read_only));
    CHECK(close(fd));
    return 0;
}
