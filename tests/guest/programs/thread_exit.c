// Threads and the end of a process: exit() in a thread ends the whole process with its status
// while other threads are blocked; before that, fork in a thread (the child has that thread
// only) and a main thread that ends with pthread_exit while a worker finishes the work.
// CFLAGS: -pthread
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void* forks(void* argument)
{
    (void)argument;
    pid_t child = fork();
    if (child == 0) {
        printf("child of a thread runs\n");
        fflush(stdout);
        _exit(7);
    }
    int status;
    waitpid(child, &status, 0);
    return (void*)(long)WEXITSTATUS(status);
}

static pthread_mutex_t never = PTHREAD_MUTEX_INITIALIZER;

static void* blocks_forever(void* argument)
{
    (void)argument;
    pthread_mutex_lock(&never);
    return NULL;
}

static void* ends_process(void* argument)
{
    (void)argument;
    usleep(20000);
    printf("a thread calls exit(3)\n");
    exit(3);
}

static void* outlives_main(void* argument)
{
    (void)argument;
    usleep(50000);
    printf("the worker outlived main\n");
    fflush(stdout);
    // Returning from the last thread ends the process with status 0.
    return NULL;
}

int main(void)
{
    pthread_t thread;
    void* status;
    pthread_create(&thread, NULL, forks, NULL);
    pthread_join(thread, &status);
    printf("the forked child exited with %ld\n", (long)status);

    // A child process whose main thread ends first.
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pthread_create(&thread, NULL, outlives_main, NULL);
        printf("main calls pthread_exit\n");
        fflush(stdout);
        pthread_exit(NULL);
    }
    int child_status;
    waitpid(child, &child_status, 0);
    printf("main-first run exited with %d\n", WIFEXITED(child_status) ? WEXITSTATUS(child_status) : -1);

    pthread_mutex_lock(&never);
    pthread_create(&thread, NULL, blocks_forever, NULL);
    pthread_create(&thread, NULL, ends_process, NULL);
    pthread_join(thread, NULL);
    printf("not reached\n");
    return 0;
}
