// A SIGFPE handler for enabled FPU exceptions reads si_code (FPE_FLTDIV, FPE_FLTINV, FPE_FLTOVF)
// and the faulting pc, and skips the instruction by advancing the saved pc. (The saved FCSR is
// not printed: qemu-mipsel leaves sc_fpc_csr zero where the kernel stores FCSR.)
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static volatile int last_code;
static volatile uintptr_t fault_pc;

static void on_fpe(int number, siginfo_t* info, void* context)
{
    ucontext_t* user_context = context;
    (void)number;
    last_code = info->si_code;
    fault_pc = (uintptr_t)info->si_addr;
    user_context->uc_mcontext.pc += 4;
}

static void set_fcsr(uint32_t value) { __asm__ volatile("ctc1 %0, $31" ::"r"(value)); }

static uint32_t get_fcsr(void)
{
    uint32_t value;
    __asm__ volatile("cfc1 %0, $31" : "=r"(value));
    return value;
}

#define OPERATION(label, instruction, first, second)                                             \
    do {                                                                                         \
        double a = first, b = second, result = 42.0;                                             \
        uintptr_t here;                                                                          \
        last_code = 0;                                                                           \
        __asm__ volatile("la %1, 1f\n1: " instruction " %0, %2, %3"                               \
                         : "+f"(result), "=&r"(here)                                             \
                         : "f"(a), "f"(b));                                                      \
        printf("%-10s code %d at pc %d result %g\n", label, last_code, fault_pc == here, result);  \
    } while (0)

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fpe;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &action, NULL);

    set_fcsr(0x1f << 7 & ~(1 << 7)); // V Z O U enabled, not I
    OPERATION("divide", "div.d", 1.0, 0.0);
    OPERATION("invalid", "div.d", 0.0, 0.0);
    OPERATION("overflow", "mul.d", 1e300, 1e300);
    OPERATION("fine", "add.d", 1.0, 2.0);
    printf("fcsr after %08x\n", get_fcsr() & ~0x7cu);
    set_fcsr(0);
    return 0;
}
