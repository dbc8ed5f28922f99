# A jump into the heap (memory from brk, read and write) faults on the fetch: SIGSEGV.
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
        li      $a0, 0                  # brk(0): the current break
        li      $v0, 4045
        syscall
        move    $s0, $v0
        addiu   $a0, $s0, 4096          # brk(break + 4096)
        li      $v0, 4045
        syscall
        li      $t0, 0x03e00008         # jr $ra
        sw      $t0, 0($s0)
        sw      $zero, 4($s0)           # nop
        jalr    $s0
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
