// ADD, SUB and ADDI on operands that overflow raise Integer Overflow (SIGFPE) and leave the
// destination register unchanged; the signal context shows the destination's old value and the
// faulting instruction's address. The operands that do not overflow are in int_alu.c.
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf resume;
static volatile uint32_t destination_in_context;
static volatile uint32_t pc_in_context;
static volatile uint32_t instruction_address;

static void on_signal(int number, siginfo_t* info, void* context)
{
    (void)info;
    ucontext_t* user_context = context;
    destination_in_context = (uint32_t)user_context->uc_mcontext.gregs[9]; // $t1
    pc_in_context = (uint32_t)user_context->uc_mcontext.pc;
    siglongjmp(resume, number);
}

// Runs "op $t1,$t2,<second>" with $t1 preset; reports the signal, the context's $t1 and where
// the context's pc is relative to the instruction.
#define OVERFLOW_CASE(label, instruction, s, t)                                                  \
    do {                                                                                         \
        uint32_t result = 0;                                                                     \
        int signal_number = sigsetjmp(resume, 1);                                                \
        if (signal_number == 0) {                                                                \
            __asm__ volatile("li $9,0x5a5a5a5a\n\tmove $10,%1\n\tmove $11,%2\n\t"               \
                             "la $12,1f\n\tsw $12,%3\n1:\t" instruction "\n\tmove %0,$9"         \
                             : "=r"(result)                                                      \
                             : "r"(s), "r"(t), "m"(instruction_address)                          \
                             : "$9", "$10", "$11", "$12", "memory");                             \
            printf("%s: no signal, result %08x\n", label, result);                              \
        } else {                                                                                 \
            printf("%s: signal %d, $t1 %08x, pc at instruction %+d\n", label, signal_number,     \
                   destination_in_context, (int)(pc_in_context - instruction_address));         \
        }                                                                                        \
    } while (0)

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_signal;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &action, NULL);

    OVERFLOW_CASE("add 7fffffff+1", "add $9,$10,$11", 0x7fffffff, 1);
    OVERFLOW_CASE("add 80000000+ffffffff", "add $9,$10,$11", 0x80000000, 0xffffffff);
    OVERFLOW_CASE("add 80000000+80000000", "add $9,$10,$11", 0x80000000, 0x80000000);
    OVERFLOW_CASE("add 7fffffff+80000000", "add $9,$10,$11", 0x7fffffff, 0x80000000);
    OVERFLOW_CASE("sub 80000000-1", "sub $9,$10,$11", 0x80000000, 1);
    OVERFLOW_CASE("sub 7fffffff-ffffffff", "sub $9,$10,$11", 0x7fffffff, 0xffffffff);
    OVERFLOW_CASE("sub 0-80000000", "sub $9,$10,$11", 0, 0x80000000);
    OVERFLOW_CASE("sub ffffffff-80000000", "sub $9,$10,$11", 0xffffffff, 0x80000000);
    OVERFLOW_CASE("addi 7fffffff+1", "addi $9,$10,1", 0x7fffffff, 0);
    OVERFLOW_CASE("addi 7fff8000+32767", "addi $9,$10,32767", 0x7fff8000, 0);
    OVERFLOW_CASE("addi 80000000-1", "addi $9,$10,-1", 0x80000000, 0);
    OVERFLOW_CASE("addi 80007fff-32768", "addi $9,$10,-32768", 0x80007fff, 0);
    // Overflow into $0: the trap still happens.
    OVERFLOW_CASE("add to $0", "add $0,$10,$11", 0x7fffffff, 0x7fffffff);
    return 0;
}
