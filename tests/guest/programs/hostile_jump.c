// A hostile guest that jumps to places holding no code: unmapped memory, page 0, its data, its
// heap, a read-only and a read-write anonymous mapping, and a page it
// has just unmapped. Each jump faults with SIGSEGV at the target (the handler sees the target
// as the faulting pc and address) and the handler returns to a recovery point, so the program
// goes on and ends normally. (Kernel addresses and a non-executable stack are in the fault_jump_*
// programs; the top page of user space holds Isomorph's signal return code, as a vDSO would.)
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf recovery;
static volatile int fault_signal;
static volatile int fault_code;
static volatile uintptr_t fault_address;
static volatile uintptr_t fault_pc;

static void on_fault(int signal, siginfo_t* information, void* context)
{
    ucontext_t* user_context = context;
    fault_signal = signal;
    fault_code = information->si_code;
    fault_address = (uintptr_t)information->si_addr;
    fault_pc = (uintptr_t)user_context->uc_mcontext.pc;
    siglongjmp(recovery, 1);
}

static unsigned data_words[1024] __attribute__((aligned(4096))) = {0x03e00008}; // jr ra

static void jump_to(const char* what, uintptr_t target)
{
    fault_signal = 0;
    if (sigsetjmp(recovery, 1) == 0) {
        ((void (*)(void))target)();
        printf("%-28s returned\n", what);
        return;
    }
    printf("%-28s signal %d, code %d, pc %s, address %s\n", what, fault_signal, fault_code,
           fault_pc == target ? "= target" : "other", fault_address == target ? "= target" : "other");
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGILL, &action, NULL);

    unsigned* heap_words = malloc(64);
    heap_words[0] = 0x03e00008;
    unsigned* read_only = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    read_only[0] = 0x03e00008;
    mprotect(read_only, 4096, PROT_READ);
    unsigned* read_write = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    read_write[0] = 0x03e00008;
    unsigned* unmapped = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unmapped[0] = 0x03e00008;
    munmap(unmapped, 4096);

    for (int round = 0; round < 2; ++round) { // twice: a cached translation must fault again
        jump_to("page 0", 0);
        jump_to("unmapped 0x10000000", 0x10000000u);
        jump_to("unmapped 0x20000000", 0x20000000u);
        jump_to("data", (uintptr_t)data_words);
        jump_to("heap", (uintptr_t)heap_words);
        jump_to("read-only mapping", (uintptr_t)read_only);
        jump_to("read-write mapping", (uintptr_t)read_write);
        jump_to("unmapped after munmap", (uintptr_t)unmapped);
    }
    // An executable mapping really runs, after all those faults.
    unsigned* code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    code[0] = 0x03e00008; // jr ra
    code[1] = 0x24020000 | 42; // li v0, 42 (in the delay slot)
    __builtin___clear_cache((char*)code, (char*)(code + 2));
    printf("executable mapping returns %d\n", ((int (*)(void))code)());
    return 0;
}
