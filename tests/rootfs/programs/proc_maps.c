// /proc/self/maps shows the guest's own memory as a 32-bit Linux/MIPS kernel would: the program's
// segments with their file offsets, the heap, the stack, anonymous and file mmap regions split by
// mprotect, in address order, in the kernel's format. (qemu-mipsel shows a different layout, so
// this is checked against expected text.)
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct region {
    unsigned long start, end, offset, inode;
    char permissions[5];
    char name[256];
};

static struct region regions[256];
static int region_count;
static int well_formed = 1;

static void read_maps(void)
{
    FILE* file = fopen("/proc/self/maps", "r");
    char line[512];
    region_count = 0;
    while (file && fgets(line, sizeof line, file) && region_count < 256) {
        struct region* r = &regions[region_count++];
        unsigned major, minor;
        int name_at = 0;
        r->name[0] = 0;
        if (sscanf(line, "%8lx-%8lx %4s %8lx %2x:%2x %lu %n", &r->start, &r->end, r->permissions, &r->offset, &major,
                   &minor, &r->inode, &name_at) != 7 || line[8] != '-' || line[17] != ' ')
            well_formed = 0;
        if (name_at > 0 && line[name_at] != '\n' && line[name_at] != 0) {
            strncpy(r->name, line + name_at, sizeof r->name - 1);
            r->name[strcspn(r->name, "\n")] = 0;
            if (name_at != 49) // names start in column 49 on a 32-bit kernel
                well_formed = 0;
        }
    }
    if (file)
        fclose(file);
}

static const struct region* find(const void* address)
{
    for (int i = 0; i < region_count; ++i)
        if ((uintptr_t)address >= regions[i].start && (uintptr_t)address < regions[i].end)
            return &regions[i];
    return NULL;
}

static const char* base_name(const char* path)
{
    const char* slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int main(int argc, char** argv)
{
    (void)argc;
    char* heap = malloc(64);
    char* anonymous = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(anonymous + 4096, 4096, PROT_READ);
    int fd = open("/proc/self/exe", O_RDONLY);
    char* file = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
    int on_stack = 0;
    read_maps();

    printf("format as the kernel's: %d\n", well_formed);
    int ordered = region_count > 0;
    for (int i = 1; i < region_count; ++i)
        ordered &= regions[i - 1].end <= regions[i].start;
    printf("regions in order, not overlapping: %d\n", ordered);

    const struct region* text = find((void*)main);
    printf("main: %s offset %lx, the program: %d\n", text ? text->permissions : "none", text ? text->offset : 1,
           text && strcmp(base_name(text->name), base_name(argv[0])) == 0 && text->inode != 0);
    const struct region* stack = find(&on_stack);
    printf("a local variable: %s %s\n", stack ? stack->permissions : "none", stack ? stack->name : "");
    const struct region* heap_region = find(heap);
    printf("malloc: %s %s\n", heap_region ? heap_region->permissions : "none", heap_region ? heap_region->name : "");
    for (int page = 0; page < 3; ++page) {
        const struct region* r = find(anonymous + page * 4096);
        printf("anonymous page %d: %s, %lu bytes, named '%s'\n", page, r ? r->permissions : "none",
               r ? r->end - r->start : 0, r ? r->name : "");
    }
    const struct region* mapped = find(file);
    printf("file mapping: %s offset %lx, the program: %d\n", mapped ? mapped->permissions : "none",
           mapped ? mapped->offset : 0, mapped && strcmp(base_name(mapped->name), base_name(argv[0])) == 0);

    munmap(anonymous, 3 * 4096);
    read_maps();
    printf("after munmap: %s\n", find(anonymous + 4096) ? "still there" : "gone");
    return 0;
}
