// Every branch and jump, taken and not taken: BEQ BNE BLEZ BGTZ BLTZ BGEZ and their likely forms,
// the linking BLTZAL BGEZAL BLTZALL BGEZALL, and J JAL JR JR.HB JALR JALR.HB.
// Each test counts what ran: the delay slot adds 1, the fall-through path adds 2, so a taken
// branch gives 1, a branch not taken 3, and a branch-likely not taken 2 (its slot is nullified).
// Linking forms also report where $31 points, relative to the branch: 8, taken or not.
// Built without PIC so that J and JAL stay J and JAL.
// CFLAGS: -fno-pic -mno-abicalls
#include <stdint.h>
#include <stdio.h>

static const uint32_t values[] = {0, 1, 5, 0xffffffff, 0xfffffffb, 0x7fffffff, 0x80000000};
#define COUNT (sizeof values / sizeof values[0])

#define TWO_REGISTERS(op)                                                                        \
    static uint32_t op##_test(uint32_t s, uint32_t t)                                            \
    {                                                                                            \
        uint32_t r;                                                                              \
        __asm__ volatile(".set push\n\t.set noreorder\n\t"                                       \
                         "li %0,0\n\t" #op " %1,%2,1f\n\t"                                       \
                         "addiu %0,%0,1\n\t"                                                     \
                         "addiu %0,%0,2\n"                                                       \
                         "1:\n\t.set pop"                                                        \
                         : "=&r"(r)                                                              \
                         : "r"(s), "r"(t));                                                      \
        return r;                                                                                \
    }

#define ONE_REGISTER(op)                                                                         \
    static uint32_t op##_test(uint32_t s)                                                        \
    {                                                                                            \
        uint32_t r;                                                                              \
        __asm__ volatile(".set push\n\t.set noreorder\n\t"                                       \
                         "li %0,0\n\t" #op " %1,1f\n\t"                                          \
                         "addiu %0,%0,1\n\t"                                                     \
                         "addiu %0,%0,2\n"                                                       \
                         "1:\n\t.set pop"                                                        \
                         : "=&r"(r)                                                              \
                         : "r"(s));                                                              \
        return r;                                                                                \
    }

// The link minus the branch's own address goes to *link.
#define LINKING(op)                                                                              \
    static uint32_t op##_test(uint32_t s, uint32_t* link)                                        \
    {                                                                                            \
        uint32_t r;                                                                              \
        __asm__ volatile(".set push\n\t.set noreorder\n\t"                                       \
                         "li %0,0\n\t"                                                           \
                         "move $31,$0\n"                                                         \
                         "2:\t" #op " %2,1f\n\t"                                                 \
                         "addiu %0,%0,1\n\t"                                                     \
                         "addiu %0,%0,2\n"                                                       \
                         "1:\tla %1,2b\n\t"                                                      \
                         "subu %1,$31,%1\n\t.set pop"                                            \
                         : "=&r"(r), "=&r"(*link)                                                \
                         : "r"(s)                                                                \
                         : "$31");                                                               \
        return r;                                                                                \
    }

TWO_REGISTERS(beq)
TWO_REGISTERS(bne)
TWO_REGISTERS(beql)
TWO_REGISTERS(bnel)
ONE_REGISTER(blez)
ONE_REGISTER(bgtz)
ONE_REGISTER(bltz)
ONE_REGISTER(bgez)
ONE_REGISTER(blezl)
ONE_REGISTER(bgtzl)
ONE_REGISTER(bltzl)
ONE_REGISTER(bgezl)
LINKING(bltzal)
LINKING(bgezal)
LINKING(bltzall)
LINKING(bgezall)

// Unconditional transfers: the slot runs, the fall-through does not.
static void jumps(void)
{
    uint32_t r, link, scratch;
    __asm__ volatile(".set push\n\t.set noreorder\n\tli %0,0\n\tj 1f\n\taddiu %0,%0,1\n\taddiu %0,%0,2\n1:\n\t.set pop"
                     : "=&r"(r));
    printf("j -> %u\n", r);
    __asm__ volatile(".set push\n\t.set noreorder\n\tli %0,0\n\tmove $31,$0\n2:\tjal 1f\n\taddiu %0,%0,1\n\t"
                     "addiu %0,%0,2\n1:\tla %1,2b\n\tsubu %1,$31,%1\n\t.set pop"
                     : "=&r"(r), "=&r"(link)::"$31");
    printf("jal -> %u, link %+d\n", r, (int32_t)link);
    __asm__ volatile(".set push\n\t.set noreorder\n\tli %0,0\n\tla %1,1f\n\tjr %1\n\taddiu %0,%0,1\n\taddiu %0,%0,2\n"
                     "1:\n\t.set pop"
                     : "=&r"(r), "=&r"(scratch));
    printf("jr -> %u\n", r);
    __asm__ volatile(".set push\n\t.set noreorder\n\tli %0,0\n\tla %1,1f\n\tjr.hb %1\n\taddiu %0,%0,1\n\t"
                     "addiu %0,%0,2\n1:\n\t.set pop"
                     : "=&r"(r), "=&r"(scratch));
    printf("jr.hb -> %u\n", r);
    // JR whose delay slot overwrites the jump register: the target was read already.
    __asm__ volatile(".set push\n\t.set noreorder\n\tli %0,0\n\tla %1,1f\n\tjr %1\n\tli %1,0\n\taddiu %0,%0,2\n"
                     "1:\taddiu %0,%0,4\n\t.set pop"
                     : "=&r"(r), "=&r"(scratch));
    printf("jr, slot clobbers the register -> %u (register now %u)\n", r, scratch);
    __asm__ volatile(".set push\n\t.set noreorder\n\tli %0,0\n\tla %1,1f\n2:\tjalr %1\n\taddiu %0,%0,1\n\t"
                     "addiu %0,%0,2\n1:\tla %1,2b\n\tsubu %1,$31,%1\n\t.set pop"
                     : "=&r"(r), "=&r"(link)::"$31");
    printf("jalr -> %u, link %+d\n", r, (int32_t)link);
    __asm__ volatile(".set push\n\t.set noreorder\n\tli %0,0\n\tla %1,1f\n2:\tjalr.hb %1\n\taddiu %0,%0,1\n\t"
                     "addiu %0,%0,2\n1:\tla %1,2b\n\tsubu %1,$31,%1\n\t.set pop"
                     : "=&r"(r), "=&r"(link)::"$31");
    printf("jalr.hb -> %u, link %+d\n", r, (int32_t)link);
    // JALR with a destination other than $31, and a delay slot that reads the new link.
    __asm__ volatile(".set push\n\t.set noreorder\n\tla %1,1f\n2:\tjalr %2,%1\n\tmove %0,%2\n\tnop\n"
                     "1:\tla %1,2b\n\tsubu %1,%0,%1\n\t.set pop"
                     : "=&r"(r), "=&r"(link), "=&r"(scratch));
    printf("jalr rd: the slot sees link %+d\n", (int32_t)link);
    // JALR with rd == rs is UNPREDICTABLE: qemu-mipsel jumps to the register's old value.
    __asm__ volatile(".set push\n\t.set noreorder\n\tla $8,1f\n\t.word 0x01004009 # jalr $8,$8\n\tnop\n\t"
                     "li %0,1\n\tb 2f\n\tnop\n1:\tli %0,2\n2:\n\t.set pop"
                     : "=&r"(r)::"$8");
    printf("jalr rd == rs went to %s\n", r == 2 ? "the old rs" : "the link");
    // bal and b are BGEZAL and BEQ on $0.
    __asm__ volatile(".set push\n\t.set noreorder\n\tli %0,0\n\tmove $31,$0\n2:\tbal 1f\n\taddiu %0,%0,1\n\t"
                     "addiu %0,%0,2\n1:\tla %1,2b\n\tsubu %1,$31,%1\n\tb 3f\n\taddiu %0,%0,4\n\taddiu %0,%0,8\n3:\n\t"
                     ".set pop"
                     : "=&r"(r), "=&r"(link)::"$31");
    printf("bal, b -> %u, link %+d\n", r, (int32_t)link);
}

int main(void)
{
    for (unsigned i = 0; i < COUNT; ++i) {
        uint32_t s = values[i];
        printf("%08x: blez %u bgtz %u bltz %u bgez %u blezl %u bgtzl %u bltzl %u bgezl %u\n", s, blez_test(s),
               bgtz_test(s), bltz_test(s), bgez_test(s), blezl_test(s), bgtzl_test(s), bltzl_test(s), bgezl_test(s));
        uint32_t link;
        uint32_t result = bltzal_test(s, &link);
        printf("%08x: bltzal %u link %+d", s, result, (int32_t)link);
        result = bgezal_test(s, &link);
        printf(" bgezal %u link %+d", result, (int32_t)link);
        result = bltzall_test(s, &link);
        printf(" bltzall %u link %+d", result, (int32_t)link);
        result = bgezall_test(s, &link);
        printf(" bgezall %u link %+d\n", result, (int32_t)link);
        for (unsigned j = 0; j < COUNT; j += 2) {
            uint32_t t = values[j];
            printf("%08x %08x: beq %u bne %u beql %u bnel %u\n", s, t, beq_test(s, t), bne_test(s, t), beql_test(s, t),
                   bnel_test(s, t));
        }
    }
    jumps();
    return 0;
}
