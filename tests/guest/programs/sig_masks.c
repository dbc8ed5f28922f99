// Signal masks and flags: the handler runs with its sa_mask and its own signal blocked, unless
// SA_NODEFER; SA_RESETHAND gives the default action back after one delivery; a signal blocked
// with sigprocmask waits in sigpending and arrives when unblocked; raise() from a handler
// nests a second handler; rt_sigsuspend waits with a temporary mask that ends with the handler;
// the old mask comes back when the handler returns; si_code tells tkill from kill.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int depth, max_depth, count, code_seen, raises;
static char trace[128];
static volatile int trace_length;

static void note(char c)
{
    if (trace_length < (int)sizeof trace - 1)
        trace[trace_length++] = c;
}

static int blocked(int number)
{
    sigset_t current;
    sigprocmask(SIG_BLOCK, NULL, &current);
    return sigismember(&current, number);
}

static void on_usr1(int number, siginfo_t* info, void* context)
{
    (void)context;
    code_seen = info->si_code;
    note('<');
    printf("usr1: self blocked %d, usr2 blocked %d, term blocked %d\n", blocked(number), blocked(SIGUSR2),
           blocked(SIGTERM));
    note('>');
}

static void on_nodefer(int number)
{
    ++depth;
    if (depth > max_depth)
        max_depth = depth;
    if (raises < 2) {
        ++raises;
        raise(number);
    }
    --depth;
}

static void on_usr2(int number)
{
    (void)number;
    note('2');
    ++count;
}

static void on_alarm_nested(int number)
{
    (void)number;
    note('a');
    raise(SIGUSR2); // not blocked here: runs before this handler goes on
    note('A');
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_usr1;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGTERM);
    sigaction(SIGUSR1, &action, NULL);

    raise(SIGUSR1);
    printf("after raise: code %d (SI_TKILL %d), usr1 blocked %d, term blocked %d\n", code_seen, SI_TKILL,
           blocked(SIGUSR1), blocked(SIGTERM));
    kill(getpid(), SIGUSR1);
    printf("after kill: code %d (SI_USER %d)\n", code_seen, SI_USER);

    // SA_NODEFER: the handler may interrupt itself.
    memset(&action, 0, sizeof action);
    action.sa_handler = on_nodefer;
    action.sa_flags = SA_NODEFER;
    sigaction(SIGHUP, &action, NULL);
    raise(SIGHUP);
    printf("nodefer depth %d\n", max_depth);
    // Without it, the raise inside waits until the handler returns: depth stays 1.
    depth = max_depth = raises = 0;
    action.sa_flags = 0;
    sigaction(SIGHUP, &action, NULL);
    raise(SIGHUP);
    printf("defer depth %d\n", max_depth);

    // SA_RESETHAND: once.
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr2;
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &action, NULL);
    raise(SIGUSR2);
    struct sigaction now;
    sigaction(SIGUSR2, NULL, &now);
    printf("resethand: count %d, handler is default %d\n", count, now.sa_handler == SIG_DFL);

    // Blocked, pending, delivered on unblocking.
    action.sa_flags = 0;
    sigaction(SIGUSR2, &action, NULL);
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    trace_length = 0;
    raise(SIGUSR2);
    note('r');
    sigpending(&pending);
    printf("pending usr2 %d, count %d\n", sigismember(&pending, SIGUSR2), count);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    note('u');
    sigpending(&pending);
    printf("after unblock: pending %d, count %d\n", sigismember(&pending, SIGUSR2), count);

    // raise() from a handler.
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm_nested;
    sigaction(SIGALRM, &action, NULL);
    raise(SIGALRM);
    note('.');

    // sigsuspend: SIGUSR2 blocked, pending, delivered while suspended with an empty mask.
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR2);
    sigset_t empty;
    sigemptyset(&empty);
    int result = sigsuspend(&empty);
    note('s');
    printf("sigsuspend %d, usr2 blocked again %d, count %d\n", result, blocked(SIGUSR2), count);
    trace[trace_length] = 0;
    printf("trace %s\n", trace);
    return 0;
}
