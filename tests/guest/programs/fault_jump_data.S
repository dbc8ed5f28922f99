# A jump into .data (mapped read and write, not execute) faults on the fetch: SIGSEGV.
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
        la      $t1, code_in_data
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

        .data
        .align  2
code_in_data:                           # valid code on a page that is not executable
        jr      $ra
        nop
