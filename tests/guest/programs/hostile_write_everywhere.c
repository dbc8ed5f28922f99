// A hostile guest that tries to write to every page of its 2 GiB address space: for each page,
// a load of its first byte and, when that worked, a store of the same byte back, both recovered
// from SIGSEGV by a handler that steps over the faulting instruction. Storing back the byte
// that was read changes nothing the program relies on, so it ends normally and prints facts
// that do not depend on where the emulator places the stack or the heap.
// Its 520,000 recovered faults take about a second per engine in the normal build but more than
// two minutes in the ASan+UBSan build, so the sanitizer stage of scripts/test leaves it out.
// LABELS: no-sanitize
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

static volatile int faults;
static volatile uintptr_t last_fault_address;

static void on_fault(int signal, siginfo_t* information, void* context)
{
    (void)signal;
    ucontext_t* user_context = context;
    ++faults;
    last_fault_address = (uintptr_t)information->si_addr;
    user_context->uc_mcontext.pc += 4; // the probe's load or store is never in a delay slot
}

// Returns 1 when the byte at address could be read, and then 2 more when it could be written.
static int probe(uintptr_t address)
{
    int before = faults;
    unsigned value = 0;
    __asm__ volatile(".set push\n\t.set noreorder\n\t"
                     "lbu %0, 0(%1)\n\t"
                     "nop\n\t"
                     ".set pop"
                     : "+r"(value)
                     : "r"(address)
                     : "memory");
    if (faults != before)
        return 0;
    __asm__ volatile(".set push\n\t.set noreorder\n\t"
                     "sb %0, 0(%1)\n\t"
                     "nop\n\t"
                     ".set pop"
                     :
                     : "r"(value), "r"(address)
                     : "memory");
    return faults != before ? 1 : 3;
}

static unsigned char data_page[4096] __attribute__((aligned(4096))) = {1};

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);

    unsigned long pages = 0, readable = 0, writable = 0;
    for (uintptr_t address = 0; address < 0x80000000u; address += 4096) {
        int result = probe(address);
        ++pages;
        readable += result != 0;
        writable += result == 3;
    }
    printf("probed %lu pages\n", pages);
    printf("some pages readable: %s, some writable: %s, some neither: %s\n", readable ? "yes" : "no",
           writable ? "yes" : "no", pages - readable ? "yes" : "no");
    int stack_variable = 7;
    char* heap = malloc(100000);
    printf("page 0: %d, text: %d, data: %d, stack: %d, heap: %d, kernel 0x80000000: %d, 0xfffff000: %d\n",
           probe(0), probe((uintptr_t)main & ~3u), probe((uintptr_t)data_page), probe((uintptr_t)&stack_variable),
           probe((uintptr_t)heap), probe(0x80000000u), probe(0xfffff000u));
    printf("last fault address: 0x%08lx\n", (unsigned long)last_fault_address);
    // Everything still works: the data, the stack, the heap and stdio.
    memset(heap, 'x', 100000);
    printf("data %d, stack %d, heap %c, faults %s\n", data_page[0], stack_variable, heap[99999],
           faults > 0 ? "recovered" : "none");
    free(heap);
    return 0;
}
