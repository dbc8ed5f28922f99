# TEQ with code 7 is the compiler's divide-by-zero check; Linux's do_trap_or_bp() sends SIGFPE.
# qemu-mipsel 7.2 sends SIGTRAP, so tests/cli checks the status (136) instead of comparing with qemu.
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
        .globl  fault_here
fault_here:
        teq     $zero, $zero, 7
        li      $a0, 0                  # not reached: exit(0)
        li      $v0, 4001
        syscall

        .section .rodata
message:
        .ascii  "before the fault\n"
message_end:
