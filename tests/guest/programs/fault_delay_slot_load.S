# A load fault in a branch delay slot: SIGSEGV, reported at the slot's instruction.
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
        b       after
        .globl  fault_here
fault_here:
        lw      $t0, 0($zero)           # delay slot
after:
        li      $a0, 0                  # not reached: exit(0)
        li      $v0, 4001
        syscall

        .section .rodata
message:
        .ascii  "before the fault\n"
message_end:
