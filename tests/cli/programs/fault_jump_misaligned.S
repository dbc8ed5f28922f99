# A jump to an address that is not a multiple of 4 is an address error on the fetch; Linux's
# do_ade() sends SIGBUS. qemu-mipsel 7.2 aborts on it, so tests/cli checks the status (135) instead
# of comparing with qemu.
# It prints one line, then faults at fault_here.
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
        la      $t1, __start + 2
        jr      $t1
        nop
        .globl  fault_here
fault_here:
        li      $a0, 0                  # not reached: exit(0)
        li      $v0, 4001
        syscall

        .section .rodata
message:
        .ascii  "before the fault\n"
message_end:
