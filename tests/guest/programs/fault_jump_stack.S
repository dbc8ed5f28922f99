# A jump to code written on the stack faults when the stack is not executable
# (PT_GNU_STACK without PF_X): SIGSEGV.
# It prints one line, then faults at fault_here; the run must end as under qemu-mipsel, with
# status 128 + the signal and that line on stdout.
# CFLAGS: -nostdlib -fno-pic -mno-abicalls -Wl,-z,noexecstack
        .set noreorder
        .text
        .globl __start
__start:
        li      $a0, 1                  # write(1, message, length)
        la      $a1, message
        li      $a2, message_end - message
        li      $v0, 4004
        syscall
        addiu   $sp, $sp, -16
        li      $t0, 0x03e00008         # jr $ra
        sw      $t0, 0($sp)
        sw      $zero, 4($sp)           # nop
        jalr    $sp
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
