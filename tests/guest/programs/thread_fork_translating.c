// fork while another thread keeps making the engine decode, translate and drop code: one thread
// writes a new function into a fresh page, calls it and unmaps the page, again and again (the
// engine's locks and the address space's code-watch lock change hands all the time); the main
// thread forks, and each child must run code of its own (taking those locks again) and exit. A
// child that inherited a lock held by the other thread at the fork would hang: the parent gives
// each child a few seconds before it reports it as hung.
// CFLAGS: -pthread
// Not under AddressSanitizer: its leak check in each child, forked while the churning thread ran,
// warns on stderr that it cannot suspend that thread (which the child does not have). The
// ThreadSanitizer stage runs it.
// LABELS: no-sanitize
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mips_encoding.h"

enum { children = 200 };

typedef int (*function)(int);

// A fresh page holding "return x + value", called once; 0 if the call gave the wrong result.
static int run_fresh_code(int value)
{
    uint32_t* code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED)
        return 0;
    code[0] = jr(ra);
    code[1] = addiu(v0, a0, value); // the delay slot: return x + value
    __builtin___clear_cache((char*)code, (char*)(code + 2));
    int right = ((function)code)(1000) == 1000 + value;
    munmap(code, 4096);
    return right;
}

static volatile int stop;
static long churned, wrong_in_churn;

static void* churn(void* argument)
{
    (void)argument;
    while (!stop) {
        if (!run_fresh_code((int)(churned & 0x7FFF)))
            ++wrong_in_churn;
        ++churned;
    }
    return NULL;
}

int main(void)
{
    pthread_t thread;
    pthread_create(&thread, NULL, churn, NULL);
    int exited_well = 0, hung = 0, failed = 0;
    for (int child = 0; child < children; ++child) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(run_fresh_code(child) && run_fresh_code(child + 1) ? 7 : 1);
        if (pid < 0) {
            ++failed;
            continue;
        }
        int status = 0;
        pid_t ended = 0;
        for (int poll = 0; poll < 15000 && ended == 0; ++poll) { // 30 s
            ended = waitpid(pid, &status, WNOHANG);
            if (ended == 0)
                nanosleep(&(struct timespec){0, 2000000}, NULL);
        }
        if (ended == 0) {
            ++hung;
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 7) {
            ++exited_well;
        } else {
            ++failed;
        }
    }
    stop = 1;
    pthread_join(thread, NULL);
    printf("children: %d ran their own new code and exited, %d hung, %d failed\n", exited_well, hung, failed);
    printf("the other thread ran fresh code %s times, wrong results: %ld\n", churned > 0 ? "many" : "no", wrong_in_churn);
    return hung != 0 || failed != 0;
}
