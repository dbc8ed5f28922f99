#include "engines/jit/block_emitter.h"

#include <xbyak/xbyak_util.h>

namespace isomorph::engines::jit {

using isa::Opcode;

// The fast path checks exactness with fused multiply-adds (and VEX encodings): a host without
// them runs the four operations through their helpers.
bool host_runs_fpu_arithmetic_inline()
{
    static const bool has = [] {
        Xbyak::util::Cpu cpu;
        return cpu.has(Xbyak::util::Cpu::tAVX) && cpu.has(Xbyak::util::Cpu::tFMA);
    }();
    return has;
}

namespace {

// Bit patterns of magnitudes shifted left by one (the sign shifted out), as the fast path
// compares them: infinity, and the smallest product or quotient it takes without the helper.
// Below that a result may be tiny (Underflow), and the error term that decides Inexact could
// itself round to zero: 2^-900 and 2^-90 leave more than the 106 (48) bits that term needs.
constexpr uint64_t double_infinity = uint64_t{0x7FF} << 53;
constexpr uint64_t double_smallest = uint64_t{1023 - 900} << 53;
constexpr uint32_t single_infinity = 0xFFu << 24;
constexpr uint32_t single_smallest = uint32_t{127 - 90} << 24;

} // namespace

// Blocks test the FPU's mode once, at their entry (frontend.h: FpuMode::Common), if an
// instruction they translate inline reads it: a coprocessor 1 access (Status), or arithmetic
// (FCSR too). Status.CU1 and FR are adjacent bytes of the CpuState: one comparison of a word.
void BlockEmitter::test_fpu_mode(const GuestBlock& guest, Xbyak::Label& other_mode)
{
    if (guest.fpu_mode != FpuMode::Common || !m_runtime.fpu_mode_site)
        return;
    bool accesses = false, arithmetic = false, sets_modes = false;
    for (const GuestInstruction& instruction : guest.instructions) {
        switch (instruction.decoded.opcode) {
        case Opcode::LWC1: case Opcode::SWC1: case Opcode::LDC1: case Opcode::SDC1: accesses = true; break;
        case Opcode::CTC1: sets_modes = true; break;
        default: arithmetic |= is_fpu_arithmetic(instruction.decoded.opcode) && host_runs_fpu_arithmetic_inline(); break;
        }
    }
    if (!accesses && !arithmetic)
        return;
    static_assert(offsets::fpu_enabled == offsets::fpu_fr + 1);
    cmp(word[rbx + offsets::fpu_fr], 0x0101); // FR = 1, CU1 = 1
    jne(other_mode, T_NEAR);
    m_fpu_status_known = true;
    if (arithmetic && !sets_modes) {
        test(dword[rbx + offsets::fcsr], fcsr_uncommon_modes);
        jnz(other_mode, T_NEAR);
        m_fcsr_modes_known = true;
    }
}

// add, sub, mul, div .s and .d fd, fs, ft. The fast path takes the common case: FR = 1, FCSR
// with round to nearest, no flush to zero and no Inexact trap (the block's entry tested these
// unless it is FpuMode::Tested or has a CTC1), and a result that raises nothing
// but Inexact: for add and sub one that is finite (a tiny sum is always exact), for mul and div
// one whose magnitude is normal and not too small, or a zero from a zero operand (a zero
// dividend for div). Whether the result is inexact is computed, not read from MXCSR (reading it
// stalls until every operation in flight is done, a dozen cycles or more): a sum s = a + b is
// exact if and only if s - a == b and s - b == a; a product or quotient if and only if its
// rounding error, computed exactly by a fused multiply-add (a*b - r, a - q*b), is zero. FCSR.Cause (and Flags)
// then get what the shared semantics would give them. Anything else runs the helper, which
// computes the instruction again from its untouched operands.
// MXCSR is never read or written here: within an engine run its control bits are round to
// nearest with every exception masked between instructions (cpu/fpu_arithmetic.h), whatever
// flags translated code leaves set in it.
bool BlockEmitter::emit_fpu_arithmetic(const GuestInstruction& instruction)
{
    if (!host_runs_fpu_arithmetic_inline())
        return false;
    const isa::Operands& o = instruction.decoded.operands;
    Opcode opcode = instruction.decoded.opcode;
    bool single = opcode == Opcode::ADD_S || opcode == Opcode::SUB_S || opcode == Opcode::MUL_S || opcode == Opcode::DIV_S;
    bool additive = opcode == Opcode::ADD_S || opcode == Opcode::ADD_D || opcode == Opcode::SUB_S || opcode == Opcode::SUB_D;
    bool divides = opcode == Opcode::DIV_S || opcode == Opcode::DIV_D;
    unsigned fs = o.rd, ft = o.rt, fd = o.sa;
    constexpr uint32_t inexact = cpu::fpu::Inexact;
    // The helper may raise: the state is precise before it, as for any helper. Outside a delay
    // slot the cold path makes it so itself (the guest registers stay in their host registers);
    // in one the block does, as before any helper.
    m_resume_labels.emplace_back();
    Xbyak::Label& resume = m_resume_labels.back();
    m_cold_paths.push_back(ColdPath{instruction, Xbyak::Label(), &resume});
    if (m_in_delay_slot) {
        write_back_dirty();
        synchronize_state(instruction);
    } else {
        m_cold_paths.back().stores_state = true;
        m_cold_paths.back().dirty = dirty_registers();
    }
    Xbyak::Label& slow = m_cold_paths.back().label;
    Xbyak::Label exact, zero, done;
    if (!m_fpu_status_known) {
        cmp(byte[rbx + offsets::fpu_enabled], 0);
        je(slow, T_NEAR);
        cmp(byte[rbx + offsets::fpu_fr], 0);
        je(slow, T_NEAR);
    }
    mov(edx, dword[rbx + offsets::fcsr]);
    if (!m_fcsr_modes_known) {
        test(edx, fcsr_uncommon_modes);
        jnz(slow, T_NEAR);
    }

    // xmm0 = fs, xmm1 = ft, xmm2 = the result, xmm3 = its rounding error.
    auto fpr = [&](unsigned number) { return qword[rbx + offsets::fpr(number)]; };
    if (single) {
        vmovss(xmm0, dword[rbx + offsets::fpr(fs)]);
        vmovss(xmm1, dword[rbx + offsets::fpr(ft)]);
    } else {
        vmovsd(xmm0, fpr(fs));
        vmovsd(xmm1, fpr(ft));
    }
    switch (opcode) {
    case Opcode::ADD_S: vaddss(xmm2, xmm0, xmm1); break;
    case Opcode::SUB_S: vsubss(xmm2, xmm0, xmm1); break;
    case Opcode::MUL_S: vmulss(xmm2, xmm0, xmm1); break;
    case Opcode::DIV_S: vdivss(xmm2, xmm0, xmm1); break;
    case Opcode::ADD_D: vaddsd(xmm2, xmm0, xmm1); break;
    case Opcode::SUB_D: vsubsd(xmm2, xmm0, xmm1); break;
    case Opcode::MUL_D: vmulsd(xmm2, xmm0, xmm1); break;
    default: vdivsd(xmm2, xmm0, xmm1); break; // DIV_D
    }
    and_(edx, ~cpu::fcsr::cause_mask);
    // rax (eax) = the magnitude of a value in an xmm register, shifted left by one; the flags
    // say whether it is zero. Then a comparison with a magnitude in that form, through rcx.
    auto magnitude = [&](const Xbyak::Xmm& value) {
        if (single) {
            vmovd(eax, value);
            add(eax, eax);
        } else {
            vmovq(rax, value);
            add(rax, rax);
        }
    };
    auto compare_magnitude = [&](uint64_t double_bound, uint32_t single_bound) {
        if (single) {
            cmp(eax, single_bound);
        } else {
            mov(rcx, double_bound);
            cmp(rax, rcx);
        }
    };
    auto subtract = [&](const Xbyak::Xmm& to, const Xbyak::Xmm& left, const Xbyak::Xmm& right) {
        single ? vsubss(to, left, right) : vsubsd(to, left, right);
    };
    // to = all ones where left != right (or unordered), else zero.
    auto differs = [&](const Xbyak::Xmm& to, const Xbyak::Xmm& left, const Xbyak::Xmm& right) {
        single ? vcmpneqss(to, left, right) : vcmpneqsd(to, left, right);
    };

    magnitude(xmm2);
    if (additive) {
        // A NaN or infinite sum (an overflow, or such an operand): the helper.
        compare_magnitude(double_infinity, single_infinity);
        jae(slow, T_NEAR);
        // s = a + b is exact if and only if s - a == b and s - b == a. (If it is, both
        // subtractions are exact. If not, take |a| >= |b|: then s - a is exact (as in Fast2Sum)
        // and differs from b.) sub computes a + (-b): the tests are a - s == b and s + b == a,
        // as rounding is symmetric. Two short, independent steps, where the error itself
        // (TwoSum) takes five dependent ones.
        if (opcode == Opcode::ADD_S || opcode == Opcode::ADD_D) {
            subtract(xmm3, xmm2, xmm0);
            subtract(xmm4, xmm2, xmm1);
        } else {
            subtract(xmm3, xmm0, xmm2);
            single ? vaddss(xmm4, xmm2, xmm1) : vaddsd(xmm4, xmm2, xmm1);
        }
        differs(xmm3, xmm3, xmm1);
        differs(xmm4, xmm4, xmm0);
        vorps(xmm3, xmm3, xmm4);
    } else {
        jz(zero, T_NEAR);
        compare_magnitude(double_smallest, single_smallest);
        jb(slow, T_NEAR); // may be tiny: Underflow is the helper's
        compare_magnitude(double_infinity, single_infinity);
        jae(slow, T_NEAR);
        // The result is exact if and only if the error term, exact itself, is zero.
        if (divides) {
            // a - q*b is exact only for a dividend of some size too.
            magnitude(xmm0);
            compare_magnitude(double_smallest, single_smallest);
            jb(slow, T_NEAR);
            vmovaps(xmm3, xmm0);
            single ? vfnmadd231ss(xmm3, xmm2, xmm1) : vfnmadd231sd(xmm3, xmm2, xmm1); // a - q*b
        } else {
            vmovaps(xmm3, xmm2);
            single ? vfmsub231ss(xmm3, xmm0, xmm1) : vfmsub231sd(xmm3, xmm0, xmm1); // a*b - r
        }
        vxorps(xmm4, xmm4, xmm4);
        differs(xmm3, xmm3, xmm4);
    }
    // Inexact without a branch (whether it is can follow the data): eax = 1 or 0, times the
    // Cause and Flags bits.
    vmovmskps(eax, xmm3);
    and_(eax, 1);
    imul(eax, eax, (inexact << cpu::fcsr::cause_shift) | (inexact << cpu::fcsr::flags_shift));
    or_(edx, eax);
    L(exact);
    mov(dword[rbx + offsets::fcsr], edx);
    if (single)
        vmovss(dword[rbx + offsets::fpr(fd)], xmm2); // the high word stays, as write_word keeps it
    else
        vmovsd(fpr(fd), xmm2);
    if (!additive) {
        jmp(done, T_NEAR);
        // A zero product is exact when an operand is zero (the other one is finite, or the
        // product would be a NaN); a zero quotient when the dividend is zero. Anything else
        // underflowed.
        L(zero);
        vxorps(xmm4, xmm4, xmm4);
        single ? vucomiss(xmm0, xmm4) : vucomisd(xmm0, xmm4);
        if (divides) {
            jne(slow, T_NEAR);
            jmp(exact, T_NEAR);
        } else {
            je(exact, T_NEAR);
            single ? vucomiss(xmm1, xmm4) : vucomisd(xmm1, xmm4);
            je(exact, T_NEAR);
            jmp(slow, T_NEAR);
        }
        L(done);
    }
    L(resume);
    return true;
}

} // namespace isomorph::engines::jit
