# ADD whose signed result overflows raises Integer Overflow: SIGFPE.
# It prints one line, then faults at fault_here; the run must end as under qemu-mipsel, with
# status 128 + the signal and that line on stdout.
# CFLAGS: -nostdlib -fno-pic -mno-abicalls
        .set noreorder
        .text
        .globl __start
__start:
        li      $a0, 1                  # write(1, message, length)
        la      $a1, message
        li      $a2, message_end - message
        li      $v0, 4004
        syscall
        li      $t0, 0x7fffffff
        li      $t1, 1
        .globl  fault_here
fault_here:
        add     $t2, $t0, $t1
        li      $a0, 0                  # not reached: exit(0)
        li      $v0, 4001
        syscall

        .section .rodata
message:
        .ascii  "before the fault\n"
message_end:
