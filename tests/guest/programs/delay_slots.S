# Delay-slot edge cases, without the C library: a load in a delay slot (its value reaches the
# target; a branch reads its register before the slot's load replaces it), a branch-likely not
# taken skipping its slot's store, JAL/JALR link values, BLTZAL/BGEZAL linking when not taken, a
# JR whose delay slot overwrites the jump register, a JALR whose slot reads the new link, and a
# branch to its own delay slot (the slot runs twice). Each case prints "name: value" in hex.
# CFLAGS: -nostdlib -fno-pic -mno-abicalls
        .set noreorder
        .set noat
        .text

# print(a0 = NUL-terminated name, a1 = value): writes "name: xxxxxxxx\n".
print:
        la      $t0, line
1:      lbu     $t1, 0($a0)             # copy the name
        beq     $t1, $zero, 2f
        addiu   $a0, $a0, 1             # delay slot: advance even when leaving
        sb      $t1, 0($t0)
        b       1b
        addiu   $t0, $t0, 1
2:      li      $t1, ':'
        sb      $t1, 0($t0)
        li      $t1, ' '
        sb      $t1, 1($t0)
        addiu   $t0, $t0, 2
        li      $t2, 28                 # shift for the next hex digit
3:      srlv    $t1, $a1, $t2
        andi    $t1, $t1, 15
        la      $t3, digits
        addu    $t3, $t3, $t1
        lbu     $t1, 0($t3)
        sb      $t1, 0($t0)
        addiu   $t0, $t0, 1
        bgtz    $t2, 3b
        addiu   $t2, $t2, -4
        li      $t1, 10
        sb      $t1, 0($t0)
        addiu   $t0, $t0, 1
        la      $a1, line
        subu    $a2, $t0, $a1
        li      $a0, 1
        li      $v0, 4004               # write(1, line, length)
        syscall
        jr      $ra
        nop

# Returns its caller's link in v0.
report_link:
        jr      $ra
        move    $v0, $ra

        .globl  __start
__start:
        # A load in the slot of a taken branch: the target sees the loaded value.
        la      $t5, data_word
        li      $s0, 0
        beq     $zero, $zero, 1f
        lw      $s0, 0($t5)
        li      $s0, 0x99               # skipped
1:      la      $a0, name_load_taken
        jal     print
        move    $a1, $s0

        # A load in the slot of a branch not taken: the fall-through sees it.
        la      $t5, data_word
        li      $s0, 0
        bne     $zero, $zero, 1f
        lw      $s0, 4($t5)
        addiu   $s0, $s0, 1
1:      la      $a0, name_load_not_taken
        jal     print
        move    $a1, $s0

        # The branch reads s0 before its slot's load replaces it: taken, s0 == 0 at the branch.
        la      $t5, data_word
        li      $s0, 0
        li      $s1, 0
        beq     $s0, $zero, 1f
        lw      $s0, 0($t5)
        li      $s1, 0xbad
1:      la      $a0, name_branch_before_load
        jal     print
        addu    $a1, $s0, $s1

        # A branch-likely not taken nullifies its slot: the store does not happen.
        la      $t5, scratch
        sw      $zero, 0($t5)
        li      $s0, 0x1234
        beql    $s0, $zero, 1f
        sw      $s0, 0($t5)
1:      la      $a0, name_likely_not_taken
        jal     print
        lw      $a1, 0($t5)

        # Taken, the slot's store does happen.
        la      $t5, scratch
        sw      $zero, 0($t5)
        li      $s0, 0x5678
        bnel    $s0, $zero, 1f
        sw      $s0, 0($t5)
1:      la      $a0, name_likely_taken
        jal     print
        lw      $a1, 0($t5)

        # BLTZALL not taken: it still links, and nullifies its slot.
        li      $s0, 1
        li      $s1, 0
        move    $ra, $zero
2:      bltzall $s0, 1f
        li      $s1, 0xbad
1:      la      $s2, 2b
        subu    $s2, $ra, $s2
        la      $a0, name_bltzall_not_taken
        jal     print
        addu    $a1, $s2, $s1

        # JAL and JALR: the link is the address after the delay slot.
2:      jal     report_link
        nop
        la      $s2, 2b
        la      $a0, name_jal_link
        jal     print
        subu    $a1, $v0, $s2
        la      $t9, report_link
2:      jalr    $t9
        nop
        la      $s2, 2b
        la      $a0, name_jalr_link
        jal     print
        subu    $a1, $v0, $s2

        # BLTZAL and BGEZAL link even when they do not branch.
        li      $s0, 1
        move    $ra, $zero
2:      bltzal  $s0, 1f
        nop
1:      la      $s2, 2b
        subu    $s2, $ra, $s2           # before the next JAL replaces $ra
        la      $a0, name_bltzal_not_taken
        jal     print
        move    $a1, $s2
        li      $s0, -1
        move    $ra, $zero
2:      bgezal  $s0, 1f
        nop
1:      la      $s2, 2b
        subu    $s2, $ra, $s2           # before the next JAL replaces $ra
        la      $a0, name_bgezal_not_taken
        jal     print
        move    $a1, $s2

        # JR whose slot overwrites the jump register: the jump goes where the register pointed.
        la      $s0, 1f
        li      $s1, 0
        jr      $s0
        la      $s0, 0                  # assembles to one instruction: the delay slot
        li      $s1, 0xbad
1:      la      $a0, name_jr_slot_writes_target
        jal     print
        addu    $a1, $s0, $s1

        # JALR whose slot reads $31: it sees the new link.
        la      $t9, 1f
        move    $s0, $zero
2:      jalr    $t9
        move    $s0, $ra
1:      la      $s2, 2b
        la      $a0, name_jalr_slot_reads_link
        jal     print
        subu    $a1, $s0, $s2

        # A branch to its own delay slot: the slot runs, then runs again as the target.
        li      $s0, 0
        beq     $zero, $zero, 1f
1:      addiu   $s0, $s0, 1
        la      $a0, name_branch_to_own_slot
        jal     print
        move    $a1, $s0

        li      $a0, 0
        li      $v0, 4001               # exit(0)
        syscall

        .data
        .align  2
data_word:
        .word   0x11223344, 0x55667788
scratch:
        .word   0
line:
        .space  128                     # longer than any name plus ": xxxxxxxx\n"
digits:
        .ascii  "0123456789abcdef"
name_load_taken:                .asciz "load in the slot of a taken branch"
name_load_not_taken:            .asciz "load in the slot of a branch not taken, plus one"
name_branch_before_load:        .asciz "branch reads its register before the slot loads it"
name_likely_not_taken:          .asciz "beql not taken, store in its slot"
name_likely_taken:              .asciz "bnel taken, store in its slot"
name_bltzall_not_taken:         .asciz "bltzall not taken: link offset, plus 0xbad if its slot ran"
name_jal_link:                  .asciz "jal link offset"
name_jalr_link:                 .asciz "jalr link offset"
name_bltzal_not_taken:          .asciz "bltzal not taken: link offset"
name_bgezal_not_taken:          .asciz "bgezal not taken: link offset"
name_jr_slot_writes_target:     .asciz "jr whose slot zeroes the target register"
name_jalr_slot_reads_link:      .asciz "jalr whose slot reads the link: offset"
name_branch_to_own_slot:        .asciz "branch to its own delay slot: slot runs"
