# A branch in the delay slot of another branch is UNPREDICTABLE; qemu-mipsel raises Reserved
# Instruction (SIGILL), and so do we.
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
        b       1f
        b       2f                      # delay slot: a second branch
1:      nop
2:      nop
        li      $a0, 0                  # not reached: exit(0)
        li      $v0, 4001
        syscall

        .section .rodata
message:
        .ascii  "before the delay slot\n"
message_end:
