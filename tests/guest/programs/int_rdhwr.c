// RDHWR in user mode: $29 (UserLocal) holds the thread pointer the C library set with
// set_thread_area, so a thread-local variable sits at a fixed offset from it; $0 (CPUNum),
// $1 (SYNCI_Step) and $3 (CCRes) are constants of the CPU qemu-mipsel models (a 24Kf); $2 (CC)
// is a cycle counter, of which only the direction is printed.
#include <stdint.h>
#include <stdio.h>

static __thread int thread_local_value = 42;

#define READ_HARDWARE_REGISTER(number)                                                           \
    ({                                                                                           \
        uint32_t value;                                                                          \
        __asm__ volatile("rdhwr %0,$" #number : "=r"(value));                                    \
        value;                                                                                   \
    })

int main(void)
{
    uint32_t user_local = READ_HARDWARE_REGISTER(29);
    printf("UserLocal is nonzero: %d\n", user_local != 0);
    printf("thread-local variable at UserLocal %+d, value %d\n", (int)((uintptr_t)&thread_local_value - user_local),
           thread_local_value);
    printf("__builtin_thread_pointer() == UserLocal: %d\n", (uint32_t)(uintptr_t)__builtin_thread_pointer() == user_local);
    printf("CPUNum %u\n", READ_HARDWARE_REGISTER(0));
    printf("SYNCI_Step %u\n", READ_HARDWARE_REGISTER(1));
    printf("CCRes %u\n", READ_HARDWARE_REGISTER(3));
    uint32_t first = READ_HARDWARE_REGISTER(2);
    for (volatile int i = 0; i < 1000; ++i) {
    }
    uint32_t second = READ_HARDWARE_REGISTER(2);
    printf("CC does not go backwards: %d\n", (int32_t)(second - first) >= 0);
    return 0;
}
