// The conditional traps, register and immediate forms (TGE TGEU TLT TLTU TEQ TNE TGEI TGEIU
// TLTI TLTIU TEQI TNEI), on operands that trap and operands that do not, and BREAK with several
// codes. A trap is caught as SIGTRAP, so the program goes on. Codes 6 and 7 (the compiler's
// overflow and divide-by-zero conventions) are left to other tests.
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf resume;

static void on_signal(int number)
{
    siglongjmp(resume, number);
}

static const uint32_t values[] = {0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 5};
#define COUNT (sizeof values / sizeof values[0])

// Runs the statement and prints which signal (if any) it raised.
#define OUTCOME(label, statement)                                                                \
    do {                                                                                         \
        int signal_number = sigsetjmp(resume, 1);                                                \
        if (signal_number == 0) {                                                                \
            statement;                                                                           \
        }                                                                                        \
        printf(" %s:%d", label, signal_number);                                                  \
    } while (0)

#define REGISTER_TRAP(op, s, t) OUTCOME(#op, __asm__ volatile(#op " %0,%1,0x2a" ::"r"(s), "r"(t)))
#define IMMEDIATE_TRAP(op, s, immediate) OUTCOME(#op, __asm__ volatile(#op " %0,%1" ::"r"(s), "i"(immediate)))

#define IMMEDIATE_ROW(immediate)                                                                 \
    for (unsigned i = 0; i < COUNT; ++i) {                                                       \
        uint32_t s = values[i];                                                                  \
        printf("%08x," #immediate ":", s);                                                       \
        IMMEDIATE_TRAP(tgei, s, immediate);                                                      \
        IMMEDIATE_TRAP(tgeiu, s, immediate);                                                     \
        IMMEDIATE_TRAP(tlti, s, immediate);                                                      \
        IMMEDIATE_TRAP(tltiu, s, immediate);                                                     \
        IMMEDIATE_TRAP(teqi, s, immediate);                                                      \
        IMMEDIATE_TRAP(tnei, s, immediate);                                                      \
        printf("\n");                                                                            \
    }

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction(SIGTRAP, &action, NULL);
    sigaction(SIGFPE, &action, NULL);

    for (unsigned i = 0; i < COUNT; ++i) {
        for (unsigned j = 0; j < COUNT; ++j) {
            uint32_t s = values[i], t = values[j];
            printf("%08x %08x:", s, t);
            REGISTER_TRAP(tge, s, t);
            REGISTER_TRAP(tgeu, s, t);
            REGISTER_TRAP(tlt, s, t);
            REGISTER_TRAP(tltu, s, t);
            REGISTER_TRAP(teq, s, t);
            REGISTER_TRAP(tne, s, t);
            printf("\n");
        }
    }
    IMMEDIATE_ROW(0)
    IMMEDIATE_ROW(1)
    IMMEDIATE_ROW(-1)
    IMMEDIATE_ROW(5)
    IMMEDIATE_ROW(-32768)

    printf("break:");
    OUTCOME("break", __asm__ volatile("break"));
    OUTCOME("break 1", __asm__ volatile("break 1"));
    OUTCOME("break 0x3ff,0x3ff", __asm__ volatile("break 0x3ff,0x3ff"));
    OUTCOME("teq code 0", __asm__ volatile("teq $0,$0"));
    printf("\n");
    return 0;
}
