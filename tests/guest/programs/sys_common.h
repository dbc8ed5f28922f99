// Shared by the sys_*.c system-call tests: print each call's result, or the errno name when it
// fails, so that the output is the same under every faithful emulator and on real hardware.
#pragma once

#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline long report(const char* what, long result)
{
    if (result < 0)
        printf("%s = -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s = %ld\n", what, result);
    return result;
}

// CHECK(call) prints "call = result" or "call = -1 ENAME" and yields the result.
#define CHECK(expression) report(#expression, (long)(expression))

// For calls that return a pointer or another non-integer: print whether it succeeded.
#define CHECK_OK(expression, failed) \
    ((expression) failed ? printf("%s: -1 %s\n", #expression, strerrorname_np(errno)) : printf("%s: ok\n", #expression))
