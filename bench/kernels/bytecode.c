// A branchy bytecode interpreter: a small stack machine counts primes by trial division.
// Exercises indirect jumps (the dispatch switch), short blocks and data-dependent branches.
#include <stdio.h>
#include <stdlib.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MOD, LESS, JUMP_IF_ZERO, JUMP, HALT, MUL, DUP, DROP };


static long run(const int* code, long* variables)
{
    long stack[64];
    int top = 0, pc = 0;
    for (;;) {
        int op = code[pc++];
        switch (op) {
        case PUSH: stack[top++] = code[pc++]; break;
        case LOAD: stack[top++] = variables[code[pc++]]; break;
        case STORE: variables[code[pc++]] = stack[--top]; break;
        case ADD: top--; stack[top - 1] += stack[top]; break;
        case SUB: top--; stack[top - 1] -= stack[top]; break;
        case MUL: top--; stack[top - 1] *= stack[top]; break;
        case MOD: top--; stack[top - 1] %= stack[top]; break;
        case LESS: top--; stack[top - 1] = stack[top - 1] < stack[top]; break;
        case DUP: stack[top] = stack[top - 1]; top++; break;
        case DROP: top--; break;
        case JUMP_IF_ZERO: { int target = code[pc++]; if (stack[--top] == 0) pc = target; break; }
        case JUMP: pc = code[pc]; break;
        case HALT: return variables[2];
        default: return -1;
        }
    }
}

int main(int argc, char** argv)
{
    long limit = argc > 1 ? atol(argv[1]) : 30000;
    // Variables: 0 = n, 1 = d (trial divisor), 2 = count of primes, 3 = limit.
    // for (n = 2; n < limit; n++) { for (d = 2; d * d <= n; d++) if (n % d == 0) goto composite; count++; }
    int program[128];
    int length = 0;
#define EMIT(value) program[length++] = (value)
    EMIT(PUSH); EMIT(2); EMIT(STORE); EMIT(0);
    int loop = length;
    EMIT(LOAD); EMIT(0); EMIT(LOAD); EMIT(3); EMIT(LESS); EMIT(JUMP_IF_ZERO); int exit_patch = length; EMIT(0);
    EMIT(PUSH); EMIT(2); EMIT(STORE); EMIT(1);
    int inner = length;
    // if n < d*d: prime
    EMIT(LOAD); EMIT(0); EMIT(LOAD); EMIT(1); EMIT(DUP); EMIT(MUL); EMIT(LESS); EMIT(JUMP_IF_ZERO); int check_patch = length; EMIT(0);
    EMIT(JUMP); int prime_patch = length; EMIT(0);
    program[check_patch] = length;
    // if n % d == 0: composite
    EMIT(LOAD); EMIT(0); EMIT(LOAD); EMIT(1); EMIT(MOD); EMIT(JUMP_IF_ZERO); int composite_patch = length; EMIT(0);
    EMIT(LOAD); EMIT(1); EMIT(PUSH); EMIT(1); EMIT(ADD); EMIT(STORE); EMIT(1); EMIT(JUMP); EMIT(inner);
    program[prime_patch] = length;
    EMIT(LOAD); EMIT(2); EMIT(PUSH); EMIT(1); EMIT(ADD); EMIT(STORE); EMIT(2);
    program[composite_patch] = length;
    EMIT(LOAD); EMIT(0); EMIT(PUSH); EMIT(1); EMIT(ADD); EMIT(STORE); EMIT(0); EMIT(JUMP); EMIT(loop);
    program[exit_patch] = length;
    EMIT(HALT);
#undef EMIT
    long variables[4] = {0, 0, 0, limit};
    long count = run(program, variables);
    printf("bytecode primes below %ld: %ld\n", limit, count);
    return 0;
}
