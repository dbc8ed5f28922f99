// An enabled IEEE exception traps: with FCSR.Enables.Z set, DIV.D by zero raises SIGFPE, which
// kills the program (exit status 128 + 8). Exceptions that are not enabled only set Cause and
// Flags, shown first.
#include <stdint.h>
#include <stdio.h>

#include "fpu_bits.h"

int main(void)
{
    double result;
    fcsr_write(0x00000400); // Enables.Z
    __asm__ volatile("div.d %0, %1, %2" : "=f"(result) : "f"(1.0), "f"(3.0));
    printf("1/3 with Z enabled: %a fcsr %08x\n", result, fcsr_read());
    __asm__ volatile("sqrt.d %0, %1" : "=f"(result) : "f"(-1.0));
    printf("sqrt(-1) with Z enabled: fcsr %08x\n", fcsr_read());
    fflush(stdout);
    __asm__ volatile("div.d %0, %1, %2" : "=f"(result) : "f"(1.0), "f"(0.0));
    printf("not reached: %a\n", result);
    return 0;
}
