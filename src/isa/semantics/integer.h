#pragma once

// Semantics of the integer instructions (isa/integer.inc), in the order of that table.
// Each body is the manual's Operation section (Volume II-A, MD00086) in C++, with the assembly
// syntax above it. Where the manual says UNPREDICTABLE we do what qemu-mipsel does, and say so.

#include "isa/semantics/core.h"

namespace isomorph::isa::semantics {

// ---- Shifts and rotates -------------------------------------------------------------------------

// sll rd, rt, sa   (also nop, ssnop, ehb and pause, which write $0)
template <class Core> void SLL(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rt) << o.sa); }
// srl rd, rt, sa
template <class Core> void SRL(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rt) >> o.sa); }
// rotr rd, rt, sa
template <class Core> void ROTR(Core& c, const Operands& o) { c.set_gpr(o.rd, std::rotr(c.gpr(o.rt), o.sa)); }
// sra rd, rt, sa
template <class Core> void SRA(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, signed_as_unsigned(unsigned_as_signed(c.gpr(o.rt)) >> o.sa));
}
// sllv rd, rt, rs: the shift amount is the low five bits of rs
template <class Core> void SLLV(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, c.gpr(o.rt) << (c.gpr(o.rs) & 31));
}
// srlv rd, rt, rs
template <class Core> void SRLV(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, c.gpr(o.rt) >> (c.gpr(o.rs) & 31));
}
// rotrv rd, rt, rs
template <class Core> void ROTRV(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, std::rotr(c.gpr(o.rt), static_cast<int>(c.gpr(o.rs) & 31)));
}
// srav rd, rt, rs
template <class Core> void SRAV(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, signed_as_unsigned(unsigned_as_signed(c.gpr(o.rt)) >> (c.gpr(o.rs) & 31)));
}

// ---- Register jumps, conditional moves, system calls ----------------------------------------------

// jr rs. A target with its low bits set raises an address error when it is fetched.
template <class Core> void JR(Core& c, const Operands& o) { jump(c, c.gpr(o.rs)); }
// jr.hb rs: the hazard barrier has no visible effect in an emulator
template <class Core> void JR_HB(Core& c, const Operands& o) { JR(c, o); }
// jalr rd, rs. rd == rs is UNPREDICTABLE; the target is read before the link is written, as
// qemu-mipsel does.
template <class Core> void JALR(Core& c, const Operands& o)
{
    reject_in_delay_slot(c);
    uint32_t target = c.gpr(o.rs);
    c.set_gpr(o.rd, c.pc() + 8);
    c.branch(target);
}
// jalr.hb rd, rs
template <class Core> void JALR_HB(Core& c, const Operands& o) { JALR(c, o); }
// movz rd, rs, rt
template <class Core> void MOVZ(Core& c, const Operands& o)
{
    if (c.gpr(o.rt) == 0)
        c.set_gpr(o.rd, c.gpr(o.rs));
}
// movn rd, rs, rt
template <class Core> void MOVN(Core& c, const Operands& o)
{
    if (c.gpr(o.rt) != 0)
        c.set_gpr(o.rd, c.gpr(o.rs));
}
// syscall code
template <class Core> void SYSCALL(Core& c, const Operands& o) { c.raise(ExitKind::Syscall, 0, o.code20()); }
// break code: the exit carries the whole 20-bit code field
template <class Core> void BREAK(Core& c, const Operands& o) { c.raise(ExitKind::Breakpoint, 0, o.code20()); }
// sync stype: every access is already globally ordered for the guest
template <class Core> void SYNC(Core&, const Operands&) {}

// ---- HI/LO, multiplication and division -----------------------------------------------------------

// mfhi rd
template <class Core> void MFHI(Core& c, const Operands& o) { c.set_gpr(o.rd, c.cpu.hi); }
// mthi rs
template <class Core> void MTHI(Core& c, const Operands& o) { c.cpu.hi = c.gpr(o.rs); }
// mflo rd
template <class Core> void MFLO(Core& c, const Operands& o) { c.set_gpr(o.rd, c.cpu.lo); }
// mtlo rs
template <class Core> void MTLO(Core& c, const Operands& o) { c.cpu.lo = c.gpr(o.rs); }

template <class Core> inline void write_hi_lo(Core& c, uint64_t value)
{
    c.cpu.lo = static_cast<uint32_t>(value);
    c.cpu.hi = static_cast<uint32_t>(value >> 32);
}
template <class Core> inline uint64_t read_hi_lo(Core& c) { return (uint64_t{c.cpu.hi} << 32) | c.cpu.lo; }
template <class Core> inline int64_t signed_product(Core& c, const Operands& o)
{
    return int64_t{unsigned_as_signed(c.gpr(o.rs))} * int64_t{unsigned_as_signed(c.gpr(o.rt))};
}
template <class Core> inline uint64_t unsigned_product(Core& c, const Operands& o)
{
    return uint64_t{c.gpr(o.rs)} * uint64_t{c.gpr(o.rt)};
}

// mult rs, rt
template <class Core> void MULT(Core& c, const Operands& o)
{
    write_hi_lo(c, static_cast<uint64_t>(signed_product(c, o)));
}
// multu rs, rt
template <class Core> void MULTU(Core& c, const Operands& o) { write_hi_lo(c, unsigned_product(c, o)); }
// div rs, rt. The results of a division by zero are UNPREDICTABLE and no exception is raised;
// qemu-mipsel divides by one instead (LO = rs, HI = 0), and INT_MIN / -1 gives LO = INT_MIN, HI = 0.
template <class Core> void DIV(Core& c, const Operands& o)
{
    int32_t dividend = unsigned_as_signed(c.gpr(o.rs));
    int32_t divisor = unsigned_as_signed(c.gpr(o.rt));
    if (divisor == 0 || (dividend == INT32_MIN && divisor == -1))
        divisor = 1;
    c.cpu.lo = signed_as_unsigned(dividend / divisor);
    c.cpu.hi = signed_as_unsigned(dividend % divisor);
}
// divu rs, rt. Division by zero: as DIV, LO = rs and HI = 0.
template <class Core> void DIVU(Core& c, const Operands& o)
{
    uint32_t dividend = c.gpr(o.rs);
    uint32_t divisor = c.gpr(o.rt);
    if (divisor == 0)
        divisor = 1;
    c.cpu.lo = dividend / divisor;
    c.cpu.hi = dividend % divisor;
}

// ---- Three-register arithmetic and logic ----------------------------------------------------------

// add rd, rs, rt: Integer Overflow on signed overflow, leaving rd unchanged
template <class Core> void ADD(Core& c, const Operands& o)
{
    int32_t result;
    if (__builtin_add_overflow(unsigned_as_signed(c.gpr(o.rs)), unsigned_as_signed(c.gpr(o.rt)), &result))
        c.raise(ExitKind::IntegerOverflow);
    c.set_gpr(o.rd, signed_as_unsigned(result));
}
// addu rd, rs, rt
template <class Core> void ADDU(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) + c.gpr(o.rt)); }
// sub rd, rs, rt: Integer Overflow on signed overflow, leaving rd unchanged
template <class Core> void SUB(Core& c, const Operands& o)
{
    int32_t result;
    if (__builtin_sub_overflow(unsigned_as_signed(c.gpr(o.rs)), unsigned_as_signed(c.gpr(o.rt)), &result))
        c.raise(ExitKind::IntegerOverflow);
    c.set_gpr(o.rd, signed_as_unsigned(result));
}
// subu rd, rs, rt
template <class Core> void SUBU(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) - c.gpr(o.rt)); }
// and rd, rs, rt
template <class Core> void AND(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) & c.gpr(o.rt)); }
// or rd, rs, rt
template <class Core> void OR(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) | c.gpr(o.rt)); }
// xor rd, rs, rt
template <class Core> void XOR(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) ^ c.gpr(o.rt)); }
// nor rd, rs, rt
template <class Core> void NOR(Core& c, const Operands& o) { c.set_gpr(o.rd, ~(c.gpr(o.rs) | c.gpr(o.rt))); }
// slt rd, rs, rt
template <class Core> void SLT(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, unsigned_as_signed(c.gpr(o.rs)) < unsigned_as_signed(c.gpr(o.rt)) ? 1 : 0);
}
// sltu rd, rs, rt
template <class Core> void SLTU(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, c.gpr(o.rs) < c.gpr(o.rt) ? 1 : 0);
}

// ---- Conditional traps ------------------------------------------------------------------------------

// The register forms carry their 10-bit code to the environment; the immediate forms have none
// (the Linux kernel and qemu-mipsel report code 0 for them).
template <class Core> inline void trap_if(Core& c, bool condition, uint32_t code)
{
    if (condition)
        c.raise(ExitKind::Trap, 0, code);
}
// tge rs, rt, code
template <class Core> void TGE(Core& c, const Operands& o)
{
    trap_if(c, unsigned_as_signed(c.gpr(o.rs)) >= unsigned_as_signed(c.gpr(o.rt)), o.code10());
}
// tgeu rs, rt, code
template <class Core> void TGEU(Core& c, const Operands& o)
{
    trap_if(c, c.gpr(o.rs) >= c.gpr(o.rt), o.code10());
}
// tlt rs, rt, code
template <class Core> void TLT(Core& c, const Operands& o)
{
    trap_if(c, unsigned_as_signed(c.gpr(o.rs)) < unsigned_as_signed(c.gpr(o.rt)), o.code10());
}
// tltu rs, rt, code
template <class Core> void TLTU(Core& c, const Operands& o)
{
    trap_if(c, c.gpr(o.rs) < c.gpr(o.rt), o.code10());
}
// teq rs, rt, code
template <class Core> void TEQ(Core& c, const Operands& o)
{
    trap_if(c, c.gpr(o.rs) == c.gpr(o.rt), o.code10());
}
// tne rs, rt, code
template <class Core> void TNE(Core& c, const Operands& o)
{
    trap_if(c, c.gpr(o.rs) != c.gpr(o.rt), o.code10());
}
// tgei rs, immediate
template <class Core> void TGEI(Core& c, const Operands& o)
{
    trap_if(c, unsigned_as_signed(c.gpr(o.rs)) >= o.imm, 0);
}
// tgeiu rs, immediate: the immediate is sign-extended, then compared unsigned
template <class Core> void TGEIU(Core& c, const Operands& o)
{
    trap_if(c, c.gpr(o.rs) >= signed_as_unsigned(o.imm), 0);
}
// tlti rs, immediate
template <class Core> void TLTI(Core& c, const Operands& o)
{
    trap_if(c, unsigned_as_signed(c.gpr(o.rs)) < o.imm, 0);
}
// tltiu rs, immediate
template <class Core> void TLTIU(Core& c, const Operands& o)
{
    trap_if(c, c.gpr(o.rs) < signed_as_unsigned(o.imm), 0);
}
// teqi rs, immediate
template <class Core> void TEQI(Core& c, const Operands& o)
{
    trap_if(c, c.gpr(o.rs) == signed_as_unsigned(o.imm), 0);
}
// tnei rs, immediate
template <class Core> void TNEI(Core& c, const Operands& o)
{
    trap_if(c, c.gpr(o.rs) != signed_as_unsigned(o.imm), 0);
}

// ---- Branches ---------------------------------------------------------------------------------------

template <class Core> inline bool less_than_zero(Core& c, const Operands& o)
{
    return unsigned_as_signed(c.gpr(o.rs)) < 0;
}
template <class Core> inline bool greater_than_zero(Core& c, const Operands& o)
{
    return unsigned_as_signed(c.gpr(o.rs)) > 0;
}

// bltz rs, offset
template <class Core> void BLTZ(Core& c, const Operands& o)
{
    branch_if(c, less_than_zero(c, o), branch_target(c, o));
}
// bgez rs, offset
template <class Core> void BGEZ(Core& c, const Operands& o)
{
    branch_if(c, !less_than_zero(c, o), branch_target(c, o));
}
// bltzl rs, offset
template <class Core> void BLTZL(Core& c, const Operands& o)
{
    branch_likely_if(c, less_than_zero(c, o), branch_target(c, o));
}
// bgezl rs, offset
template <class Core> void BGEZL(Core& c, const Operands& o)
{
    branch_likely_if(c, !less_than_zero(c, o), branch_target(c, o));
}
// bltzal rs, offset: links whether or not it branches. rs == 31 is UNPREDICTABLE; the condition
// reads rs before the link is written, as in qemu-mipsel.
template <class Core> void BLTZAL(Core& c, const Operands& o)
{
    branch_and_link_if(c, less_than_zero(c, o), branch_target(c, o));
}
// bgezal rs, offset   (bal offset when rs is $0)
template <class Core> void BGEZAL(Core& c, const Operands& o)
{
    branch_and_link_if(c, !less_than_zero(c, o), branch_target(c, o));
}
// bltzall rs, offset
template <class Core> void BLTZALL(Core& c, const Operands& o)
{
    branch_likely_and_link_if(c, less_than_zero(c, o), branch_target(c, o));
}
// bgezall rs, offset
template <class Core> void BGEZALL(Core& c, const Operands& o)
{
    branch_likely_and_link_if(c, !less_than_zero(c, o), branch_target(c, o));
}
// synci offset(base)
template <class Core> void SYNCI(Core& c, const Operands& o)
{
    c.synchronize_instruction_cache(effective_address(c, o));
}

// j target: the target shares the delay slot's 256 MB region
template <class Core> inline uint32_t jump_target(Core& c, const Operands& o)
{
    return ((c.pc() + 4) & 0xF0000000) | (o.jump_index() << 2);
}
// j target
template <class Core> void J(Core& c, const Operands& o) { jump(c, jump_target(c, o)); }
// jal target
template <class Core> void JAL(Core& c, const Operands& o) { branch_and_link_if(c, true, jump_target(c, o)); }
// beq rs, rt, offset
template <class Core> void BEQ(Core& c, const Operands& o)
{
    branch_if(c, c.gpr(o.rs) == c.gpr(o.rt), branch_target(c, o));
}
// bne rs, rt, offset
template <class Core> void BNE(Core& c, const Operands& o)
{
    branch_if(c, c.gpr(o.rs) != c.gpr(o.rt), branch_target(c, o));
}
// blez rs, offset
template <class Core> void BLEZ(Core& c, const Operands& o)
{
    branch_if(c, !greater_than_zero(c, o), branch_target(c, o));
}
// bgtz rs, offset
template <class Core> void BGTZ(Core& c, const Operands& o)
{
    branch_if(c, greater_than_zero(c, o), branch_target(c, o));
}
// beql rs, rt, offset
template <class Core> void BEQL(Core& c, const Operands& o)
{
    branch_likely_if(c, c.gpr(o.rs) == c.gpr(o.rt), branch_target(c, o));
}
// bnel rs, rt, offset
template <class Core> void BNEL(Core& c, const Operands& o)
{
    branch_likely_if(c, c.gpr(o.rs) != c.gpr(o.rt), branch_target(c, o));
}
// blezl rs, offset
template <class Core> void BLEZL(Core& c, const Operands& o)
{
    branch_likely_if(c, !greater_than_zero(c, o), branch_target(c, o));
}
// bgtzl rs, offset
template <class Core> void BGTZL(Core& c, const Operands& o)
{
    branch_likely_if(c, greater_than_zero(c, o), branch_target(c, o));
}

// ---- Immediate arithmetic and logic -----------------------------------------------------------------

// addi rt, rs, immediate: Integer Overflow on signed overflow, leaving rt unchanged
template <class Core> void ADDI(Core& c, const Operands& o)
{
    int32_t result;
    if (__builtin_add_overflow(unsigned_as_signed(c.gpr(o.rs)), o.imm, &result))
        c.raise(ExitKind::IntegerOverflow);
    c.set_gpr(o.rt, signed_as_unsigned(result));
}
// addiu rt, rs, immediate
template <class Core> void ADDIU(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.gpr(o.rs) + signed_as_unsigned(o.imm));
}
// slti rt, rs, immediate
template <class Core> void SLTI(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, unsigned_as_signed(c.gpr(o.rs)) < o.imm ? 1 : 0);
}
// sltiu rt, rs, immediate: the immediate is sign-extended, then compared unsigned
template <class Core> void SLTIU(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.gpr(o.rs) < signed_as_unsigned(o.imm) ? 1 : 0);
}
// andi rt, rs, immediate: zero-extended
template <class Core> void ANDI(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.gpr(o.rs) & o.unsigned_immediate());
}
// ori rt, rs, immediate
template <class Core> void ORI(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.gpr(o.rs) | o.unsigned_immediate());
}
// xori rt, rs, immediate
template <class Core> void XORI(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.gpr(o.rs) ^ o.unsigned_immediate());
}
// lui rt, immediate
template <class Core> void LUI(Core& c, const Operands& o) { c.set_gpr(o.rt, o.unsigned_immediate() << 16); }

// ---- COP0: privileged -------------------------------------------------------------------------------

// mfc0 rt, rd, sel
template <class Core> void MFC0(Core& c, const Operands& o) { coprocessor0(c, Opcode::MFC0, o); }
// mtc0 rt, rd, sel
template <class Core> void MTC0(Core& c, const Operands& o) { coprocessor0(c, Opcode::MTC0, o); }
// rdpgpr rd, rt
template <class Core> void RDPGPR(Core& c, const Operands& o) { coprocessor0(c, Opcode::RDPGPR, o); }
// di rt
template <class Core> void DI(Core& c, const Operands& o) { coprocessor0(c, Opcode::DI, o); }
// ei rt
template <class Core> void EI(Core& c, const Operands& o) { coprocessor0(c, Opcode::EI, o); }
// wrpgpr rd, rt
template <class Core> void WRPGPR(Core& c, const Operands& o) { coprocessor0(c, Opcode::WRPGPR, o); }
// tlbr
template <class Core> void TLBR(Core& c, const Operands& o) { coprocessor0(c, Opcode::TLBR, o); }
// tlbwi
template <class Core> void TLBWI(Core& c, const Operands& o) { coprocessor0(c, Opcode::TLBWI, o); }
// tlbwr
template <class Core> void TLBWR(Core& c, const Operands& o) { coprocessor0(c, Opcode::TLBWR, o); }
// tlbp
template <class Core> void TLBP(Core& c, const Operands& o) { coprocessor0(c, Opcode::TLBP, o); }
// eret
template <class Core> void ERET(Core& c, const Operands& o) { coprocessor0(c, Opcode::ERET, o); }
// deret
template <class Core> void DERET(Core& c, const Operands& o) { coprocessor0(c, Opcode::DERET, o); }
// wait code
template <class Core> void WAIT(Core& c, const Operands& o) { coprocessor0(c, Opcode::WAIT, o); }

// ---- COP2: no coprocessor 2 is implemented ----------------------------------------------------------

template <class Core> inline void coprocessor2_unusable(Core& c)
{
    c.raise(ExitKind::CoprocessorUnusable, 0, 2);
}
// mfc2 rt, rd, sel
template <class Core> void MFC2(Core& c, const Operands&) { coprocessor2_unusable(c); }
// cfc2 rt, rd
template <class Core> void CFC2(Core& c, const Operands&) { coprocessor2_unusable(c); }
// mfhc2 rt, rd
template <class Core> void MFHC2(Core& c, const Operands&) { coprocessor2_unusable(c); }
// mtc2 rt, rd, sel
template <class Core> void MTC2(Core& c, const Operands&) { coprocessor2_unusable(c); }
// ctc2 rt, rd
template <class Core> void CTC2(Core& c, const Operands&) { coprocessor2_unusable(c); }
// mthc2 rt, rd
template <class Core> void MTHC2(Core& c, const Operands&) { coprocessor2_unusable(c); }
// bc2f cc, offset
template <class Core> void BC2F(Core& c, const Operands&) { coprocessor2_unusable(c); }
// bc2t cc, offset
template <class Core> void BC2T(Core& c, const Operands&) { coprocessor2_unusable(c); }
// bc2fl cc, offset
template <class Core> void BC2FL(Core& c, const Operands&) { coprocessor2_unusable(c); }
// bc2tl cc, offset
template <class Core> void BC2TL(Core& c, const Operands&) { coprocessor2_unusable(c); }
// c2 cofun
template <class Core> void COP2(Core& c, const Operands&) { coprocessor2_unusable(c); }

// ---- SPECIAL2 ---------------------------------------------------------------------------------------

// madd rs, rt: (HI, LO) += rs * rt, signed, carrying from LO into HI
template <class Core> void MADD(Core& c, const Operands& o)
{
    write_hi_lo(c, read_hi_lo(c) + static_cast<uint64_t>(signed_product(c, o)));
}
// maddu rs, rt
template <class Core> void MADDU(Core& c, const Operands& o)
{
    write_hi_lo(c, read_hi_lo(c) + unsigned_product(c, o));
}
// mul rd, rs, rt: the low word of the signed product. HI and LO are UNPREDICTABLE afterwards;
// qemu-mipsel leaves them unchanged, and so do we.
template <class Core> void MUL(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, static_cast<uint32_t>(signed_product(c, o)));
}
// msub rs, rt: (HI, LO) -= rs * rt, signed
template <class Core> void MSUB(Core& c, const Operands& o)
{
    write_hi_lo(c, read_hi_lo(c) - static_cast<uint64_t>(signed_product(c, o)));
}
// msubu rs, rt
template <class Core> void MSUBU(Core& c, const Operands& o)
{
    write_hi_lo(c, read_hi_lo(c) - unsigned_product(c, o));
}
// clz rd, rs: the manual asks for rt == rd; the result goes to rd, as in qemu-mipsel
template <class Core> void CLZ(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, static_cast<uint32_t>(std::countl_zero(c.gpr(o.rs))));
}
// clo rd, rs
template <class Core> void CLO(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, static_cast<uint32_t>(std::countl_one(c.gpr(o.rs))));
}
// sdbbp code: a debug breakpoint needs an EJTAG probe; without one it is a reserved instruction
// (qemu-mipsel aborts on it)
template <class Core> void SDBBP(Core& c, const Operands&) { c.raise(ExitKind::ReservedInstruction); }

// ---- SPECIAL3 ---------------------------------------------------------------------------------------

// ext rt, rs, pos, size. pos + size > 32 is UNPREDICTABLE; qemu-mipsel raises Reserved Instruction.
template <class Core> void EXT(Core& c, const Operands& o)
{
    if (o.lsb() + o.msbd() > 31)
        c.raise(ExitKind::ReservedInstruction);
    unsigned size = o.msbd() + 1u;
    uint32_t mask = size >= 32 ? 0xFFFFFFFFu : (1u << size) - 1;
    c.set_gpr(o.rt, (c.gpr(o.rs) >> o.lsb()) & mask);
}
// ins rt, rs, pos, size. msb < lsb is UNPREDICTABLE; qemu-mipsel raises Reserved Instruction.
template <class Core> void INS(Core& c, const Operands& o)
{
    if (o.msb() < o.lsb())
        c.raise(ExitKind::ReservedInstruction);
    unsigned size = o.msb() - o.lsb() + 1u;
    uint32_t mask = (size >= 32 ? 0xFFFFFFFFu : (1u << size) - 1) << o.lsb();
    c.set_gpr(o.rt, (c.gpr(o.rt) & ~mask) | ((c.gpr(o.rs) << o.lsb()) & mask));
}
// wsbh rd, rt: swap the bytes within each halfword
template <class Core> void WSBH(Core& c, const Operands& o)
{
    uint32_t value = c.gpr(o.rt);
    c.set_gpr(o.rd, ((value & 0x00FF00FF) << 8) | ((value >> 8) & 0x00FF00FF));
}
// seb rd, rt
template <class Core> void SEB(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, signed_as_unsigned(static_cast<int8_t>(c.gpr(o.rt))));
}
// seh rd, rt
template <class Core> void SEH(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, signed_as_unsigned(static_cast<int16_t>(c.gpr(o.rt))));
}
// rdhwr rt, rd: the core decides which hardware registers exist and raises Reserved Instruction
// for the others
template <class Core> void RDHWR(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.read_hardware_register(o.rd));
}

// ---- Loads and stores -------------------------------------------------------------------------------

// lb rt, offset(base)
template <class Core> void LB(Core& c, const Operands& o)
{
    int8_t value = static_cast<int8_t>(c.template load<uint8_t>(effective_address(c, o)));
    c.set_gpr(o.rt, signed_as_unsigned(value));
}
// lh rt, offset(base)
template <class Core> void LH(Core& c, const Operands& o)
{
    int16_t value = static_cast<int16_t>(c.template load<uint16_t>(effective_address(c, o)));
    c.set_gpr(o.rt, signed_as_unsigned(value));
}
// lw rt, offset(base)
template <class Core> void LW(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.template load<uint32_t>(effective_address(c, o)));
}
// lbu rt, offset(base)
template <class Core> void LBU(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.template load<uint8_t>(effective_address(c, o)));
}
// lhu rt, offset(base)
template <class Core> void LHU(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.template load<uint16_t>(effective_address(c, o)));
}
// sb rt, offset(base)
template <class Core> void SB(Core& c, const Operands& o)
{
    c.template store<uint8_t>(effective_address(c, o), static_cast<uint8_t>(c.gpr(o.rt)));
}
// sh rt, offset(base)
template <class Core> void SH(Core& c, const Operands& o)
{
    c.template store<uint16_t>(effective_address(c, o), static_cast<uint16_t>(c.gpr(o.rt)));
}
// sw rt, offset(base)
template <class Core> void SW(Core& c, const Operands& o)
{
    c.template store<uint32_t>(effective_address(c, o), c.gpr(o.rt));
}

// The unaligned word accesses on a little-endian CPU. byte = address & 3 is the offset in the
// aligned word; memory byte k of that word is bits 8k+7..8k of its value. LWL/SWL move the
// register's most significant byte + 1 bytes to/from memory bytes byte..0; LWR/SWR move its
// least significant 4 - byte bytes to/from memory bytes byte..3. They go byte by byte, starting
// at the effective address, so that a fault reports that address (BadVAddr, si_addr) as on the
// hardware and in qemu-mipsel; the word never crosses a page, so only the first access can fault.
// lwl rt, offset(base)
template <class Core> void LWL(Core& c, const Operands& o)
{
    uint32_t address = effective_address(c, o);
    uint32_t value = c.gpr(o.rt);
    for (unsigned index = 0; index <= (address & 3); ++index) {
        unsigned shift = 8 * (3 - index);
        value = (value & ~(0xFFu << shift)) | (uint32_t{c.template load<uint8_t>(address - index)} << shift);
    }
    c.set_gpr(o.rt, value);
}
// lwr rt, offset(base)
template <class Core> void LWR(Core& c, const Operands& o)
{
    uint32_t address = effective_address(c, o);
    uint32_t value = c.gpr(o.rt);
    for (unsigned index = 0; index < 4 - (address & 3); ++index) {
        unsigned shift = 8 * index;
        value = (value & ~(0xFFu << shift)) | (uint32_t{c.template load<uint8_t>(address + index)} << shift);
    }
    c.set_gpr(o.rt, value);
}
// swl rt, offset(base): the register's top bytes to memory bytes byte..0 of the aligned word
template <class Core> void SWL(Core& c, const Operands& o)
{
    uint32_t address = effective_address(c, o);
    uint32_t value = c.gpr(o.rt);
    for (unsigned index = 0; index <= (address & 3); ++index)
        c.template store<uint8_t>(address - index, static_cast<uint8_t>(value >> (8 * (3 - index))));
}
// swr rt, offset(base): the register's low bytes to memory bytes byte..3 of the aligned word
template <class Core> void SWR(Core& c, const Operands& o)
{
    uint32_t address = effective_address(c, o);
    uint32_t value = c.gpr(o.rt);
    for (unsigned index = 0; index < 4 - (address & 3); ++index)
        c.template store<uint8_t>(address + index, static_cast<uint8_t>(value >> (8 * index)));
}
// cache op, offset(base): privileged
template <class Core> void CACHE(Core& c, const Operands& o) { coprocessor0(c, Opcode::CACHE, o); }
// ll rt, offset(base)
template <class Core> void LL(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.load_linked(effective_address(c, o)));
}
// lwc2 rt, offset(base)
template <class Core> void LWC2(Core& c, const Operands&) { coprocessor2_unusable(c); }
// pref hint, offset(base): a hint; never faults
template <class Core> void PREF(Core&, const Operands&) {}
// ldc2 rt, offset(base)
template <class Core> void LDC2(Core& c, const Operands&) { coprocessor2_unusable(c); }
// sc rt, offset(base): rt becomes 1 if the store happened, 0 if not
template <class Core> void SC(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.store_conditional(effective_address(c, o), c.gpr(o.rt)) ? 1 : 0);
}
// swc2 rt, offset(base)
template <class Core> void SWC2(Core& c, const Operands&) { coprocessor2_unusable(c); }
// sdc2 rt, offset(base)
template <class Core> void SDC2(Core& c, const Operands&) { coprocessor2_unusable(c); }

} // namespace isomorph::isa::semantics
