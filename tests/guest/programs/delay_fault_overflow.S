# ADD overflowing in the delay slot of BAL: Integer Overflow, SIGFPE.
# It prints one line, then the instruction in the delay slot raises the exception; the run must
# end as under qemu-mipsel: status 128 + the signal, and that line on stdout.
# CFLAGS: -nostdlib -fno-pic -mno-abicalls
        .set noreorder
        .set noat
        .text
        .globl __start
__start:
        li      $a0, 1                  # write(1, message, length)
        la      $a1, message
        li      $a2, message_end - message
        li      $v0, 4004
        syscall
        li      $t0, 0x7fffffff
        bal     1f
        add     $t1, $t0, $t0           # delay slot: 0x7fffffff + 0x7fffffff overflows
1:      nop
        li      $a0, 0                  # not reached: exit(0)
        li      $v0, 4001
        syscall

        .section .rodata
message:
        .ascii  "before the delay slot\n"
message_end:
