// Coprocessor 1: the IEEE arithmetic of cpu/fpu_arithmetic.h and the semantics of the FPU rows,
// run against a small test core. The expected values are what qemu-mipsel (a 24Kf with legacy
// NaNs) produces; tests/guest/programs/fpu_*.c check the same behaviour end to end.

#include "cpu/fpu_arithmetic.h"
#include "isa/decoder.h"
#include "isa/disassembler.h"
#include "isa/semantics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <vector>

namespace isomorph {

namespace {

using cpu::fpu::Arithmetic;
using cpu::fpu::Double;
using cpu::fpu::Long;
using cpu::fpu::Rounding;
using cpu::fpu::Single;
using cpu::fpu::Word;
using namespace cpu::fpu; // the Exception bits

// Encodings used below (Volume II-A): fields are shifted into place by these helpers.
constexpr uint32_t cop1(uint32_t fmt, uint32_t ft, uint32_t fs, uint32_t fd, uint32_t function)
{
    return (0x11u << 26) | (fmt << 21) | (ft << 16) | (fs << 11) | (fd << 6) | function;
}
constexpr uint32_t fmt_s = 0x10, fmt_d = 0x11, fmt_w = 0x14, fmt_l = 0x15;

// A core for one instruction at a time: flat memory in a map, exceptions thrown as C++ exceptions.
struct Raised {
    cpu::ExitKind kind;
};

class TestCore {
public:
    cpu::CpuState cpu;
    std::map<uint32_t, uint8_t> bytes;
    std::optional<uint32_t> taken;
    bool fell_through = false;
    bool nullified = false;

    uint32_t pc() const { return 0x1000; }
    uint32_t gpr(unsigned n) const { return cpu.gpr[n]; }
    void set_gpr(unsigned n, uint32_t value)
    {
        if (n != 0)
            cpu.gpr[n] = value;
    }
    void branch(uint32_t target) { taken = target; }
    void branch_not_taken() { fell_through = true; }
    void nullify_delay_slot() { nullified = true; }

    template <class T> T load(uint32_t address)
    {
        if (address % sizeof(T))
            raise(cpu::ExitKind::AddressErrorLoad, address);
        uint64_t value = 0;
        for (unsigned i = 0; i < sizeof(T); ++i)
            value |= uint64_t{bytes[address + i]} << (8 * i);
        return static_cast<T>(value);
    }
    template <class T> void store(uint32_t address, T value)
    {
        if (address % sizeof(T))
            raise(cpu::ExitKind::AddressErrorStore, address);
        for (unsigned i = 0; i < sizeof(T); ++i)
            bytes[address + i] = static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i));
    }
    [[noreturn]] void raise(cpu::ExitKind kind, uint32_t = 0, uint32_t = 0) { throw Raised{kind}; }

    // Decodes and runs one FPU instruction word (or MOVF, MOVT); returns the exception it raised.
    std::optional<cpu::ExitKind> execute(uint32_t word)
    {
        isa::DecodedInstruction instruction = isa::decode(word);
        try {
            switch (instruction.opcode) {
#define INSTRUCTION(name, mnemonic, pattern, syntax, flags)                                                  \
    case isa::Opcode::name: isa::semantics::name(*this, instruction.operands); break;
#include "isa/fpu.inc"
#undef INSTRUCTION
            case isa::Opcode::MOVF: isa::semantics::MOVF(*this, instruction.operands); break;
            case isa::Opcode::MOVT: isa::semantics::MOVT(*this, instruction.operands); break;
            case isa::Opcode::Reserved: raise(cpu::ExitKind::ReservedInstruction);
            default: ADD_FAILURE() << "not an FPU instruction: " << std::hex << word; break;
            }
        } catch (const Raised& raised) {
            return raised.kind;
        }
        return std::nullopt;
    }
};

uint32_t single_bits(float value)
{
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}
uint64_t double_bits(double value)
{
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

constexpr uint32_t single_quiet_nan = 0x7F800001;      // most significant fraction bit clear
constexpr uint32_t single_signalling_nan = 0x7FC00000; // most significant fraction bit set
constexpr uint64_t double_signalling_nan = 0x7FF8000000000000;

} // namespace

// ---- Arithmetic ---------------------------------------------------------------------------------

TEST(FpuArithmetic, NaNResultsAreTheLegacyDefaultNaN)
{
    Arithmetic arithmetic(Rounding::Nearest, false);
    EXPECT_EQ(arithmetic.add<Single>(single_quiet_nan, single_bits(1)), Single::default_nan);
    EXPECT_EQ(arithmetic.exceptions(), 0u) << "a quiet NaN operand raises nothing";
    EXPECT_EQ(arithmetic.multiply<Single>(single_bits(2), 0xFF800123), Single::default_nan);
    EXPECT_EQ(arithmetic.exceptions(), 0u);

    Arithmetic signalling(Rounding::Nearest, false);
    EXPECT_EQ(signalling.add<Single>(single_bits(1), single_signalling_nan), Single::default_nan);
    EXPECT_EQ(signalling.exceptions(), Invalid);

    Arithmetic invalid(Rounding::Nearest, false);
    EXPECT_EQ(invalid.subtract<Double>(double_bits(INFINITY), double_bits(INFINITY)), Double::default_nan);
    EXPECT_EQ(invalid.exceptions(), Invalid) << "x86's own default NaN must not leak out";
    EXPECT_EQ(invalid.square_root<Double>(double_bits(-1.0)), Double::default_nan);
    EXPECT_EQ(invalid.divide<Single>(0, 0x80000000), Single::default_nan);
}

TEST(FpuArithmetic, DivisionByZeroAndOverflow)
{
    Arithmetic divide(Rounding::Nearest, false);
    EXPECT_EQ(divide.divide<Single>(single_bits(-1), 0), 0xFF800000u);
    EXPECT_EQ(divide.exceptions(), DivideByZero);

    Arithmetic overflow(Rounding::TowardZero, false);
    EXPECT_EQ(overflow.multiply<Single>(0x7F7FFFFF, single_bits(2)), 0x7F7FFFFFu) << "toward zero stops at the largest";
    EXPECT_EQ(overflow.exceptions(), Overflow | Inexact);
}

TEST(FpuArithmetic, RoundingModes)
{
    // 1 + 2^-24 lies halfway between 1 and the next single.
    uint32_t one = single_bits(1), half_ulp = 0x33800000;
    EXPECT_EQ(Arithmetic(Rounding::Nearest, false).add<Single>(one, half_ulp), one);
    EXPECT_EQ(Arithmetic(Rounding::TowardZero, false).add<Single>(one, half_ulp), one);
    EXPECT_EQ(Arithmetic(Rounding::TowardPositive, false).add<Single>(one, half_ulp), one + 1);
    EXPECT_EQ(Arithmetic(Rounding::TowardNegative, false).add<Single>(one | Single::sign_bit, half_ulp | Single::sign_bit),
              (one + 1) | Single::sign_bit);
    // x - x is +0 except when rounding toward negative.
    EXPECT_EQ(Arithmetic(Rounding::Nearest, false).subtract<Double>(double_bits(3), double_bits(3)), 0u);
    EXPECT_EQ(Arithmetic(Rounding::TowardNegative, false).subtract<Double>(double_bits(3), double_bits(3)),
              Double::sign_bit);
}

TEST(FpuArithmetic, UnderflowNeedsInexactAndTininessIsAfterRounding)
{
    Arithmetic exact(Rounding::Nearest, false);
    EXPECT_EQ(exact.multiply<Single>(single_bits(0.5f), 0x00800000), 0x00400000u);
    EXPECT_EQ(exact.exceptions(), 0u) << "an exact subnormal result does not underflow";

    Arithmetic inexact(Rounding::Nearest, false);
    EXPECT_EQ(inexact.multiply<Single>(single_bits(0.5f), 0x00800001), 0x00400000u);
    EXPECT_EQ(inexact.exceptions(), Underflow | Inexact);

    // (1 + 2^-23) × (2^-126 - 2^-149) = 2^-126 (1 - 2^-46): tiny before rounding, not after.
    Arithmetic after(Rounding::Nearest, false);
    EXPECT_EQ(after.multiply<Single>(0x3F800001, 0x007FFFFF), 0x00800000u);
    EXPECT_EQ(after.exceptions(), Inexact);
}

// Engines run guest code inside a GuestModeScope, where operations keep MXCSR in round to
// nearest with every exception masked instead of setting and restoring it each time: the same
// results and exceptions, each operation's own (an Inexact of one, or a flag translated code left
// set, does not leak into the next), MXCSR's control bits back to the scope's after every
// operation whatever mode it rounded in (translated code relies on them), and the host's MXCSR
// back after the scope.
TEST(FpuArithmetic, GuestModeScopeKeepsResultsAndRestoresTheHostMode)
{
    auto read_mxcsr = [] {
        uint32_t value = 0;
        asm volatile("stmxcsr %0" : "=m"(value));
        return value;
    };
    std::vector<uint32_t> modes_after; // MXCSR after each operation, inside the scope
    bool inside_scope = false;
    auto run_all = [&] {
        std::vector<uint64_t> seen;
        auto record = [&](uint64_t result, const Arithmetic& arithmetic) {
            seen.push_back(result);
            seen.push_back(arithmetic.exceptions());
            if (inside_scope) {
                modes_after.push_back(read_mxcsr());
                uint32_t stale = read_mxcsr() | 0x20; // as translated code may leave Precision set
                asm volatile("ldmxcsr %0" : : "m"(stale));
            }
        };
        Arithmetic inexact(Rounding::Nearest, false);
        record(inexact.divide<Single>(single_bits(1), single_bits(3)), inexact);
        Arithmetic exact(Rounding::Nearest, false);
        record(exact.add<Double>(double_bits(1), double_bits(2)), exact);
        Arithmetic toward_positive(Rounding::TowardPositive, false);
        record(toward_positive.add<Single>(single_bits(1), 0x33800000), toward_positive);
        Arithmetic truncate(Rounding::Nearest, false);
        record(truncate.convert_to_integer<Word, Double>(double_bits(2.75), Rounding::TowardZero), truncate);
        Arithmetic nearest(Rounding::Nearest, false);
        record(nearest.add<Single>(single_bits(1), 0x33800000), nearest);
        Arithmetic invalid(Rounding::Nearest, false);
        record(invalid.convert_to_integer<Word, Single>(single_bits(1e20f), Rounding::Nearest), invalid);
        Arithmetic flushed(Rounding::Nearest, true);
        record(flushed.multiply<Single>(0x3F7FFFFF, 0x00800000), flushed);
        Arithmetic clean(Rounding::Nearest, false);
        record(clean.multiply<Double>(double_bits(2), double_bits(4)), clean);
        return seen;
    };
    std::vector<uint64_t> outside = run_all();
    uint32_t host_mode = read_mxcsr();
    std::vector<uint64_t> inside;
    {
        cpu::fpu::GuestModeScope scope;
        inside_scope = true;
        inside = run_all();
        inside_scope = false;
    }
    EXPECT_EQ(inside, outside);
    EXPECT_EQ(read_mxcsr(), host_mode);
    ASSERT_EQ(modes_after.size(), 8u);
    for (uint32_t mode : modes_after)
        EXPECT_EQ(mode, 0x1F80u) << "MXCSR after an operation in the scope";
}

TEST(FpuArithmetic, FlushToZeroFlushesTinyExactResultsSilently)
{
    Arithmetic subnormal(Rounding::Nearest, true);
    EXPECT_EQ(subnormal.multiply<Single>(single_bits(0.5f), 0x00800000), 0u);
    EXPECT_EQ(subnormal.exceptions(), 0u);

    Arithmetic negative(Rounding::Nearest, true);
    EXPECT_EQ(negative.add<Double>(0x8000000000000001, 0x8000000000000000), Double::sign_bit);

    // Rounds up to the smallest normal, yet the exact value is below it: flushed.
    Arithmetic rounded_up(Rounding::Nearest, true);
    EXPECT_EQ(rounded_up.multiply<Single>(0x3F7FFFFF, 0x00800000), 0u);
    EXPECT_EQ(rounded_up.exceptions(), 0u);

    // Tiny before rounding only (2^-126 (1 - 2^-46)): flushed too, unlike the Underflow test.
    Arithmetic before(Rounding::Nearest, true);
    EXPECT_EQ(before.multiply<Single>(0x3F800001, 0x007FFFFF), 0u);
    EXPECT_EQ(before.exceptions(), 0u);

    Arithmetic normal(Rounding::Nearest, true);
    EXPECT_EQ(normal.multiply<Single>(0x3F800001, 0x00800000), 0x00800001u);
    EXPECT_EQ(normal.exceptions(), 0u);
}

TEST(FpuArithmetic, ConversionsToIntegers)
{
    Arithmetic round(Rounding::Nearest, false);
    EXPECT_EQ((round.convert_to_integer<Word, Single>(single_bits(2.5f), Rounding::Nearest)), 2u);
    EXPECT_EQ((round.convert_to_integer<Word, Single>(single_bits(-2.5f), Rounding::TowardNegative)), 0xFFFFFFFDu);
    EXPECT_EQ((round.convert_to_integer<Word, Double>(double_bits(-2.5), Rounding::TowardZero)), 0xFFFFFFFEu);
    EXPECT_EQ((round.convert_to_integer<Word, Double>(double_bits(2.1), Rounding::TowardPositive)), 3u);
    EXPECT_EQ(round.exceptions(), Inexact);

    Arithmetic exact(Rounding::Nearest, false);
    EXPECT_EQ((exact.convert_to_integer<Word, Single>(0xCF000000, Rounding::Nearest)), 0x80000000u) << "-2^31 fits";
    EXPECT_EQ((exact.convert_to_integer<Long, Double>(double_bits(-0x1p63), Rounding::Nearest)), 0x8000000000000000u);
    EXPECT_EQ(exact.exceptions(), 0u);

    for (uint32_t operand : {0x4F000000u, 0xCF000001u, single_quiet_nan, single_signalling_nan, 0xFF800000u}) {
        Arithmetic invalid(Rounding::Nearest, false);
        EXPECT_EQ((invalid.convert_to_integer<Word, Single>(operand, Rounding::Nearest)), 0x7FFFFFFFu) << operand;
        EXPECT_EQ(invalid.exceptions(), Invalid) << "Invalid alone, even for an inexact operand";
    }
    Arithmetic long_invalid(Rounding::Nearest, false);
    EXPECT_EQ((long_invalid.convert_to_integer<Long, Double>(double_bits(0x1p63), Rounding::TowardZero)),
              0x7FFFFFFFFFFFFFFFu);
    EXPECT_EQ(long_invalid.exceptions(), Invalid);
    // 2^31 - 0.5 rounds to 2^31 in round-to-nearest: out of range after rounding.
    Arithmetic rounded_out(Rounding::Nearest, false);
    EXPECT_EQ((rounded_out.convert_to_integer<Word, Double>(double_bits(2147483647.5), Rounding::Nearest)),
              0x7FFFFFFFu);
    EXPECT_EQ(rounded_out.exceptions(), Invalid);
}

TEST(FpuArithmetic, ConversionsBetweenFormats)
{
    Arithmetic widen(Rounding::Nearest, false);
    EXPECT_EQ(widen.convert_single_to_double(0x00000001), double_bits(0x1p-149));
    EXPECT_EQ(widen.convert_single_to_double(single_quiet_nan), Double::default_nan);
    EXPECT_EQ(widen.exceptions(), 0u);
    EXPECT_EQ(widen.convert_single_to_double(single_signalling_nan), Double::default_nan);
    EXPECT_EQ(widen.exceptions(), Invalid);

    Arithmetic narrow(Rounding::TowardPositive, false);
    EXPECT_EQ(narrow.convert_double_to_single(double_bits(1e300)), 0x7F800000u);
    EXPECT_EQ(narrow.exceptions(), Overflow | Inexact);
    Arithmetic narrow_nan(Rounding::Nearest, false);
    EXPECT_EQ(narrow_nan.convert_double_to_single(double_signalling_nan), Single::default_nan);
    EXPECT_EQ(narrow_nan.exceptions(), Invalid);

    Arithmetic from_long(Rounding::TowardZero, false);
    EXPECT_EQ((from_long.convert_from_integer<Single, Long>(0x7FFFFFFFFFFFFFFF)), 0x5EFFFFFFu);
    EXPECT_EQ(from_long.exceptions(), Inexact);
    Arithmetic from_word(Rounding::Nearest, false);
    EXPECT_EQ((from_word.convert_from_integer<Double, Word>(0x80000000)), double_bits(-0x1p31));
    EXPECT_EQ(from_word.exceptions(), 0u);
}

TEST(FpuArithmetic, Comparisons)
{
    using cpu::fpu::ConditionEqual, cpu::fpu::ConditionLess, cpu::fpu::ConditionSignalling,
        cpu::fpu::ConditionUnordered;
    Arithmetic quiet(Rounding::Nearest, false);
    EXPECT_TRUE(quiet.compare<Single>(0x80000000, 0, ConditionEqual)) << "-0 == +0";
    EXPECT_TRUE(quiet.compare<Double>(double_bits(-1), double_bits(1), ConditionLess));
    EXPECT_FALSE(quiet.compare<Single>(single_quiet_nan, 0, ConditionEqual | ConditionLess));
    EXPECT_TRUE(quiet.compare<Single>(single_quiet_nan, 0, ConditionUnordered));
    EXPECT_EQ(quiet.exceptions(), 0u);
    EXPECT_FALSE(quiet.compare<Single>(single_signalling_nan, 0, 0));
    EXPECT_EQ(quiet.exceptions(), Invalid) << "c.f with a signalling NaN";

    Arithmetic signalling(Rounding::Nearest, false);
    EXPECT_FALSE(signalling.compare<Single>(single_quiet_nan, 0, ConditionSignalling | ConditionLess));
    EXPECT_EQ(signalling.exceptions(), Invalid) << "c.lt with a quiet NaN";
}

// ---- Semantics ----------------------------------------------------------------------------------

TEST(FpuSemantics, RegisterModes)
{
    // mtc1 t0, $f0; mtc1 t1, $f1; mfhc1 t2, $f0
    for (bool fr : {false, true}) {
        TestCore core;
        core.cpu.fpu.fr = fr;
        core.cpu.gpr[8] = 0x11111111;
        core.cpu.gpr[9] = 0x22222222;
        core.execute(0x44880000);
        core.execute(0x44890800);
        core.execute(0x446A0000);
        EXPECT_EQ(core.cpu.gpr[10], fr ? 0u : 0x22222222u) << "FR=" << fr;
        // mthc1 t0, $f2 then sdc1 $f2, 0(zero)
        core.execute(0x44E81000);
        core.cpu.fpu.write_word(2, 0x33333333);
        core.execute(0xF4020000);
        EXPECT_EQ(core.load<uint64_t>(0), 0x1111111133333333u);
        EXPECT_EQ(core.cpu.fpu.fpr[3] & 0xFFFFFFFF, fr ? 0u : 0x11111111u);
    }
}

TEST(FpuSemantics, OddDoubleRegistersAndTheLFormatNeedFr)
{
    TestCore core;
    core.cpu.fpu.fr = false;
    EXPECT_EQ(core.execute(cop1(fmt_d, 2, 1, 4, 0x00)), cpu::ExitKind::ReservedInstruction) << "add.d $f4,$f1,$f2";
    EXPECT_EQ(core.execute(cop1(fmt_d, 0, 2, 0, 0x25)), cpu::ExitKind::ReservedInstruction) << "cvt.l.d";
    EXPECT_EQ(core.execute(cop1(fmt_l, 0, 2, 0, 0x21)), cpu::ExitKind::ReservedInstruction) << "cvt.d.l";
    EXPECT_EQ(core.execute(cop1(fmt_d, 0, 2, 4, 0x00)), std::nullopt) << "add.d $f4,$f2,$f0";
    EXPECT_EQ(core.execute(cop1(fmt_d, 0, 3, 5, 0x11)), std::nullopt) << "movf.d does not check";

    core.cpu.fpu.fr = true;
    EXPECT_EQ(core.execute(cop1(fmt_d, 2, 1, 4, 0x00)), std::nullopt);
    core.cpu.fpu.fpr[2] = double_bits(-2.5);
    EXPECT_EQ(core.execute(cop1(fmt_d, 0, 2, 3, 0x25)), std::nullopt) << "cvt.l.d $f3,$f2";
    EXPECT_EQ(core.cpu.fpu.fpr[3], 0xFFFFFFFFFFFFFFFEu);
    EXPECT_EQ(core.execute(cop1(fmt_l, 0, 3, 5, 0x20)), std::nullopt) << "cvt.s.l $f5,$f3";
    EXPECT_EQ(core.cpu.fpu.read_word(5), single_bits(-2));
}

// Which instructions reject an odd double register with FR = 0, and which need FR = 1: each
// word was run under qemu-mipsel in an FP32 program (SIGILL or not).
TEST(FpuSemantics, RegisterChecksWithFrZeroMatchQemu)
{
    struct Case {
        uint32_t word;
        const char* text;
        bool reserved;
    };
    const Case cases[] = {
        {0x46220832, "c.eq.d $f1,$f2", true},         {0x46201032, "c.eq.d $f2,$f0", false},
        {0x46230032, "c.eq.d $f0,$f3", true},         {0x46001061, "cvt.d.s $f1,$f2", true},
        {0x460008A1, "cvt.d.s $f2,$f1", false},       {0x462008A0, "cvt.s.d $f2,$f1", true},
        {0x46201060, "cvt.s.d $f1,$f2", false},       {0x46201064, "cvt.w.d $f1,$f2", false},
        {0x462008A4, "cvt.w.d $f2,$f1", true},        {0x462008AC, "round.w.d $f2,$f1", true},
        {0x46201851, "movf.d $f1,$f3", false},        {0x46201852, "movz.d $f1,$f3,zero", false},
        {0x46201046, "mov.d $f1,$f2", true},          {0x462008A5, "abs.d $f2,$f1", true},
        {0x46201047, "neg.d $f1,$f2", true},          {0x462008B5, "recip.d $f2,$f1", true},
        {0x46201056, "rsqrt.d $f1,$f2", true},        {0x46201044, "sqrt.d $f1,$f2", true},
        {0x46801061, "cvt.d.w $f1,$f2", true},        {0x468008A1, "cvt.d.w $f2,$f1", false},
        {0x46211080, "add.d $f2,$f2,$f1", true},      {0x4C000041, "ldxc1 $f1,zero(zero)", true},
        {0x4C000081, "ldxc1 $f2,zero(zero)", false},  {0x4C000809, "sdxc1 $f1,zero(zero)", true},
        {0x4C000040, "lwxc1 $f1,zero(zero)", false},  {0x4C000005, "luxc1 $f0,zero(zero)", true},
        {0x4C00000D, "suxc1 $f0,zero(zero)", true},   {0x46201025, "cvt.l.d $f0,$f2", true},
        {0x46001025, "cvt.l.s $f0,$f2", true},        {0x46201009, "trunc.l.d $f0,$f2", true},
        {0x46A01020, "cvt.s.l $f0,$f2", true},        {0x46A01021, "cvt.d.l $f0,$f2", true},
        {0x4C463061, "madd.d $f1,$f2,$f6,$f6", true}, {0x4C673860, "madd.s $f1,$f3,$f7,$f7", false},
        {0xD4010000, "ldc1 $f1,0(zero)", false},      {0xF4010000, "sdc1 $f1,0(zero)", false},
        {0x44620800, "mfhc1 v0,$f1", false},          {0x44E00800, "mthc1 zero,$f1", false},
    };
    for (const Case& test : cases) {
        TestCore core;
        core.cpu.fpu.fr = false;
        std::optional<cpu::ExitKind> raised = core.execute(test.word);
        EXPECT_EQ(raised == cpu::ExitKind::ReservedInstruction, test.reserved) << test.text;
    }
}

TEST(FpuSemantics, CoprocessorUnusable)
{
    TestCore core;
    core.cpu.fpu.enabled = false;
    for (uint32_t word : {0x44880000u, 0xF4020000u, cop1(fmt_s, 0, 0, 0, 0x00), 0x45000001u, 0x4C000000u,
                          0x00000801u /* movf zero, zero, $fcc0 */})
        EXPECT_EQ(core.execute(word), cpu::ExitKind::CoprocessorUnusable) << std::hex << word;
}

// PREFX hint, index(base) is a hint: it decodes (qemu-mipsel runs it as a no-op), changes no
// register and touches no memory, even at an address that the map holds nothing for or that is
// misaligned, with FR = 0 or 1; like every COP1X instruction it needs coprocessor 1.
TEST(FpuSemantics, PrefxIsAHintThatNeedsCoprocessor1)
{
    for (uint32_t word : {0x4C85280Fu /* prefx 0x5,a1(a0) */, 0x4FFFF80Fu /* prefx 0x1f,ra(ra) */}) {
        ASSERT_EQ(isa::decode(word).opcode, isa::Opcode::PREFX) << std::hex << word;
        for (bool fr : {false, true}) {
            TestCore core;
            core.cpu.fpu.fr = fr;
            core.cpu.gpr[4] = 0x10000001;
            core.cpu.gpr[5] = 2;
            core.cpu.gpr[31] = 0xFFFFFFFF;
            cpu::CpuState before = core.cpu;
            EXPECT_EQ(core.execute(word), std::nullopt) << std::hex << word;
            EXPECT_TRUE(core.bytes.empty()) << "no memory access";
            EXPECT_EQ(core.cpu.gpr, before.gpr);
            EXPECT_EQ(core.cpu.fpu.fpr, before.fpu.fpr);
            EXPECT_EQ(core.cpu.fpu.fcsr, before.fpu.fcsr);
        }
    }
    TestCore core;
    core.cpu.fpu.enabled = false;
    EXPECT_EQ(core.execute(0x4C85280Fu), cpu::ExitKind::CoprocessorUnusable);
}

TEST(FpuSemantics, CauseFlagsAndEnabledExceptions)
{
    TestCore core;
    core.cpu.fpu.write_word(0, single_bits(1));
    core.cpu.fpu.write_word(1, 0);
    core.cpu.fpu.write_word(2, single_bits(7));
    // div.s $f2, $f0, $f1: Z in Cause and Flags, not enabled.
    EXPECT_EQ(core.execute(cop1(fmt_s, 1, 0, 2, 0x03)), std::nullopt);
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x00008020u);
    EXPECT_EQ(core.cpu.fpu.read_word(2), 0x7F800000u);
    // add.s $f3, $f0, $f0 is exact: Cause clears, Flags stay.
    core.execute(cop1(fmt_s, 0, 0, 3, 0x00));
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x00000020u);
    // mov.s and abs.s leave Cause alone; so does neg.s of a signalling NaN.
    core.cpu.fpu.fcsr = 0x00001000;
    core.cpu.fpu.write_word(4, single_signalling_nan);
    core.execute(cop1(fmt_s, 0, 4, 5, 0x07));
    EXPECT_EQ(core.cpu.fpu.read_word(5), 0xFFC00000u);
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x00001000u);

    // Enable Z: the division traps with Cause set, Flags and the destination unchanged.
    core.cpu.fpu.fcsr = 0x00000400;
    core.cpu.fpu.write_word(2, single_bits(7));
    EXPECT_EQ(core.execute(cop1(fmt_s, 1, 0, 2, 0x03)), cpu::ExitKind::FloatingPoint);
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x00008400u);
    EXPECT_EQ(core.cpu.fpu.read_word(2), single_bits(7));

    // An enabled Invalid in a comparison leaves the condition code alone.
    core.cpu.fpu.fcsr = 0x00000800 | (1u << 23);
    core.cpu.fpu.write_word(4, single_quiet_nan);
    EXPECT_EQ(core.execute(cop1(fmt_s, 0, 4, 0, 0x3C)), cpu::ExitKind::FloatingPoint) << "c.lt.s $fcc0";
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x00810800u);
}

TEST(FpuSemantics, ControlRegisters)
{
    TestCore core;
    auto ctc1 = [&](unsigned fs, uint32_t value) {
        core.cpu.gpr[8] = value;
        return core.execute((0x11u << 26) | (0x06u << 21) | (8u << 16) | (fs << 11));
    };
    auto cfc1 = [&](unsigned fs) {
        core.execute((0x11u << 26) | (0x02u << 21) | (9u << 16) | (fs << 11));
        return core.cpu.gpr[9];
    };
    EXPECT_EQ(cfc1(0), 0x00739300u);
    ctc1(31, 0xFFFFFFFF & ~0x3F000u & ~0xF80u);
    EXPECT_EQ(core.cpu.fpu.fcsr, 0xFF80007Fu) << "bits 22..18 are read-only";
    EXPECT_EQ(cfc1(25), 0xFFu);
    EXPECT_EQ(cfc1(26), 0x7Cu);
    EXPECT_EQ(cfc1(28), 0x07u);
    EXPECT_EQ(cfc1(2), core.cpu.fpu.fcsr) << "an unimplemented register reads as FCSR";
    ctc1(25, 0x01);
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x0180007Fu) << "FS is not part of FCCR";
    ctc1(25, 0x100);
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x0180007Fu) << "a reserved FCCR bit makes the write a no-op";
    ctc1(28, 0x06);
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x0180007Eu);
    // Cause.E traps whatever the enables; so does a Cause bit with its enable.
    EXPECT_EQ(ctc1(31, 0x00020000), cpu::ExitKind::FloatingPoint);
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x00020000u) << "written before the trap";
    EXPECT_EQ(ctc1(31, 0x00001080), cpu::ExitKind::FloatingPoint);
    EXPECT_EQ(ctc1(31, 0x00001100), std::nullopt);
}

TEST(FpuSemantics, ConditionCodesAndBranches)
{
    TestCore core;
    core.cpu.fpu.write_word(0, single_bits(1));
    core.cpu.fpu.write_word(1, single_bits(2));
    // c.lt.s $fcc5, $f0, $f1 sets FCSR bit 29.
    core.execute(cop1(fmt_s, 1, 0, 5 << 2, 0x3C));
    EXPECT_EQ(core.cpu.fpu.fcsr, 1u << 29);
    // bc1t $fcc5 is taken to pc + 4 + 4 × 3; bc1fl $fcc5 nullifies its delay slot.
    core.execute(0x45150003);
    EXPECT_EQ(core.taken, 0x1010u);
    core.taken.reset();
    core.execute(0x45160003);
    EXPECT_FALSE(core.taken);
    EXPECT_TRUE(core.nullified);
    // movt $t1, $t0, $fcc5 (integer) and movf.s $f2, $f1, $fcc5.
    core.cpu.gpr[8] = 42;
    core.execute(0x01154801);
    EXPECT_EQ(core.cpu.gpr[9], 42u);
    core.execute(cop1(fmt_s, 5 << 2, 1, 2, 0x11));
    EXPECT_EQ(core.cpu.fpu.read_word(2), 0u);
}

TEST(FpuSemantics, MultiplyAddRoundsTwice)
{
    TestCore core;
    core.cpu.fpu.fr = true;
    core.cpu.fpu.write_word(1, single_bits(-1));  // fr
    core.cpu.fpu.write_word(2, 0x3F800001);       // fs = 1 + 2^-23
    core.cpu.fpu.write_word(3, 0x3F7FFFFF);       // ft = 1 - 2^-24
    // madd.s $f4, $f1, $f2, $f3: the product rounds to 1, so the sum is 0 (a fused one is not).
    core.execute((0x13u << 26) | (1u << 21) | (3u << 16) | (2u << 11) | (4u << 6) | 0x20);
    EXPECT_EQ(core.cpu.fpu.read_word(4), 0u);
    EXPECT_EQ(core.cpu.fpu.fcsr, 0x00001004u);
    // nmadd.s of inf × -inf... the NaN result has its sign flipped too.
    core.cpu.fpu.write_word(1, 0x7F800000);
    core.cpu.fpu.write_word(2, 0xFF800000);
    core.cpu.fpu.write_word(3, single_bits(1));
    core.execute((0x13u << 26) | (1u << 21) | (3u << 16) | (2u << 11) | (4u << 6) | 0x30);
    EXPECT_EQ(core.cpu.fpu.read_word(4), 0xFFBFFFFFu);
}

TEST(FpuSemantics, IndexedLoadsAndStores)
{
    TestCore core;
    core.cpu.fpu.fr = true;
    core.cpu.gpr[4] = 0x100;
    core.cpu.gpr[5] = 0x0C;
    core.store<uint64_t>(0x108, 0x0123456789ABCDEF);
    // luxc1 $f6, a1(a0) ignores the low three bits of 0x10C.
    core.execute((0x13u << 26) | (4u << 21) | (5u << 16) | (6u << 6) | 0x05);
    EXPECT_EQ(core.cpu.fpu.fpr[6], 0x0123456789ABCDEFu);
    // ldxc1 of a misaligned address is an address error.
    EXPECT_EQ(core.execute((0x13u << 26) | (4u << 21) | (5u << 16) | (6u << 6) | 0x01),
              cpu::ExitKind::AddressErrorLoad);
    // swxc1 $f6, a1(a0) stores the low word.
    core.execute((0x13u << 26) | (4u << 21) | (5u << 16) | (6u << 11) | 0x08);
    EXPECT_EQ(core.load<uint32_t>(0x10C), 0x89ABCDEFu);
}

TEST(FpuDecoder, KnownWords)
{
    using isa::decode_opcode, isa::disassemble, isa::Opcode;
    EXPECT_EQ(decode_opcode(0xF7B40018), Opcode::SDC1);
    EXPECT_EQ(disassemble(0xF7B40018, 0), "sdc1\t$f20,24(sp)");
    EXPECT_EQ(decode_opcode(0x46201000), Opcode::ADD_D);
    EXPECT_EQ(disassemble(0x46201000, 0), "add.d\t$f0,$f2,$f0");
    EXPECT_EQ(decode_opcode(0x4C4C2021), Opcode::MADD_D);
    EXPECT_EQ(decode_opcode(cop1(fmt_s, 0, 0, 0, 0x30) | 0x80), Opcode::Reserved) << "bits 7..6 of a comparison must be zero";
    EXPECT_EQ(decode_opcode(cop1(0x16, 0, 0, 0, 0)), Opcode::Reserved) << "no paired-single format";
    EXPECT_EQ(decode_opcode(cop1(fmt_w, 0, 0, 0, 0x21)), Opcode::CVT_D_W);
    EXPECT_EQ(decode_opcode(cop1(fmt_w, 0, 0, 0, 0x00)), Opcode::Reserved);
}

} // namespace isomorph
