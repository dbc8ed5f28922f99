// /proc files that describe the machine: /proc/cpuinfo shows a MIPS CPU (the host's would show
// x86-64), and /proc/self/exe names this program, not the emulator.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    FILE* file = fopen("/proc/cpuinfo", "r");
    if (file == NULL) {
        printf("no /proc/cpuinfo\n");
        return 1;
    }
    char line[256];
    while (fgets(line, sizeof line, file) != NULL)
        if (strncmp(line, "cpu model", 9) == 0 || strncmp(line, "isa", 3) == 0 || strncmp(line, "processor", 9) == 0)
            fputs(line, stdout);
    fclose(file);
    char path[4096];
    ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
    path[length > 0 ? length : 0] = 0;
    const char* name = strrchr(path, '/');
    printf("/proc/self/exe: %s\n", name ? name + 1 : path);
    return 0;
}
