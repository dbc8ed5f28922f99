# A misaligned load in the delay slot of a taken branch-likely: SIGBUS.
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
        li      $t0, 1
        bnel    $t0, $zero, 1f
        lw      $t1, 1($sp)             # delay slot: address not word aligned
1:      nop
        li      $a0, 0                  # not reached: exit(0)
        li      $v0, 4001
        syscall

        .section .rodata
message:
        .ascii  "before the delay slot\n"
message_end:
