// Compiler-generated and libm floating point, end to end: glibc's math functions, printf/strtod
// of doubles, <fenv.h> rounding modes and exception flags. Results are printed as hex bits.
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bits(double value)
{
    uint64_t result;
    memcpy(&result, &value, sizeof result);
    return result;
}
static uint32_t bits_f(float value)
{
    uint32_t result;
    memcpy(&result, &value, sizeof result);
    return result;
}

static const double inputs[] = {0.0, -0.0, 0.5, 1.0, -1.5, 2.0, 3.141592653589793, 10.0, 1e-300, 1e300, -7.25, 0.1};
#define COUNT(array) (sizeof(array) / sizeof(array[0]))

static const int modes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD};
static const char* const mode_names[] = {"nearest", "zero", "up", "down"};

static void exception_flags(const char* label)
{
    int flags = fetestexcept(FE_ALL_EXCEPT);
    printf("%s: %s%s%s%s%s\n", label, flags & FE_INEXACT ? "I" : "-", flags & FE_UNDERFLOW ? "U" : "-",
           flags & FE_OVERFLOW ? "O" : "-", flags & FE_DIVBYZERO ? "Z" : "-", flags & FE_INVALID ? "V" : "-");
}

int main(int argc, char** argv)
{
    (void)argv;
    // volatile keeps the compiler from folding anything at build time.
    volatile double scale = argc;
    for (unsigned i = 0; i < COUNT(inputs); ++i) {
        double x = inputs[i] * scale;
        printf("%-8g sin %016llx cos %016llx exp %016llx log %016llx sqrt %016llx atan %016llx cbrt %016llx\n", x,
               (unsigned long long)bits(sin(x)), (unsigned long long)bits(cos(x)), (unsigned long long)bits(exp(x)),
               (unsigned long long)bits(log(x)), (unsigned long long)bits(sqrt(x)), (unsigned long long)bits(atan(x)),
               (unsigned long long)bits(cbrt(x)));
        float f = (float)x;
        printf("%-8g sinf %08x expf %08x logf %08x sqrtf %08x powf %08x\n", x, bits_f(sinf(f)), bits_f(expf(f)),
               bits_f(logf(f)), bits_f(sqrtf(f)), bits_f(powf(f, 1.5f)));
    }
    for (unsigned m = 0; m < COUNT(modes); ++m) {
        fesetround(modes[m]);
        volatile double third = 1.0 / (3.0 * scale);
        volatile float third_f = 1.0f / (3.0f * (float)scale);
        printf("%s: 1/3 %016llx %08x rint(2.5) %g rint(-2.5) %g lrint(1.5) %ld llrint(-3.5) %lld nearbyint(0.5) %g\n",
               mode_names[m], (unsigned long long)bits(third), bits_f(third_f), rint(2.5 * scale), rint(-2.5 * scale),
               lrint(1.5 * scale), llrint(-3.5 * scale), nearbyint(0.5 * scale));
        printf("%s: (float)0.1 %08x (long long)1e18 %lld (int)-2.9 %d pow(10,-5) %016llx fma %016llx\n",
               mode_names[m], bits_f((float)(0.1 * scale)), (long long)(1e18 * scale), (int)(-2.9 * scale),
               (unsigned long long)bits(pow(10.0 * scale, -5.0)),
               (unsigned long long)bits(fma(0.1 * scale, 10.0, -1.0)));
        printf("%s: printf %.17g %.3f %e\n", mode_names[m], 0.1 * scale, 2.0 / 3.0 * scale, 1e21 * scale);
    }
    fesetround(FE_TONEAREST);
    printf("fegetround %d\n", fegetround());

    feclearexcept(FE_ALL_EXCEPT);
    exception_flags("cleared");
    volatile double zero = 0.0 * scale, big = 1e308 * scale, tiny = 1e-308 * scale;
    volatile double result = 1.0 / zero;
    exception_flags("1/0");
    feclearexcept(FE_ALL_EXCEPT);
    result = big * big;
    exception_flags("overflow");
    feclearexcept(FE_ALL_EXCEPT);
    result = tiny / 1e10;
    exception_flags("underflow");
    feclearexcept(FE_ALL_EXCEPT);
    result = zero / zero;
    exception_flags("0/0");
    printf("0/0 = %016llx, nan(\"\") = %016llx, nanf %08x\n", (unsigned long long)bits(result),
           (unsigned long long)bits(nan("")), bits_f(nanf("")));
    feclearexcept(FE_ALL_EXCEPT);
    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    exception_flags("raised OI");

    const char* texts[] = {"0.1", "1e-320", "-inf", "nan", "123456789012345678901234567890", "0x1.8p-1074"};
    for (unsigned i = 0; i < COUNT(texts); ++i)
        printf("strtod(%s) = %016llx strtof = %08x\n", texts[i], (unsigned long long)bits(strtod(texts[i], 0)),
               bits_f(strtof(texts[i], 0)));
    return 0;
}
