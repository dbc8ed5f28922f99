#pragma once

// Semantics of the integer instructions (isa/integer.inc), in the order of that table.
// Each body is the manual's Operation section, in C++; the assembly syntax is above it.

#include "isa/semantics/core.h"

namespace isomorph::isa::semantics {

// ---- Shifts and rotates -------------------------------------------------------------------------

// sll rd, rt, sa
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
// sllv rd, rt, rs
template <class Core> void SLLV(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rt) << (c.gpr(o.rs) & 31)); }
// srlv rd, rt, rs
template <class Core> void SRLV(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rt) >> (c.gpr(o.rs) & 31)); }
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

// jr rs
template <class Core> void JR(Core& c, const Operands& o) { c.branch(c.gpr(o.rs)); }
// jr.hb rs: the hazard barrier has no visible effect in an emulator
template <class Core> void JR_HB(Core& c, const Operands& o) { JR(c, o); }
// jalr rd, rs
template <class Core> void JALR(Core& c, const Operands& o)
{
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
// break code
template <class Core> void BREAK(Core& c, const Operands& o) { c.raise(ExitKind::Breakpoint, 0, o.code20()); }
// sync stype: every access is already globally ordered for the guest
template <class Core> void SYNC(Core&, const Operands&) {}

// ---- HI/LO, multiplication and division -----------------------------------------------------------

template <class Core> void MFHI(Core& c, const Operands& o) { c.set_gpr(o.rd, c.cpu.hi); }
template <class Core> void MTHI(Core& c, const Operands& o) { c.cpu.hi = c.gpr(o.rs); }
template <class Core> void MFLO(Core& c, const Operands& o) { c.set_gpr(o.rd, c.cpu.lo); }
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
template <class Core> void MULT(Core& c, const Operands& o) { write_hi_lo(c, static_cast<uint64_t>(signed_product(c, o))); }
// multu rs, rt
template <class Core> void MULTU(Core& c, const Operands& o) { write_hi_lo(c, unsigned_product(c, o)); }
// div rs, rt. The quotient and remainder of a division by zero are UNPREDICTABLE; like the
// reference user-mode emulator we divide by one instead, and INT_MIN / -1 gives INT_MIN rem 0.
template <class Core> void DIV(Core& c, const Operands& o)
{
    int32_t dividend = unsigned_as_signed(c.gpr(o.rs));
    int32_t divisor = unsigned_as_signed(c.gpr(o.rt));
    if (divisor == 0 || (dividend == INT32_MIN && divisor == -1))
        divisor = 1;
    c.cpu.lo = signed_as_unsigned(dividend / divisor);
    c.cpu.hi = signed_as_unsigned(dividend % divisor);
}
// divu rs, rt
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

// add rd, rs, rt: traps on signed overflow, leaving rd unchanged
template <class Core> void ADD(Core& c, const Operands& o)
{
    int32_t result;
    if (__builtin_add_overflow(unsigned_as_signed(c.gpr(o.rs)), unsigned_as_signed(c.gpr(o.rt)), &result))
        c.raise(ExitKind::IntegerOverflow);
    c.set_gpr(o.rd, signed_as_unsigned(result));
}
template <class Core> void ADDU(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) + c.gpr(o.rt)); }
// sub rd, rs, rt: traps on signed overflow
template <class Core> void SUB(Core& c, const Operands& o)
{
    int32_t result;
    if (__builtin_sub_overflow(unsigned_as_signed(c.gpr(o.rs)), unsigned_as_signed(c.gpr(o.rt)), &result))
        c.raise(ExitKind::IntegerOverflow);
    c.set_gpr(o.rd, signed_as_unsigned(result));
}
template <class Core> void SUBU(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) - c.gpr(o.rt)); }
template <class Core> void AND(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) & c.gpr(o.rt)); }
template <class Core> void OR(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) | c.gpr(o.rt)); }
template <class Core> void XOR(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) ^ c.gpr(o.rt)); }
template <class Core> void NOR(Core& c, const Operands& o) { c.set_gpr(o.rd, ~(c.gpr(o.rs) | c.gpr(o.rt))); }
template <class Core> void SLT(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, unsigned_as_signed(c.gpr(o.rs)) < unsigned_as_signed(c.gpr(o.rt)) ? 1 : 0);
}
template <class Core> void SLTU(Core& c, const Operands& o) { c.set_gpr(o.rd, c.gpr(o.rs) < c.gpr(o.rt) ? 1 : 0); }

// ---- Conditional traps ------------------------------------------------------------------------------

template <class Core> inline void trap_if(Core& c, bool condition, uint32_t code)
{
    if (condition)
        c.raise(ExitKind::Trap, 0, code);
}
template <class Core> void TGE(Core& c, const Operands& o)
{
    trap_if(c, unsigned_as_signed(c.gpr(o.rs)) >= unsigned_as_signed(c.gpr(o.rt)), o.code10());
}
template <class Core> void TGEU(Core& c, const Operands& o) { trap_if(c, c.gpr(o.rs) >= c.gpr(o.rt), o.code10()); }
template <class Core> void TLT(Core& c, const Operands& o)
{
    trap_if(c, unsigned_as_signed(c.gpr(o.rs)) < unsigned_as_signed(c.gpr(o.rt)), o.code10());
}
template <class Core> void TLTU(Core& c, const Operands& o) { trap_if(c, c.gpr(o.rs) < c.gpr(o.rt), o.code10()); }
template <class Core> void TEQ(Core& c, const Operands& o) { trap_if(c, c.gpr(o.rs) == c.gpr(o.rt), o.code10()); }
template <class Core> void TNE(Core& c, const Operands& o) { trap_if(c, c.gpr(o.rs) != c.gpr(o.rt), o.code10()); }
template <class Core> void TGEI(Core& c, const Operands& o) { trap_if(c, unsigned_as_signed(c.gpr(o.rs)) >= o.imm, 0); }
template <class Core> void TGEIU(Core& c, const Operands& o) { trap_if(c, c.gpr(o.rs) >= signed_as_unsigned(o.imm), 0); }
template <class Core> void TLTI(Core& c, const Operands& o) { trap_if(c, unsigned_as_signed(c.gpr(o.rs)) < o.imm, 0); }
template <class Core> void TLTIU(Core& c, const Operands& o) { trap_if(c, c.gpr(o.rs) < signed_as_unsigned(o.imm), 0); }
template <class Core> void TEQI(Core& c, const Operands& o) { trap_if(c, c.gpr(o.rs) == signed_as_unsigned(o.imm), 0); }
template <class Core> void TNEI(Core& c, const Operands& o) { trap_if(c, c.gpr(o.rs) != signed_as_unsigned(o.imm), 0); }

// ---- Branches ---------------------------------------------------------------------------------------

template <class Core> inline bool less_than_zero(Core& c, const Operands& o) { return unsigned_as_signed(c.gpr(o.rs)) < 0; }
template <class Core> inline bool greater_than_zero(Core& c, const Operands& o) { return unsigned_as_signed(c.gpr(o.rs)) > 0; }

// bltz rs, offset
template <class Core> void BLTZ(Core& c, const Operands& o) { branch_if(c, less_than_zero(c, o), branch_target(c, o)); }
template <class Core> void BGEZ(Core& c, const Operands& o) { branch_if(c, !less_than_zero(c, o), branch_target(c, o)); }
template <class Core> void BLTZL(Core& c, const Operands& o) { branch_likely_if(c, less_than_zero(c, o), branch_target(c, o)); }
template <class Core> void BGEZL(Core& c, const Operands& o) { branch_likely_if(c, !less_than_zero(c, o), branch_target(c, o)); }
// bltzal rs, offset: links whether or not the branch is taken (the condition is read first)
template <class Core> void BLTZAL(Core& c, const Operands& o)
{
    bool taken = less_than_zero(c, o);
    c.set_gpr(31, c.pc() + 8);
    branch_if(c, taken, branch_target(c, o));
}
template <class Core> void BGEZAL(Core& c, const Operands& o)
{
    bool taken = !less_than_zero(c, o);
    c.set_gpr(31, c.pc() + 8);
    branch_if(c, taken, branch_target(c, o));
}
template <class Core> void BLTZALL(Core& c, const Operands& o)
{
    bool taken = less_than_zero(c, o);
    c.set_gpr(31, c.pc() + 8);
    branch_likely_if(c, taken, branch_target(c, o));
}
template <class Core> void BGEZALL(Core& c, const Operands& o)
{
    bool taken = !less_than_zero(c, o);
    c.set_gpr(31, c.pc() + 8);
    branch_likely_if(c, taken, branch_target(c, o));
}
// synci offset(base)
template <class Core> void SYNCI(Core& c, const Operands& o) { c.synchronize_instruction_cache(effective_address(c, o)); }

// j target: the target shares the delay slot's 256 MB region
template <class Core> inline uint32_t jump_target(Core& c, const Operands& o)
{
    return ((c.pc() + 4) & 0xF0000000) | (o.jump_index() << 2);
}
template <class Core> void J(Core& c, const Operands& o) { c.branch(jump_target(c, o)); }
template <class Core> void JAL(Core& c, const Operands& o)
{
    c.set_gpr(31, c.pc() + 8);
    c.branch(jump_target(c, o));
}
// beq rs, rt, offset
template <class Core> void BEQ(Core& c, const Operands& o) { branch_if(c, c.gpr(o.rs) == c.gpr(o.rt), branch_target(c, o)); }
template <class Core> void BNE(Core& c, const Operands& o) { branch_if(c, c.gpr(o.rs) != c.gpr(o.rt), branch_target(c, o)); }
template <class Core> void BLEZ(Core& c, const Operands& o) { branch_if(c, !greater_than_zero(c, o), branch_target(c, o)); }
template <class Core> void BGTZ(Core& c, const Operands& o) { branch_if(c, greater_than_zero(c, o), branch_target(c, o)); }
template <class Core> void BEQL(Core& c, const Operands& o) { branch_likely_if(c, c.gpr(o.rs) == c.gpr(o.rt), branch_target(c, o)); }
template <class Core> void BNEL(Core& c, const Operands& o) { branch_likely_if(c, c.gpr(o.rs) != c.gpr(o.rt), branch_target(c, o)); }
template <class Core> void BLEZL(Core& c, const Operands& o) { branch_likely_if(c, !greater_than_zero(c, o), branch_target(c, o)); }
template <class Core> void BGTZL(Core& c, const Operands& o) { branch_likely_if(c, greater_than_zero(c, o), branch_target(c, o)); }

// ---- Immediate arithmetic and logic -----------------------------------------------------------------

// addi rt, rs, immediate: traps on signed overflow
template <class Core> void ADDI(Core& c, const Operands& o)
{
    int32_t result;
    if (__builtin_add_overflow(unsigned_as_signed(c.gpr(o.rs)), o.imm, &result))
        c.raise(ExitKind::IntegerOverflow);
    c.set_gpr(o.rt, signed_as_unsigned(result));
}
template <class Core> void ADDIU(Core& c, const Operands& o) { c.set_gpr(o.rt, c.gpr(o.rs) + signed_as_unsigned(o.imm)); }
template <class Core> void SLTI(Core& c, const Operands& o) { c.set_gpr(o.rt, unsigned_as_signed(c.gpr(o.rs)) < o.imm ? 1 : 0); }
template <class Core> void SLTIU(Core& c, const Operands& o) { c.set_gpr(o.rt, c.gpr(o.rs) < signed_as_unsigned(o.imm) ? 1 : 0); }
template <class Core> void ANDI(Core& c, const Operands& o) { c.set_gpr(o.rt, c.gpr(o.rs) & o.unsigned_immediate()); }
template <class Core> void ORI(Core& c, const Operands& o) { c.set_gpr(o.rt, c.gpr(o.rs) | o.unsigned_immediate()); }
template <class Core> void XORI(Core& c, const Operands& o) { c.set_gpr(o.rt, c.gpr(o.rs) ^ o.unsigned_immediate()); }
template <class Core> void LUI(Core& c, const Operands& o) { c.set_gpr(o.rt, o.unsigned_immediate() << 16); }

// ---- SPECIAL2 ---------------------------------------------------------------------------------------

template <class Core> void MADD(Core& c, const Operands& o)
{
    write_hi_lo(c, read_hi_lo(c) + static_cast<uint64_t>(signed_product(c, o)));
}
template <class Core> void MADDU(Core& c, const Operands& o) { write_hi_lo(c, read_hi_lo(c) + unsigned_product(c, o)); }
// mul rd, rs, rt: the low word of the product; HI and LO are UNPREDICTABLE afterwards and kept
template <class Core> void MUL(Core& c, const Operands& o)
{
    c.set_gpr(o.rd, static_cast<uint32_t>(signed_product(c, o)));
}
template <class Core> void MSUB(Core& c, const Operands& o)
{
    write_hi_lo(c, read_hi_lo(c) - static_cast<uint64_t>(signed_product(c, o)));
}
template <class Core> void MSUBU(Core& c, const Operands& o) { write_hi_lo(c, read_hi_lo(c) - unsigned_product(c, o)); }
// clz rd, rs
template <class Core> void CLZ(Core& c, const Operands& o) { c.set_gpr(o.rd, static_cast<uint32_t>(std::countl_zero(c.gpr(o.rs)))); }
// clo rd, rs
template <class Core> void CLO(Core& c, const Operands& o) { c.set_gpr(o.rd, static_cast<uint32_t>(std::countl_one(c.gpr(o.rs)))); }

// ---- SPECIAL3 ---------------------------------------------------------------------------------------

// ext rt, rs, pos, size: rd holds size - 1 (msbd), sa holds pos (lsb)
template <class Core> void EXT(Core& c, const Operands& o)
{
    unsigned size = o.rd + 1u;
    uint32_t mask = size >= 32 ? 0xFFFFFFFFu : (1u << size) - 1;
    c.set_gpr(o.rt, (c.gpr(o.rs) >> o.sa) & mask);
}
// ins rt, rs, pos, size: rd holds pos + size - 1 (msb), sa holds pos (lsb)
template <class Core> void INS(Core& c, const Operands& o)
{
    if (o.rd < o.sa)
        return; // UNPREDICTABLE in the manual; leave rt unchanged
    unsigned size = o.rd - o.sa + 1u;
    uint32_t mask = (size >= 32 ? 0xFFFFFFFFu : (1u << size) - 1) << o.sa;
    c.set_gpr(o.rt, (c.gpr(o.rt) & ~mask) | ((c.gpr(o.rs) << o.sa) & mask));
}
// wsbh rd, rt: swap the bytes within each halfword
template <class Core> void WSBH(Core& c, const Operands& o)
{
    uint32_t value = c.gpr(o.rt);
    c.set_gpr(o.rd, ((value & 0x00FF00FF) << 8) | ((value >> 8) & 0x00FF00FF));
}
template <class Core> void SEB(Core& c, const Operands& o) { c.set_gpr(o.rd, signed_as_unsigned(static_cast<int8_t>(c.gpr(o.rt)))); }
template <class Core> void SEH(Core& c, const Operands& o) { c.set_gpr(o.rd, signed_as_unsigned(static_cast<int16_t>(c.gpr(o.rt)))); }
// rdhwr rt, rd
template <class Core> void RDHWR(Core& c, const Operands& o) { c.set_gpr(o.rt, c.read_hardware_register(o.rd)); }

// ---- Loads and stores -------------------------------------------------------------------------------

template <class Core> void LB(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, signed_as_unsigned(static_cast<int8_t>(c.template load<uint8_t>(effective_address(c, o)))));
}
template <class Core> void LH(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, signed_as_unsigned(static_cast<int16_t>(c.template load<uint16_t>(effective_address(c, o)))));
}
template <class Core> void LW(Core& c, const Operands& o) { c.set_gpr(o.rt, c.template load<uint32_t>(effective_address(c, o))); }
template <class Core> void LBU(Core& c, const Operands& o) { c.set_gpr(o.rt, c.template load<uint8_t>(effective_address(c, o))); }
template <class Core> void LHU(Core& c, const Operands& o) { c.set_gpr(o.rt, c.template load<uint16_t>(effective_address(c, o))); }
template <class Core> void SB(Core& c, const Operands& o) { c.template store<uint8_t>(effective_address(c, o), static_cast<uint8_t>(c.gpr(o.rt))); }
template <class Core> void SH(Core& c, const Operands& o) { c.template store<uint16_t>(effective_address(c, o), static_cast<uint16_t>(c.gpr(o.rt))); }
template <class Core> void SW(Core& c, const Operands& o) { c.template store<uint32_t>(effective_address(c, o), c.gpr(o.rt)); }

// The unaligned word accesses, for a little-endian CPU. byte is the address's offset in its
// aligned word; LWL/SWL move the word's most significant bytes, LWR/SWR its least significant.
// lwl rt, offset(base)
template <class Core> void LWL(Core& c, const Operands& o)
{
    uint32_t address = effective_address(c, o);
    unsigned shift = 8 * (3 - (address & 3));
    uint32_t memory = c.template load<uint32_t>(address & ~3u);
    uint32_t kept = shift == 0 ? 0 : c.gpr(o.rt) & ((1u << shift) - 1);
    c.set_gpr(o.rt, (memory << shift) | kept);
}
// lwr rt, offset(base)
template <class Core> void LWR(Core& c, const Operands& o)
{
    uint32_t address = effective_address(c, o);
    unsigned shift = 8 * (address & 3);
    uint32_t memory = c.template load<uint32_t>(address & ~3u);
    uint32_t kept = shift == 0 ? 0 : c.gpr(o.rt) & ~(0xFFFFFFFFu >> shift);
    c.set_gpr(o.rt, (memory >> shift) | kept);
}
// swl rt, offset(base): bytes from address down to the aligned word's start
template <class Core> void SWL(Core& c, const Operands& o)
{
    uint32_t address = effective_address(c, o);
    uint32_t value = c.gpr(o.rt);
    uint32_t aligned = address & ~3u;
    unsigned count = (address & 3) + 1;
    for (unsigned index = 0; index < count; ++index)
        c.template store<uint8_t>(aligned + index, static_cast<uint8_t>(value >> (8 * (4 - count + index))));
}
// swr rt, offset(base): bytes from address up to the aligned word's end
template <class Core> void SWR(Core& c, const Operands& o)
{
    uint32_t address = effective_address(c, o);
    uint32_t value = c.gpr(o.rt);
    unsigned count = 4 - (address & 3);
    for (unsigned index = 0; index < count; ++index)
        c.template store<uint8_t>(address + index, static_cast<uint8_t>(value >> (8 * index)));
}
// ll rt, offset(base)
template <class Core> void LL(Core& c, const Operands& o) { c.set_gpr(o.rt, c.load_linked(effective_address(c, o))); }
// sc rt, offset(base): rt becomes 1 on success, 0 on failure
template <class Core> void SC(Core& c, const Operands& o)
{
    c.set_gpr(o.rt, c.store_conditional(effective_address(c, o), c.gpr(o.rt)) ? 1 : 0);
}
// pref hint, offset(base): a hint; never faults
template <class Core> void PREF(Core&, const Operands&) {}

} // namespace isomorph::isa::semantics
