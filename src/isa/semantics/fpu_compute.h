#pragma once

// Coprocessor 1 instructions that compute: arithmetic, sign operations, conversions, comparisons
// and the COP1X multiply-adds. Each arithmetic instruction sets FCSR.Cause (see update_fcsr);
// the IEEE details live in cpu/fpu_arithmetic.h.

#include "isa/semantics/fpu_support.h"

namespace isomorph::isa::semantics {

// ---- Arithmetic ---------------------------------------------------------------------------------

// add.s fd, fs, ft
template <class Core> void ADD_S(Core& c, const Operands& o) { binary_arithmetic<Single>(c, o, &Arithmetic::add<Single>); }
// add.d fd, fs, ft
template <class Core> void ADD_D(Core& c, const Operands& o) { binary_arithmetic<Double>(c, o, &Arithmetic::add<Double>); }
// sub.s fd, fs, ft
template <class Core> void SUB_S(Core& c, const Operands& o)
{
    binary_arithmetic<Single>(c, o, &Arithmetic::subtract<Single>);
}
// sub.d fd, fs, ft
template <class Core> void SUB_D(Core& c, const Operands& o)
{
    binary_arithmetic<Double>(c, o, &Arithmetic::subtract<Double>);
}
// mul.s fd, fs, ft
template <class Core> void MUL_S(Core& c, const Operands& o)
{
    binary_arithmetic<Single>(c, o, &Arithmetic::multiply<Single>);
}
// mul.d fd, fs, ft
template <class Core> void MUL_D(Core& c, const Operands& o)
{
    binary_arithmetic<Double>(c, o, &Arithmetic::multiply<Double>);
}
// div.s fd, fs, ft
template <class Core> void DIV_S(Core& c, const Operands& o)
{
    binary_arithmetic<Single>(c, o, &Arithmetic::divide<Single>);
}
// div.d fd, fs, ft
template <class Core> void DIV_D(Core& c, const Operands& o)
{
    binary_arithmetic<Double>(c, o, &Arithmetic::divide<Double>);
}

// sqrt.s fd, fs
template <class Core> void SQRT_S(Core& c, const Operands& o)
{
    unary_arithmetic<Single>(c, o, [](Arithmetic& a, uint32_t fs) { return a.square_root<Single>(fs); });
}
// sqrt.d fd, fs
template <class Core> void SQRT_D(Core& c, const Operands& o)
{
    unary_arithmetic<Double>(c, o, [](Arithmetic& a, uint64_t fs) { return a.square_root<Double>(fs); });
}
// recip.s fd, fs: 1 / fs, correctly rounded
template <class Core> void RECIP_S(Core& c, const Operands& o)
{
    unary_arithmetic<Single>(c, o, [](Arithmetic& a, uint32_t fs) { return a.divide<Single>(Single::one, fs); });
}
// recip.d fd, fs
template <class Core> void RECIP_D(Core& c, const Operands& o)
{
    unary_arithmetic<Double>(c, o, [](Arithmetic& a, uint64_t fs) { return a.divide<Double>(Double::one, fs); });
}
// rsqrt.s fd, fs: 1 / sqrt(fs), rounded after each step
template <class Core> void RSQRT_S(Core& c, const Operands& o)
{
    unary_arithmetic<Single>(
        c, o, [](Arithmetic& a, uint32_t fs) { return a.divide<Single>(Single::one, a.square_root<Single>(fs)); });
}
// rsqrt.d fd, fs
template <class Core> void RSQRT_D(Core& c, const Operands& o)
{
    unary_arithmetic<Double>(
        c, o, [](Arithmetic& a, uint64_t fs) { return a.divide<Double>(Double::one, a.square_root<Double>(fs)); });
}

// ---- Sign operations: bit operations on any operand, NaNs included; FCSR is left alone -----------

// abs.s fd, fs
template <class Core> void ABS_S(Core& c, const Operands& o)
{
    require_fpu(c);
    write_fpr<Single>(c, o.sa, cpu::fpu::absolute<Single>(read_fpr<Single>(c, o.rd)));
}
// abs.d fd, fs
template <class Core> void ABS_D(Core& c, const Operands& o)
{
    require_fpu(c);
    require_even_registers(c, o.rd | o.sa);
    write_fpr<Double>(c, o.sa, cpu::fpu::absolute<Double>(read_fpr<Double>(c, o.rd)));
}
// neg.s fd, fs
template <class Core> void NEG_S(Core& c, const Operands& o)
{
    require_fpu(c);
    write_fpr<Single>(c, o.sa, cpu::fpu::negate<Single>(read_fpr<Single>(c, o.rd)));
}
// neg.d fd, fs
template <class Core> void NEG_D(Core& c, const Operands& o)
{
    require_fpu(c);
    require_even_registers(c, o.rd | o.sa);
    write_fpr<Double>(c, o.sa, cpu::fpu::negate<Double>(read_fpr<Double>(c, o.rd)));
}

// ---- Conversions --------------------------------------------------------------------------------

// fd (integer format I) = fs (floating format F) rounded as given. An L result needs FR = 1; a
// D operand must be an even register with FR = 0.
template <class I, class F, class Core> inline void float_to_integer(Core& c, const Operands& o, Rounding rounding)
{
    require_fpu(c);
    if constexpr (std::is_same_v<I, Long>)
        require_64_bit_registers(c);
    else if constexpr (std::is_same_v<F, Double>)
        require_even_registers(c, o.rd);
    Arithmetic arithmetic(c.cpu.fpu);
    typename I::Bits result = arithmetic.convert_to_integer<I, F>(read_fpr<F>(c, o.rd), rounding);
    update_fcsr(c, arithmetic);
    write_fpr<I>(c, o.sa, result);
}

// fd (floating format F) = fs (integer format I), in the current rounding mode.
template <class F, class I, class Core> inline void integer_to_float(Core& c, const Operands& o)
{
    require_fpu(c);
    if constexpr (std::is_same_v<I, Long>)
        require_64_bit_registers(c);
    else if constexpr (std::is_same_v<F, Double>)
        require_even_registers(c, o.sa);
    Arithmetic arithmetic(c.cpu.fpu);
    typename F::Bits result = arithmetic.convert_from_integer<F, I>(read_fpr<I>(c, o.rd));
    update_fcsr(c, arithmetic);
    write_fpr<F>(c, o.sa, result);
}

// round.l.s fd, fs
template <class Core> void ROUND_L_S(Core& c, const Operands& o) { float_to_integer<Long, Single>(c, o, Rounding::Nearest); }
// round.l.d fd, fs
template <class Core> void ROUND_L_D(Core& c, const Operands& o) { float_to_integer<Long, Double>(c, o, Rounding::Nearest); }
// trunc.l.s fd, fs
template <class Core> void TRUNC_L_S(Core& c, const Operands& o)
{
    float_to_integer<Long, Single>(c, o, Rounding::TowardZero);
}
// trunc.l.d fd, fs
template <class Core> void TRUNC_L_D(Core& c, const Operands& o)
{
    float_to_integer<Long, Double>(c, o, Rounding::TowardZero);
}
// ceil.l.s fd, fs
template <class Core> void CEIL_L_S(Core& c, const Operands& o)
{
    float_to_integer<Long, Single>(c, o, Rounding::TowardPositive);
}
// ceil.l.d fd, fs
template <class Core> void CEIL_L_D(Core& c, const Operands& o)
{
    float_to_integer<Long, Double>(c, o, Rounding::TowardPositive);
}
// floor.l.s fd, fs
template <class Core> void FLOOR_L_S(Core& c, const Operands& o)
{
    float_to_integer<Long, Single>(c, o, Rounding::TowardNegative);
}
// floor.l.d fd, fs
template <class Core> void FLOOR_L_D(Core& c, const Operands& o)
{
    float_to_integer<Long, Double>(c, o, Rounding::TowardNegative);
}
// round.w.s fd, fs
template <class Core> void ROUND_W_S(Core& c, const Operands& o) { float_to_integer<Word, Single>(c, o, Rounding::Nearest); }
// round.w.d fd, fs
template <class Core> void ROUND_W_D(Core& c, const Operands& o) { float_to_integer<Word, Double>(c, o, Rounding::Nearest); }
// trunc.w.s fd, fs
template <class Core> void TRUNC_W_S(Core& c, const Operands& o)
{
    float_to_integer<Word, Single>(c, o, Rounding::TowardZero);
}
// trunc.w.d fd, fs
template <class Core> void TRUNC_W_D(Core& c, const Operands& o)
{
    float_to_integer<Word, Double>(c, o, Rounding::TowardZero);
}
// ceil.w.s fd, fs
template <class Core> void CEIL_W_S(Core& c, const Operands& o)
{
    float_to_integer<Word, Single>(c, o, Rounding::TowardPositive);
}
// ceil.w.d fd, fs
template <class Core> void CEIL_W_D(Core& c, const Operands& o)
{
    float_to_integer<Word, Double>(c, o, Rounding::TowardPositive);
}
// floor.w.s fd, fs
template <class Core> void FLOOR_W_S(Core& c, const Operands& o)
{
    float_to_integer<Word, Single>(c, o, Rounding::TowardNegative);
}
// floor.w.d fd, fs
template <class Core> void FLOOR_W_D(Core& c, const Operands& o)
{
    float_to_integer<Word, Double>(c, o, Rounding::TowardNegative);
}
// cvt.w.s fd, fs
template <class Core> void CVT_W_S(Core& c, const Operands& o)
{
    float_to_integer<Word, Single>(c, o, c.cpu.fpu.rounding());
}
// cvt.w.d fd, fs
template <class Core> void CVT_W_D(Core& c, const Operands& o)
{
    float_to_integer<Word, Double>(c, o, c.cpu.fpu.rounding());
}
// cvt.l.s fd, fs
template <class Core> void CVT_L_S(Core& c, const Operands& o)
{
    float_to_integer<Long, Single>(c, o, c.cpu.fpu.rounding());
}
// cvt.l.d fd, fs
template <class Core> void CVT_L_D(Core& c, const Operands& o)
{
    float_to_integer<Long, Double>(c, o, c.cpu.fpu.rounding());
}

// cvt.s.w fd, fs
template <class Core> void CVT_S_W(Core& c, const Operands& o) { integer_to_float<Single, Word>(c, o); }
// cvt.s.l fd, fs
template <class Core> void CVT_S_L(Core& c, const Operands& o) { integer_to_float<Single, Long>(c, o); }
// cvt.d.w fd, fs
template <class Core> void CVT_D_W(Core& c, const Operands& o) { integer_to_float<Double, Word>(c, o); }
// cvt.d.l fd, fs
template <class Core> void CVT_D_L(Core& c, const Operands& o) { integer_to_float<Double, Long>(c, o); }

// cvt.s.d fd, fs
template <class Core> void CVT_S_D(Core& c, const Operands& o)
{
    require_fpu(c);
    require_even_registers(c, o.rd);
    Arithmetic arithmetic(c.cpu.fpu);
    uint32_t result = arithmetic.convert_double_to_single(read_fpr<Double>(c, o.rd));
    update_fcsr(c, arithmetic);
    write_fpr<Single>(c, o.sa, result);
}
// cvt.d.s fd, fs
template <class Core> void CVT_D_S(Core& c, const Operands& o)
{
    require_fpu(c);
    require_even_registers(c, o.sa);
    Arithmetic arithmetic(c.cpu.fpu);
    uint64_t result = arithmetic.convert_single_to_double(read_fpr<Single>(c, o.rd));
    update_fcsr(c, arithmetic);
    write_fpr<Double>(c, o.sa, result);
}

// ---- Comparisons: c.cond.fmt cc, fs, ft -----------------------------------------------------------

// Sets condition code cc (bits 10..8) to whether fs and ft satisfy the condition (the function
// field's low four bits: see cpu::fpu::Condition). An enabled Invalid leaves the code unchanged.
template <class F, class Core> inline void compare_and_set_condition(Core& c, const Operands& o, unsigned condition)
{
    require_fpu(c);
    if constexpr (std::is_same_v<F, Double>)
        require_even_registers(c, o.rd | o.rt);
    Arithmetic arithmetic(c.cpu.fpu);
    bool result = arithmetic.compare<F>(read_fpr<F>(c, o.rd), read_fpr<F>(c, o.rt), condition);
    update_fcsr(c, arithmetic);
    set_fpu_condition(c.cpu.fpu, o.cc_low(), result);
}

// c.f.fmt, c.un.fmt, c.eq.fmt, c.ueq.fmt, c.olt.fmt, c.ult.fmt, c.ole.fmt, c.ule.fmt,
// c.sf.fmt, c.ngle.fmt, c.seq.fmt, c.ngl.fmt, c.lt.fmt, c.nge.fmt, c.le.fmt, c.ngt.fmt cc, fs, ft
template <class Core> void C_F_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 0); }
template <class Core> void C_UN_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 1); }
template <class Core> void C_EQ_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 2); }
template <class Core> void C_UEQ_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 3); }
template <class Core> void C_OLT_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 4); }
template <class Core> void C_ULT_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 5); }
template <class Core> void C_OLE_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 6); }
template <class Core> void C_ULE_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 7); }
template <class Core> void C_SF_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 8); }
template <class Core> void C_NGLE_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 9); }
template <class Core> void C_SEQ_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 10); }
template <class Core> void C_NGL_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 11); }
template <class Core> void C_LT_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 12); }
template <class Core> void C_NGE_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 13); }
template <class Core> void C_LE_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 14); }
template <class Core> void C_NGT_S(Core& c, const Operands& o) { compare_and_set_condition<Single>(c, o, 15); }
template <class Core> void C_F_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 0); }
template <class Core> void C_UN_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 1); }
template <class Core> void C_EQ_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 2); }
template <class Core> void C_UEQ_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 3); }
template <class Core> void C_OLT_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 4); }
template <class Core> void C_ULT_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 5); }
template <class Core> void C_OLE_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 6); }
template <class Core> void C_ULE_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 7); }
template <class Core> void C_SF_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 8); }
template <class Core> void C_NGLE_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 9); }
template <class Core> void C_SEQ_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 10); }
template <class Core> void C_NGL_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 11); }
template <class Core> void C_LT_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 12); }
template <class Core> void C_NGE_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 13); }
template <class Core> void C_LE_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 14); }
template <class Core> void C_NGT_D(Core& c, const Operands& o) { compare_and_set_condition<Double>(c, o, 15); }

// ---- Multiply-add (COP1X): fd = ±(fs × ft ± fr), rounded after the product and after the sum -----

enum class MultiplyAdd { Add, Subtract, NegatedAdd, NegatedSubtract };

template <class F, class Core> inline void multiply_add(Core& c, const Operands& o, MultiplyAdd kind)
{
    require_fpu(c);
    if constexpr (std::is_same_v<F, Double>)
        require_even_registers(c, o.sa | o.rs | o.rd | o.rt);
    Arithmetic arithmetic(c.cpu.fpu);
    typename F::Bits product = arithmetic.multiply<F>(read_fpr<F>(c, o.rd), read_fpr<F>(c, o.rt));
    typename F::Bits fr = read_fpr<F>(c, o.rs);
    bool subtract = kind == MultiplyAdd::Subtract || kind == MultiplyAdd::NegatedSubtract;
    typename F::Bits result = subtract ? arithmetic.subtract<F>(product, fr) : arithmetic.add<F>(product, fr);
    // The negated forms flip the sign of whatever the sum gave, a NaN included.
    if (kind == MultiplyAdd::NegatedAdd || kind == MultiplyAdd::NegatedSubtract)
        result = cpu::fpu::negate<F>(result);
    update_fcsr(c, arithmetic);
    write_fpr<F>(c, o.sa, result);
}

// madd.s fd, fr, fs, ft
template <class Core> void MADD_S(Core& c, const Operands& o) { multiply_add<Single>(c, o, MultiplyAdd::Add); }
// madd.d fd, fr, fs, ft
template <class Core> void MADD_D(Core& c, const Operands& o) { multiply_add<Double>(c, o, MultiplyAdd::Add); }
// msub.s fd, fr, fs, ft
template <class Core> void MSUB_S(Core& c, const Operands& o) { multiply_add<Single>(c, o, MultiplyAdd::Subtract); }
// msub.d fd, fr, fs, ft
template <class Core> void MSUB_D(Core& c, const Operands& o) { multiply_add<Double>(c, o, MultiplyAdd::Subtract); }
// nmadd.s fd, fr, fs, ft
template <class Core> void NMADD_S(Core& c, const Operands& o) { multiply_add<Single>(c, o, MultiplyAdd::NegatedAdd); }
// nmadd.d fd, fr, fs, ft
template <class Core> void NMADD_D(Core& c, const Operands& o) { multiply_add<Double>(c, o, MultiplyAdd::NegatedAdd); }
// nmsub.s fd, fr, fs, ft
template <class Core> void NMSUB_S(Core& c, const Operands& o)
{
    multiply_add<Single>(c, o, MultiplyAdd::NegatedSubtract);
}
// nmsub.d fd, fr, fs, ft
template <class Core> void NMSUB_D(Core& c, const Operands& o)
{
    multiply_add<Double>(c, o, MultiplyAdd::NegatedSubtract);
}

} // namespace isomorph::isa::semantics
