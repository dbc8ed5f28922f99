# A store to an unmapped address in the delay slot of a JALR: SIGSEGV, after the link is written.
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
        la      $t9, target
        jalr    $t9
        sw      $zero, 16($zero)        # delay slot: page 0 is not mapped
target:
        nop
        li      $a0, 0                  # not reached: exit(0)
        li      $v0, 4001
        syscall

        .section .rodata
message:
        .ascii  "before the delay slot\n"
message_end:
