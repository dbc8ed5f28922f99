// abort() runs a SIGABRT handler that returns, then ends the process with SIGABRT anyway.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_abort(int number)
{
    static const char message[] = "handler ran\n";
    (void)number;
    write(1, message, sizeof message - 1);
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_abort;
    sigaction(SIGABRT, &action, NULL);
    printf("calling abort\n");
    fflush(stdout);
    abort();
}
