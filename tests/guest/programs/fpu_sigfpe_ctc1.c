// CTC1 traps when it leaves a Cause bit set whose exception is enabled, or Cause.E set (which
// cannot be masked): SIGFPE kills the program (exit status 128 + 8). Writes that leave only
// masked Cause bits do not trap, shown first.
#include <stdint.h>
#include <stdio.h>

#include "fpu_bits.h"

int main(void)
{
    fcsr_write(0x0001F000); // every IEEE Cause bit, nothing enabled
    printf("causes without enables: %08x\n", fcsr_read());
    fcsr_write(0x00001100); // Cause.I with Enables.U
    printf("cause I, enable U: %08x\n", fcsr_read());
    fcsr_write(0);
    fflush(stdout);
    fcsr_write(0x00020000); // Cause.E
    printf("not reached: %08x\n", fcsr_read());
    return 0;
}
