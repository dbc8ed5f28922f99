// The initial stack: argc, argv and envp where the ABI puts them, and the auxiliary vector's
// entries (sorted by type, since emulators order them differently) with the values that do not
// change between runs.
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char** environ;
extern char __start[]; // the MIPS crt1.o entry point

static const char* type_name(unsigned type)
{
    switch (type) {
    case AT_PHDR: return "AT_PHDR";
    case AT_PHENT: return "AT_PHENT";
    case AT_PHNUM: return "AT_PHNUM";
    case AT_PAGESZ: return "AT_PAGESZ";
    case AT_BASE: return "AT_BASE";
    case AT_FLAGS: return "AT_FLAGS";
    case AT_ENTRY: return "AT_ENTRY";
    case AT_UID: return "AT_UID";
    case AT_EUID: return "AT_EUID";
    case AT_GID: return "AT_GID";
    case AT_EGID: return "AT_EGID";
    case AT_HWCAP: return "AT_HWCAP";
    case AT_CLKTCK: return "AT_CLKTCK";
    case AT_SECURE: return "AT_SECURE";
    case AT_RANDOM: return "AT_RANDOM";
    case AT_EXECFN: return "AT_EXECFN";
    case AT_PLATFORM: return "AT_PLATFORM";
    case AT_BASE_PLATFORM: return "AT_BASE_PLATFORM";
    case AT_HWCAP2: return "AT_HWCAP2";
    case AT_SYSINFO_EHDR: return "AT_SYSINFO_EHDR";
    default: return "other";
    }
}

static int by_type(const void* left, const void* right)
{
    return (int)((const Elf32_auxv_t*)left)->a_type - (int)((const Elf32_auxv_t*)right)->a_type;
}

int main(int argc, char** argv, char** envp)
{
    printf("argc %d argv[argc] is NULL %d\n", argc, argv[argc] == NULL);
    printf("envp follows argv: %d environ is envp: %d\n", envp == argv + argc + 1, environ == envp);
    printf("argv[0] is the program: %d\n", strstr(argv[0], "sys_auxv") != NULL);
    int count = 0;
    while (envp[count] != NULL)
        ++count;
    printf("environment entries have '=': %d\n", count == 0 || strchr(envp[0], '=') != NULL);
    // The strings lie above the pointer arrays, argv's in order.
    printf("strings above the arrays: %d in order: %d\n", (void*)argv[0] > (void*)(envp + count),
           argc < 2 || argv[1] > argv[0]);

    Elf32_auxv_t* auxv = (Elf32_auxv_t*)(envp + count + 1);
    int entries = 0;
    while (auxv[entries].a_type != AT_NULL)
        ++entries;
    Elf32_auxv_t sorted[64];
    memcpy(sorted, auxv, sizeof sorted[0] * (size_t)entries);
    qsort(sorted, (size_t)entries, sizeof sorted[0], by_type);
    for (int index = 0; index < entries; ++index) {
        unsigned type = sorted[index].a_type;
        unsigned value = sorted[index].a_un.a_val;
        printf("%-16s ", type_name(type));
        switch (type) {
        case AT_PAGESZ:
        case AT_PHENT:
        case AT_CLKTCK:
        case AT_BASE:
        case AT_FLAGS:
        case AT_SECURE:
        case AT_HWCAP: printf("%u\n", value); break;
        case AT_PHNUM: printf("matches getauxval %d\n", value == getauxval(AT_PHNUM)); break;
        case AT_PHDR: {
            const Elf32_Phdr* headers = (const Elf32_Phdr*)value;
            int has_load = 0;
            for (unsigned header = 0; header < getauxval(AT_PHNUM); ++header)
                has_load |= headers[header].p_type == PT_LOAD;
            printf("points at program headers with a PT_LOAD: %d\n", has_load);
            break;
        }
        case AT_ENTRY: printf("is __start: %d\n", value == (unsigned)__start); break;
        case AT_UID: printf("is getuid: %d\n", value == getuid()); break;
        case AT_EUID: printf("is geteuid: %d\n", value == geteuid()); break;
        case AT_GID: printf("is getgid: %d\n", value == getgid()); break;
        case AT_EGID: printf("is getegid: %d\n", value == getegid()); break;
        case AT_RANDOM: printf("on the stack above argv: %d\n", value > (unsigned)argv); break;
        case AT_EXECFN: printf("is argv[0]: %d\n", strcmp((const char*)value, argv[0]) == 0); break;
        case AT_PLATFORM:
        case AT_BASE_PLATFORM: printf("%s\n", (const char*)value); break;
        default: printf("present\n"); break;
        }
    }
    printf("getauxval(AT_PAGESZ) %lu sysconf %ld\n", getauxval(AT_PAGESZ), sysconf(_SC_PAGESIZE));
    return 0;
}
