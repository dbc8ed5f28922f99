// abort(): SIGABRT through tgkill ends the process, whose exit status is 128 + 6.
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("aborting\n");
    fflush(stdout);
    abort();
}
