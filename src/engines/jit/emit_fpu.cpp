#include "engines/jit/block_emitter.h"

namespace isomorph::engines::jit {

using isa::Opcode;

// add, sub, mul, div .s and .d fd, fs, ft. The host computes the result under the guest's mode
// (engines run with the guest's MXCSR: cpu/fpu_arithmetic.h). The fast path takes the common
// case only: FR = 1, FCSR with round to nearest, no flush to zero and no Inexact trap, MXCSR in
// exactly that mode with no flag set, and a result that is not a NaN and raised nothing or only
// Inexact; FCSR.Cause (and Flags) then get what the shared semantics would give them. Anything
// else runs the helper, which computes the instruction again from its untouched operands.
// Reading MXCSR costs about as much as the operation: it is checked before the first one of a
// run of operations only. Both paths leave it clear for the next (the fast one clears the flag
// it raised; the helper leaves MXCSR in the guest's mode with no flag: cpu/fpu_arithmetic.h);
// a host rounding mode other than the guest's shows in the MXCSR read after the operation.
bool BlockEmitter::emit_fpu_arithmetic(const GuestInstruction& instruction)
{
    const isa::Operands& o = instruction.decoded.operands;
    Opcode opcode = instruction.decoded.opcode;
    bool single = opcode == Opcode::ADD_S || opcode == Opcode::SUB_S || opcode == Opcode::MUL_S || opcode == Opcode::DIV_S;
    unsigned fs = o.rd, ft = o.rt, fd = o.sa;
    constexpr uint32_t guest_mode = 0x1F80;              // every exception masked, round to nearest
    constexpr uint32_t guest_mode_inexact = 0x1F80 | 0x20; // and the precision flag
    constexpr uint32_t inexact = cpu::fpu::Inexact;
    // The helper may raise: the state is precise before it, as for any helper.
    write_back_dirty();
    synchronize_state(instruction);
    m_resume_labels.emplace_back();
    Xbyak::Label& resume = m_resume_labels.back();
    m_cold_paths.push_back(ColdPath{instruction, Xbyak::Label(), &resume});
    Xbyak::Label& slow = m_cold_paths.back().label;
    Xbyak::Label exact;
    cmp(byte[rbx + offsets::fpu_enabled], 0);
    je(slow, T_NEAR);
    cmp(byte[rbx + offsets::fpu_fr], 0);
    je(slow, T_NEAR);
    mov(edx, dword[rbx + offsets::fcsr]);
    test(edx, cpu::fcsr::rounding_mask | (inexact << cpu::fcsr::enables_shift) | cpu::fcsr::flush_to_zero);
    jnz(slow, T_NEAR);
    if (!m_guest_mxcsr_clear) {
        stmxcsr(dword[r14 + offsets::mxcsr]);
        cmp(dword[r14 + offsets::mxcsr], guest_mode);
        jne(slow, T_NEAR);
    }
    auto fpr = [&](unsigned number) { return qword[rbx + offsets::fpr(number)]; };
    if (single)
        movss(xmm0, fpr(fs));
    else
        movsd(xmm0, fpr(fs));
    switch (opcode) {
    case Opcode::ADD_S: addss(xmm0, fpr(ft)); break;
    case Opcode::SUB_S: subss(xmm0, fpr(ft)); break;
    case Opcode::MUL_S: mulss(xmm0, fpr(ft)); break;
    case Opcode::DIV_S: divss(xmm0, fpr(ft)); break;
    case Opcode::ADD_D: addsd(xmm0, fpr(ft)); break;
    case Opcode::SUB_D: subsd(xmm0, fpr(ft)); break;
    case Opcode::MUL_D: mulsd(xmm0, fpr(ft)); break;
    default: divsd(xmm0, fpr(ft)); break; // DIV_D
    }
    stmxcsr(dword[r14 + offsets::mxcsr]);
    mov(ecx, dword[r14 + offsets::mxcsr]);
    // A NaN result (from NaN operands too) needs the default NaN: the helper.
    if (single)
        ucomiss(xmm0, xmm0);
    else
        ucomisd(xmm0, xmm0);
    jp(slow, T_NEAR);
    and_(edx, ~cpu::fcsr::cause_mask);
    cmp(ecx, guest_mode);
    je(exact, T_NEAR);
    cmp(ecx, guest_mode_inexact);
    jne(slow, T_NEAR);
    mov(dword[r14 + offsets::mxcsr], guest_mode); // clear the flag for the next operation
    ldmxcsr(dword[r14 + offsets::mxcsr]);
    or_(edx, (inexact << cpu::fcsr::cause_shift) | (inexact << cpu::fcsr::flags_shift));
    L(exact);
    mov(dword[rbx + offsets::fcsr], edx);
    if (single)
        movss(dword[rbx + offsets::fpr(fd)], xmm0); // the high word stays, as write_word keeps it
    else
        movsd(fpr(fd), xmm0);
    L(resume);
    m_guest_mxcsr_clear = true;
    return true;
}

} // namespace isomorph::engines::jit
