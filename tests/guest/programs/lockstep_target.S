# A short program with known instructions at known places, for the lockstep mode's planted
# divergence tests (tests/jit/check_lockstep.py): the block at __start sets t0 with ADDIU and
# stores it with SW. ISOMORPH_JIT_PLANT_DIVERGENCE=ADDIU makes the translator compute t0 = 6;
# =SW makes it store t1 (7) instead of t0 (5). Unplanted, it prints one line and exits with 0.
# CFLAGS: -nostdlib -fno-pic -mno-abicalls
        .set noreorder
        .text
        .globl __start
__start:
        addiu   $t0, $zero, 5
        ori     $t1, $zero, 7
        lui     $t2, %hi(word)
        sw      $t0, %lo(word)($t2)
        lw      $t3, %lo(word)($t2)
        ori     $a0, $zero, 1           # write(1, message, length)
        lui     $a1, %hi(message)
        ori     $a1, $a1, %lo(message)
        ori     $a2, $zero, message_end - message
        ori     $v0, $zero, 4004
        syscall
        subu    $a0, $t3, $t0           # exit(0): the word holds t0
        ori     $v0, $zero, 4001
        syscall

        .data
        .align  2
word:
        .word   0

        .section .rodata
message:
        .ascii  "lockstep target\n"
message_end:
