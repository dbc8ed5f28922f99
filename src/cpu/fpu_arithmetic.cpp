#include "cpu/fpu_arithmetic.h"

#include <bit>
#include <emmintrin.h>
#include <type_traits>

namespace isomorph::cpu::fpu {

namespace {

template <class F> struct HostFormat;
template <> struct HostFormat<Single> {
    using Type = float;
};
template <> struct HostFormat<Double> {
    using Type = double;
};
template <class F> using Host = typename HostFormat<F>::Type;

// MXCSR (Intel SDM Vol. 1 §10.2.3): exception flags in bits 5..0 (PE UE OE ZE DE IE), their
// masks in bits 12..7, the rounding control in bits 14..13; FTZ (bit 15) and DAZ (bit 6) clear.
constexpr uint32_t mxcsr_all_masked = 0x1F80;
constexpr unsigned mxcsr_rounding_shift = 13;

constexpr uint32_t mxcsr_rounding(Rounding rounding)
{
    switch (rounding) {
    case Rounding::Nearest: return 0;
    case Rounding::TowardNegative: return 1;
    case Rounding::TowardPositive: return 2;
    case Rounding::TowardZero: return 3;
    }
    return 0;
}

constexpr uint32_t exceptions_from_mxcsr(uint32_t mxcsr)
{
    uint32_t exceptions = 0;
    if (mxcsr & 0x01)
        exceptions |= Invalid;
    if (mxcsr & 0x04)
        exceptions |= DivideByZero;
    if (mxcsr & 0x08)
        exceptions |= Overflow;
    if (mxcsr & 0x10)
        exceptions |= Underflow;
    if (mxcsr & 0x20)
        exceptions |= Inexact;
    return exceptions; // the denormal-operand flag (bit 1) has no MIPS counterpart
}

uint32_t read_mxcsr()
{
    uint32_t value;
    asm volatile("stmxcsr %0" : "=m"(value) : : "memory");
    return value;
}

void write_mxcsr(uint32_t value) { asm volatile("ldmxcsr %0" : : "m"(value) : "memory"); }

// Ties a value to this point of the program: the compiler can neither fold the computation that
// uses it nor move that computation across the MXCSR accesses around it.
template <class T> inline void pin(T& value)
{
    if constexpr (std::is_floating_point_v<T>)
        asm volatile("" : "+x"(value));
    else
        asm volatile("" : "+r"(value));
}

constexpr uint32_t mxcsr_flags = 0x3F;

uint32_t guest_mxcsr(Rounding rounding) { return mxcsr_all_masked | (mxcsr_rounding(rounding) << mxcsr_rounding_shift); }

// How many GuestModeScopes are open on this thread: while there is one, MXCSR's control bits
// are scope_mode's between operations (its flags may be set: translated code leaves them).
thread_local unsigned guest_mode_depth = 0;
constexpr uint32_t scope_mode = mxcsr_all_masked; // round to nearest

// Runs operation() under the given rounding mode with every host exception masked and adds the
// IEEE exceptions it raised to exceptions. Inside a GuestModeScope it leaves MXCSR in scope_mode
// with clear flags; outside, it leaves the host's own MXCSR as it was.
template <class Operation> auto on_host(Rounding rounding, uint32_t& exceptions, Operation operation)
{
    uint32_t mode = guest_mxcsr(rounding);
    if (guest_mode_depth != 0) {
        if (read_mxcsr() != mode)
            write_mxcsr(mode);
        auto result = operation();
        pin(result);
        uint32_t after = read_mxcsr();
        exceptions |= exceptions_from_mxcsr(after);
        if (after != scope_mode)
            write_mxcsr(scope_mode);
        return result;
    }
    uint32_t saved = read_mxcsr();
    write_mxcsr(mode);
    auto result = operation();
    pin(result);
    exceptions |= exceptions_from_mxcsr(read_mxcsr());
    write_mxcsr(saved);
    return result;
}

// CVT/ROUND/TRUNC/CEIL/FLOOR to an integer: the SSE conversions that honour MXCSR.RC. Out of
// range and NaN operands raise the host's Invalid.
template <class I> auto host_to_integer(float value)
{
    if constexpr (std::is_same_v<I, Word>)
        return _mm_cvtss_si32(_mm_set_ss(value));
    else
        return _mm_cvtss_si64(_mm_set_ss(value));
}

template <class I> auto host_to_integer(double value)
{
    if constexpr (std::is_same_v<I, Word>)
        return _mm_cvtsd_si32(_mm_set_sd(value));
    else
        return _mm_cvtsd_si64(_mm_set_sd(value));
}

} // namespace

GuestModeScope::GuestModeScope() : m_saved_mxcsr(read_mxcsr())
{
    write_mxcsr(scope_mode);
    ++guest_mode_depth;
}

GuestModeScope::~GuestModeScope()
{
    --guest_mode_depth;
    write_mxcsr(m_saved_mxcsr);
}

// Rounds a host computation into format F: NaN results become the default NaN, and with FCSR.FS
// tiny results become zero.
template <class F, class Operation> typename F::Bits Arithmetic::round(Operation operation)
{
    using Bits = typename F::Bits;
    uint32_t exceptions = 0;
    Bits result = std::bit_cast<Bits>(on_host(m_rounding, exceptions, operation));
    if (is_nan<F>(result)) {
        m_exceptions |= exceptions;
        return F::default_nan;
    }
    if (m_flush_to_zero) {
        // Flush when the exact result lies below the smallest normal: a zero that underflowed, a
        // subnormal, or the smallest normal reached only by rounding up (then the result
        // rounded toward zero is below it).
        Bits magnitude = result & ~F::sign_bit;
        bool tiny = false;
        if (magnitude == 0)
            tiny = (exceptions & Underflow) != 0;
        else if (magnitude < F::smallest_normal)
            tiny = true;
        else if (magnitude == F::smallest_normal && (exceptions & Inexact)) {
            uint32_t ignored = 0;
            Bits toward_zero = std::bit_cast<Bits>(on_host(Rounding::TowardZero, ignored, operation));
            tiny = (toward_zero & ~F::sign_bit) < F::smallest_normal;
        }
        if (tiny) {
            m_exceptions |= exceptions & ~(Underflow | Inexact);
            return result & F::sign_bit;
        }
    }
    m_exceptions |= exceptions;
    return result;
}

// Operations with a NaN operand produce the default NaN; a signalling one raises Invalid.
template <class F> bool Arithmetic::take_nan_operands(typename F::Bits a, typename F::Bits b)
{
    if (!is_nan<F>(a) && !is_nan<F>(b))
        return false;
    if (is_signalling_nan<F>(a) || is_signalling_nan<F>(b))
        m_exceptions |= Invalid;
    return true;
}

// The two-operand IEEE operations: a NaN operand gives the default NaN (Invalid if signalling);
// otherwise the host computes the result under the guest's rounding mode.
template <class F, class Operation>
typename F::Bits Arithmetic::binary(typename F::Bits fs, typename F::Bits ft, Operation operation)
{
    if (take_nan_operands<F>(fs, ft))
        return F::default_nan;
    return round<F>([&] {
        Host<F> a = std::bit_cast<Host<F>>(fs), b = std::bit_cast<Host<F>>(ft);
        pin(a);
        pin(b);
        return operation(a, b);
    });
}

template <class F> typename F::Bits Arithmetic::add(typename F::Bits fs, typename F::Bits ft)
{
    return binary<F>(fs, ft, [](Host<F> a, Host<F> b) { return a + b; });
}

template <class F> typename F::Bits Arithmetic::subtract(typename F::Bits fs, typename F::Bits ft)
{
    return binary<F>(fs, ft, [](Host<F> a, Host<F> b) { return a - b; });
}

template <class F> typename F::Bits Arithmetic::multiply(typename F::Bits fs, typename F::Bits ft)
{
    return binary<F>(fs, ft, [](Host<F> a, Host<F> b) { return a * b; });
}

template <class F> typename F::Bits Arithmetic::divide(typename F::Bits fs, typename F::Bits ft)
{
    return binary<F>(fs, ft, [](Host<F> a, Host<F> b) { return a / b; });
}

template <class F> typename F::Bits Arithmetic::square_root(typename F::Bits fs)
{
    if (take_nan_operands<F>(fs, fs))
        return F::default_nan;
    return round<F>([&] {
        Host<F> a = std::bit_cast<Host<F>>(fs);
        pin(a);
        if constexpr (std::is_same_v<F, Single>)
            asm("sqrtss %1, %0" : "=x"(a) : "x"(a));
        else
            asm("sqrtsd %1, %0" : "=x"(a) : "x"(a));
        return a;
    });
}

template <class F, class I> typename F::Bits Arithmetic::convert_from_integer(typename I::Bits fs)
{
    return round<F>([&] {
        auto value = static_cast<std::make_signed_t<typename I::Bits>>(fs);
        pin(value);
        return static_cast<Host<F>>(value);
    });
}

template <class I, class F> typename I::Bits Arithmetic::convert_to_integer(typename F::Bits fs, Rounding rounding)
{
    if (is_nan<F>(fs)) {
        m_exceptions |= Invalid;
        return I::overflow;
    }
    uint32_t exceptions = 0;
    auto result = on_host(rounding, exceptions, [&] {
        Host<F> value = std::bit_cast<Host<F>>(fs);
        pin(value);
        return host_to_integer<I>(value);
    });
    if (exceptions & Invalid) {
        m_exceptions |= Invalid; // alone: an out-of-range conversion is not also inexact
        return I::overflow;
    }
    m_exceptions |= exceptions & Inexact;
    return static_cast<typename I::Bits>(result);
}

uint64_t Arithmetic::convert_single_to_double(uint32_t fs)
{
    if (take_nan_operands<Single>(fs, fs))
        return Double::default_nan;
    return round<Double>([&] {
        float value = std::bit_cast<float>(fs);
        pin(value);
        return static_cast<double>(value);
    });
}

uint32_t Arithmetic::convert_double_to_single(uint64_t fs)
{
    if (take_nan_operands<Double>(fs, fs))
        return Single::default_nan;
    return round<Single>([&] {
        double value = std::bit_cast<double>(fs);
        pin(value);
        return static_cast<float>(value);
    });
}

template <class F> bool Arithmetic::compare(typename F::Bits fs, typename F::Bits ft, unsigned condition)
{
    if (is_nan<F>(fs) || is_nan<F>(ft)) {
        if ((condition & ConditionSignalling) || is_signalling_nan<F>(fs) || is_signalling_nan<F>(ft))
            m_exceptions |= Invalid;
        return (condition & ConditionUnordered) != 0;
    }
    // Ordered operands: comparing them raises nothing on the host either.
    Host<F> a = std::bit_cast<Host<F>>(fs), b = std::bit_cast<Host<F>>(ft);
    return ((condition & ConditionEqual) && a == b) || ((condition & ConditionLess) && a < b);
}

#define INSTANTIATE_FOR_FORMAT(F)                                                                            \
    template F::Bits Arithmetic::add<F>(F::Bits, F::Bits);                                                   \
    template F::Bits Arithmetic::subtract<F>(F::Bits, F::Bits);                                              \
    template F::Bits Arithmetic::multiply<F>(F::Bits, F::Bits);                                              \
    template F::Bits Arithmetic::divide<F>(F::Bits, F::Bits);                                                \
    template F::Bits Arithmetic::square_root<F>(F::Bits);                                                    \
    template F::Bits Arithmetic::convert_from_integer<F, Word>(Word::Bits);                                  \
    template F::Bits Arithmetic::convert_from_integer<F, Long>(Long::Bits);                                  \
    template Word::Bits Arithmetic::convert_to_integer<Word, F>(F::Bits, Rounding);                          \
    template Long::Bits Arithmetic::convert_to_integer<Long, F>(F::Bits, Rounding);                          \
    template bool Arithmetic::compare<F>(F::Bits, F::Bits, unsigned);

INSTANTIATE_FOR_FORMAT(Single)
INSTANTIATE_FOR_FORMAT(Double)

#undef INSTANTIATE_FOR_FORMAT

} // namespace isomorph::cpu::fpu
