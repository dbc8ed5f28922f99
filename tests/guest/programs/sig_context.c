// Handlers that read and change the interrupted state through the o32 ucontext and sigcontext:
// siginfo codes and addresses for SIGSEGV, SIGBUS, SIGILL, SIGTRAP and integer SIGFPE; a handler
// that skips the faulting instruction by advancing the saved pc; one that changes a saved
// register the program then sees; the old-style handler whose third argument is the
// sigcontext; and the frame's place below the interrupted stack pointer.
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int last_signal, last_code;
static volatile uintptr_t last_address, last_pc;
static volatile uint32_t seen_t0;
static volatile long frame_below;
static char* page;

static void skip_instruction(int number, siginfo_t* info, void* context)
{
    ucontext_t* user_context = context;
    last_signal = number;
    last_code = info->si_code;
    last_address = (uintptr_t)info->si_addr;
    last_pc = (uintptr_t)user_context->uc_mcontext.pc;
    seen_t0 = (uint32_t)user_context->uc_mcontext.gregs[8];
    // The frame lies below the interrupted stack pointer.
    frame_below = (uintptr_t)context < (uintptr_t)user_context->uc_mcontext.gregs[29];
    user_context->uc_mcontext.pc += 4;
    // The handler's change of $t1 shows after the return.
    user_context->uc_mcontext.gregs[9] = 0x5eed0000 + number;
}

// Runs one instruction that faults, with $t0 preset, and reports what the handler saw.
#define FAULT(label, instruction, ...)                                                           \
    do {                                                                                         \
        uint32_t t1_after;                                                                       \
        uintptr_t here;                                                                          \
        last_signal = 0;                                                                         \
        __asm__ volatile(".set push\n.set noreorder\n"                                         \
                         "li $t0, 0x1234\n"                                                     \
                         "move $t1, $zero\n"                                                    \
                         "la %1, 1f\n"                                                          \
                         "1: " instruction "\n"                                                 \
                         "move %0, $t1\n"                                                       \
                         ".set pop"                                                              \
                         : "=r"(t1_after), "=&r"(here)                                           \
                         : __VA_ARGS__                                                           \
                         : "t0", "t1", "memory");                                                \
        printf("%-12s signal %d code %d address %s pc %s t0 %x t1 %08x frame below sp %ld\n", label,  \
               last_signal, last_code,                                                           \
               last_address == 0 ? "0" : last_address == here ? "pc" : "data",                   \
               last_pc == here ? "ok" : "wrong", seen_t0, t1_after, frame_below);                \
    } while (0)

static int old_style_signal;
static uint32_t old_style_pc_ok;
static uintptr_t old_style_fault_pc;

static void old_style(int number, int code, struct sigcontext* context)
{
    old_style_signal = number;
    old_style_pc_ok = context->sc_pc == old_style_fault_pc;
    (void)code;
    context->sc_pc += 4;
}

int main(void)
{
    page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = skip_instruction;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGILL, &action, NULL);
    sigaction(SIGTRAP, &action, NULL);
    sigaction(SIGFPE, &action, NULL);

    FAULT("unmapped", "lw $t1, 0(%2)", "r"(16));
    FAULT("read-only", "sw $t0, 0(%2)", "r"(page));
    FAULT("unaligned", "lw $t1, 1(%2)", "r"(page));
    FAULT("break", "break 3", "r"(0));
    FAULT("teq", "teq $zero, $zero", "r"(0));
    FAULT("overflow", "add $t1, %2, %2", "r"(0x7fffffff));
    FAULT("reserved", ".word 0x7c00003f", "r"(0));
    printf("last address matches %d\n", last_address == 0);

    // Without SA_SIGINFO: (signal, 0, &sigcontext).
    memset(&action, 0, sizeof action);
    action.sa_handler = (void (*)(int))old_style;
    sigaction(SIGSEGV, &action, NULL);
    __asm__ volatile(".set push\n.set noreorder\nla %0, 1f\nsw %0, 0(%1)\n1: lw $t1, 0($zero)\n.set pop"
                     : "=&r"(old_style_fault_pc)
                     : "r"(&old_style_fault_pc)
                     : "t1", "memory");
    printf("old style: signal %d pc ok %u\n", old_style_signal, old_style_pc_ok);
    return 0;
}
