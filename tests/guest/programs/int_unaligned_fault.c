// LWL, LWR, SWL and SWR that fault report the effective address (si_addr, from BadVAddr) at each
// of the four byte offsets: loads from page 0, which is never mapped, and stores to read-only
// data. The signal is caught so every case runs.
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf resume;
static volatile uintptr_t fault_address;
static const char read_only[64] __attribute__((aligned(16))) = "read-only";

static void on_signal(int number, siginfo_t* info, void* context)
{
    (void)context;
    fault_address = (uintptr_t)info->si_addr;
    siglongjmp(resume, number);
}

#define FAULT(label, statement, base)                                                            \
    do {                                                                                         \
        fault_address = 0;                                                                       \
        int signal_number = sigsetjmp(resume, 1);                                                \
        if (signal_number == 0) {                                                                \
            statement;                                                                           \
        }                                                                                        \
        printf("%s +%u: signal %d, address %+d\n", label, offset, signal_number,                 \
               (int)(fault_address - (uintptr_t)(base)));                                        \
    } while (0)

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_signal;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);

    const uintptr_t unmapped = 0x100;
    const char* target = read_only + 16;
    for (unsigned offset = 0; offset < 4; ++offset) {
        uint32_t value = 0;
        FAULT("lwl", __asm__ volatile("lwl %0,0(%1)" : "+r"(value) : "r"(unmapped + offset) : "memory"), unmapped);
        FAULT("lwr", __asm__ volatile("lwr %0,0(%1)" : "+r"(value) : "r"(unmapped + offset) : "memory"), unmapped);
        FAULT("swl", __asm__ volatile("swl %0,0(%1)" ::"r"(0x11223344), "r"(target + offset) : "memory"), target);
        FAULT("swr", __asm__ volatile("swr %0,0(%1)" ::"r"(0x11223344), "r"(target + offset) : "memory"), target);
    }
    printf("read-only data unchanged: %s\n", read_only);
    return 0;
}
