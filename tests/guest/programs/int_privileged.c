// Instructions a user program may not run, each caught as SIGILL so the program goes on: the
// coprocessor 0 (privileged) instructions, the coprocessor 2 instructions (there is no
// coprocessor 2), words no instruction matches, and the UNPREDICTABLE cases for which
// qemu-mipsel raises Reserved Instruction: EXT with pos + size > 32, INS with msb < lsb, a branch
// in a delay slot and RDHWR of a register the CPU lacks.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf resume;

static void on_signal(int number)
{
    siglongjmp(resume, number);
}

#define TRY(label, text)                                                                         \
    do {                                                                                         \
        int signal_number = sigsetjmp(resume, 1);                                                \
        if (signal_number == 0) {                                                                \
            __asm__ volatile(".set push\n\t.set noreorder\n\t" text "\n\t.set pop" ::: "memory", "$2", "$3"); \
            printf("%s: no signal\n", label);                                                    \
        } else {                                                                                 \
            printf("%s: signal %d\n", label, signal_number);                                     \
        }                                                                                        \
    } while (0)

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction(SIGILL, &action, NULL);
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGTRAP, &action, NULL);

    TRY("mfc0", "mfc0 $2,$12");
    TRY("mfc0 select 1", "mfc0 $2,$16,1");
    TRY("mtc0", "mtc0 $0,$12");
    TRY("rdpgpr", "rdpgpr $2,$29");
    TRY("wrpgpr", "wrpgpr $2,$3");
    TRY("di", "di $2");
    TRY("ei", "ei");
    TRY("tlbr", "tlbr");
    TRY("tlbwi", "tlbwi");
    TRY("tlbwr", "tlbwr");
    TRY("tlbp", "tlbp");
    TRY("eret", "eret");
    TRY("deret", "deret");
    TRY("wait", "wait");
    TRY("cache", "cache 0x14,0($29)");

    TRY("mfc2", "mfc2 $2,$1");
    TRY("cfc2", "cfc2 $2,$1");
    TRY("mfhc2", ".word 0x48620800 # mfhc2 $2,$1");
    TRY("mtc2", "mtc2 $2,$1");
    TRY("ctc2", "ctc2 $2,$1");
    TRY("mthc2", ".word 0x48e20800 # mthc2 $2,$1");
    TRY("bc2f", ".word 0x49000001 # bc2f +8\n\tnop\n\tnop");
    TRY("bc2t", ".word 0x49010001 # bc2t +8\n\tnop\n\tnop");
    TRY("bc2fl", ".word 0x49020001 # bc2fl +8\n\tnop\n\tnop");
    TRY("bc2tl", ".word 0x49030001 # bc2tl +8\n\tnop\n\tnop");
    TRY("c2", "c2 0x123");
    TRY("lwc2", "lwc2 $1,0($29)");
    TRY("swc2", "swc2 $1,0($29)");
    TRY("ldc2", "ldc2 $1,0($29)");
    TRY("sdc2", "sdc2 $1,0($29)");

    TRY("reserved word 0xffffffff", ".word 0xffffffff");
    TRY("ext pos 7 size 30", ".word 0x7c62e9c0 # ext $2,$3,7,30");
    TRY("ins msb 3 lsb 7", ".word 0x7c6219c4 # ins $2,$3,7,-3");
    TRY("rdhwr $4", "rdhwr $2,$4");
    TRY("rdhwr $31", "rdhwr $2,$31");
    TRY("branch in a delay slot", "b 1f\n\tb 1f\n1:\tnop");
    return 0;
}
