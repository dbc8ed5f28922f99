# A system call with more than four arguments reads the rest from the guest stack at sp + 16;
# with sp pointing at unmapped memory, the call must fail with EFAULT (v0 = 14, a3 = 1) and
# not touch the host. The program exits with v0 + 100 * a3: 114.
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
        li      $sp, 0x10000000         # unmapped
        li      $a0, 0                  # mmap2(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, [sp + 16], [sp + 20])
        li      $a1, 4096
        li      $a2, 1
        li      $a3, 0x802
        li      $v0, 4210
        .globl  fault_here
fault_here:
        syscall
        li      $t0, 100
        mul     $t0, $t0, $a3
        addu    $a0, $v0, $t0           # exit(v0 + 100 * a3)
        li      $v0, 4001
        syscall

        .section .rodata
message:
        .ascii  "before the system call\n"
message_end:
