// A careless guest that asks for gigabytes: one 3 GiB mapping (more than the 2 GiB user address
// space), then 256 MiB mappings until the kernel says ENOMEM, touching the first and last page of
// each; then it frees them all and maps again. The guest must see ENOMEM, never a crash, and the
// host must stay healthy (the mappings are never filled, so they cost address space only).
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { chunk = 256u << 20, most_chunks = 16 };

int main(void)
{
    void* huge = mmap(NULL, 3u << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("3 GiB: %s\n", huge == MAP_FAILED ? strerror(errno) : "mapped");
    void* almost_all = mmap(NULL, 0xfffff000u, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("4 GiB - 4 KiB: %s\n", almost_all == MAP_FAILED ? strerror(errno) : "mapped");
    void* above = mmap((void*)0x80000000u, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED at 0x80000000: %s\n", above == MAP_FAILED ? strerror(errno) : "mapped");

    char* chunks[most_chunks];
    int count = 0;
    int error = 0;
    while (count < most_chunks) {
        char* pointer = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (pointer == MAP_FAILED) {
            error = errno;
            break;
        }
        pointer[0] = 1;
        pointer[chunk - 1] = 2;
        chunks[count++] = pointer;
    }
    // How many fit depends on where the program, the heap and the stack are; 2 GiB holds at most 7.
    printf("256 MiB mappings: between 4 and 7: %s; then %s\n", count >= 4 && count <= 7 ? "yes" : "no",
           error ? strerror(error) : "no error");
    int intact = 1;
    for (int index = 0; index < count; ++index)
        intact &= chunks[index][0] == 1 && chunks[index][chunk - 1] == 2;
    printf("contents intact: %s\n", intact ? "yes" : "no");
    // Growing the heap by a gigabyte fails too: brk leaves the break where it was.
    void* old_break = sbrk(0);
    errno = 0;
    void* grown = sbrk(1 << 30);
    printf("sbrk(1 GiB): %s, break unchanged: %s\n", grown == (void*)-1 ? strerror(errno) : "grew",
           sbrk(0) == old_break ? "yes" : "no");

    for (int index = 0; index < count; ++index)
        munmap(chunks[index], chunk);
    char* again = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("after munmap, 256 MiB: %s, zero-filled: %s\n", again == MAP_FAILED ? strerror(errno) : "mapped",
           again != MAP_FAILED && again[0] == 0 && again[chunk - 1] == 0 ? "yes" : "no");
    return 0;
}
