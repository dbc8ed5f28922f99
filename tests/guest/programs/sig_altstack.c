// sigaltstack: a SA_ONSTACK handler runs on the alternate stack (its local variable lies in the
// range), a handler without SA_ONSTACK runs on the normal stack, and a signal raised while on
// the alternate stack nests on it, where sigaltstack reports SS_ONSTACK and refuses a change.
// SIGSEGV from a runaway recursion is caught on the alternate stack and recovered with
// siglongjmp, three times.
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static char* alternate;
static const size_t alternate_size = 64 * 1024;
static volatile int on_alternate, nested_on_alternate, reported_onstack, change_refused;
static sigjmp_buf recover;

static int in_alternate(const void* address)
{
    return (const char*)address >= alternate && (const char*)address < alternate + alternate_size;
}

static void on_usr2(int number)
{
    char local;
    (void)number;
    nested_on_alternate = in_alternate(&local);
}

static void on_usr1(int number)
{
    char local;
    (void)number;
    on_alternate = in_alternate(&local);
    stack_t current;
    sigaltstack(NULL, &current);
    reported_onstack = (current.ss_flags & SS_ONSTACK) != 0;
    stack_t other = {.ss_sp = alternate, .ss_size = alternate_size / 2, .ss_flags = 0};
    change_refused = sigaltstack(&other, NULL) == -1 && errno == EPERM;
    raise(SIGUSR2);
}

static void on_segv(int number)
{
    char local;
    siglongjmp(recover, in_alternate(&local) ? number : -number);
}

static int recurse(volatile char* previous, unsigned depth)
{
    volatile char block[1024];
    block[0] = previous ? previous[0] + 1 : 0;
    if (depth > 1000000000)
        return block[0];
    return recurse(block, depth + 1) + block[1];
}

int main(void)
{
    alternate = malloc(alternate_size);
    stack_t stack = {.ss_sp = alternate, .ss_size = alternate_size, .ss_flags = 0};
    printf("sigaltstack %d\n", sigaltstack(&stack, NULL));

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    action.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &action, NULL);
    action.sa_handler = on_usr2;
    action.sa_flags = 0;
    sigaction(SIGUSR2, &action, NULL);

    raise(SIGUSR1);
    printf("onstack handler on the alternate stack %d, nested handler too %d\n", on_alternate,
           nested_on_alternate);
    raise(SIGUSR2);
    printf("plain handler on the alternate stack %d\n", nested_on_alternate);
    printf("SS_ONSTACK reported inside %d, change refused with EPERM %d\n", reported_onstack, change_refused);

    action.sa_handler = on_segv;
    action.sa_flags = SA_ONSTACK;
    sigaction(SIGSEGV, &action, NULL);
    for (int round = 0; round < 3; ++round) {
        int result = sigsetjmp(recover, 1);
        if (result == 0)
            recurse(NULL, 0);
        printf("round %d: recovered from signal %d\n", round, result);
    }
    stack_t old;
    sigaltstack(NULL, &old);
    printf("still enabled %d, size %zu\n", !(old.ss_flags & SS_DISABLE), (size_t)old.ss_size);
    return 0;
}
