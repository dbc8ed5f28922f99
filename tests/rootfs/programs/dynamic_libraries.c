// A dynamically linked program: started in ld.so.1 with AT_BASE, AT_PHDR and AT_ENTRY, it
// relocates itself, maps libc and libm, resolves symbols lazily and at dlopen time.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static int count_objects(struct dl_phdr_info* info, size_t size, void* data)
{
    (void)info;
    (void)size;
    ++*(int*)data;
    return 0;
}

int main(int argc, char** argv)
{
    char text[64];
    snprintf(text, sizeof text, "%.6f %.6f", sqrt(argc + 1.0), atan2(1.0, argc));
    char* copy = strdup(text);
    printf("libm through libc: %s\n", copy);
    free(copy);

    printf("AT_BASE set: %d, AT_ENTRY is not ld.so's: %d, AT_PHNUM > 0: %d\n", getauxval(AT_BASE) != 0,
           getauxval(AT_ENTRY) != getauxval(AT_BASE), getauxval(AT_PHNUM) > 0);

    void* library = dlopen("libm.so.6", RTLD_NOW);
    if (library == NULL) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    double (*cosine)(double) = (double (*)(double))dlsym(library, "cos");
    printf("dlsym cos(0.5) = %.9f\n", cosine ? cosine(0.5) : -1.0);
    dlclose(library);
    printf("dlopen of a missing library fails: %d\n", dlopen("libmissing.so.9", RTLD_NOW) == NULL);

    int objects = 0;
    dl_iterate_phdr(count_objects, &objects);
    printf("loaded objects >= 3: %d\n", objects >= 3);

    char path[4096];
    ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
    path[length > 0 ? length : 0] = 0;
    printf("/proc/self/exe names this program: %d\n", strstr(path, "dynamic_libraries") != NULL);
    return argc > 1 ? atoi(argv[1]) : 0;
}
