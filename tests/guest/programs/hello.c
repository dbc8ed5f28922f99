// The smallest end-to-end check: C start-up, printf, arguments and the exit status.
#include <stdio.h>

int main(int argc, char** argv)
{
    printf("hello from MIPS: argc=%d argv[0]=%s\n", argc, argv[0]);
    return 3;
}
