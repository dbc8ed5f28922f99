// A C program that writes through a null pointer after printing: SIGSEGV. What it flushed before
// the fault must reach stdout; what stdio still buffers is lost, as on a real system.
#include <stdio.h>

int main(void)
{
    printf("flushed before the fault\n");
    fflush(stdout);
    printf("still buffered when the fault comes\n");
    volatile int* volatile pointer = NULL;
    *pointer = 42;
    return 0;
}
