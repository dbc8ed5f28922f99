#include "engines/jit/block_emitter.h"

namespace isomorph::engines::jit {

using isa::Opcode;

// The native fast paths of the rows in native_table.h, except branches (emit_branch). Returns
// false for an instruction to be run by its helper.
bool BlockEmitter::emit_native(const GuestInstruction& instruction)
{
    const isa::Operands& o = instruction.decoded.operands;
    Opcode opcode = instruction.decoded.opcode;
    if (!is_native(instruction.decoded) || isa::info(opcode).has(isa::Branch))
        return false;
    if (opcode == Opcode::LWC1 || opcode == Opcode::SWC1 || opcode == Opcode::LDC1 || opcode == Opcode::SDC1)
        return emit_coprocessor1_load_store(instruction);
    if (is_fpu_arithmetic(opcode))
        return emit_fpu_arithmetic(instruction);
    if (isa::info(opcode).has(isa::Load) || isa::info(opcode).has(isa::Store))
        return emit_load_store(instruction);

    // Three-register and shift forms write rd; immediate forms write rt.
    auto copy = [&](unsigned target, unsigned from) {
        if (from == 0) {
            write(target, 0u);
            return;
        }
        const Xbyak::Reg32& value = source(from);
        const Xbyak::Reg32& result = destination(target);
        if (result.getIdx() != value.getIdx())
            mov(result, value);
    };
    auto three_register = [&](auto operation) {
        if (o.rd == 0)
            return;
        // move rd, rs (addu, or, xor or subu with $0 second, or the first three with $0 first):
        // one host move between the registers, none when both are the same.
        bool commutative_identity = opcode == Opcode::ADDU || opcode == Opcode::OR || opcode == Opcode::XOR;
        if ((commutative_identity || opcode == Opcode::SUBU) && o.rt == 0) {
            copy(o.rd, o.rs);
            return;
        }
        if (commutative_identity && o.rs == 0) {
            copy(o.rd, o.rt);
            return;
        }
        if (o.rs != 0 && o.rt != 0 && o.rd != o.rt) {
            // In place: rd = rs; rd op= rt.
            const Xbyak::Reg32& left = source(o.rs);
            const Xbyak::Reg32& right = source(o.rt);
            const Xbyak::Reg32& result = destination(o.rd);
            if (result.getIdx() != left.getIdx())
                mov(result, left);
            operation(result, right);
            return;
        }
        if (o.rs != 0 && o.rd == o.rt && opcode != Opcode::SUBU) {
            // rd = rt op rs in place: the other operations are commutative.
            const Xbyak::Reg32& left = source(o.rs);
            const Xbyak::Reg32& result = source(o.rt);
            destination(o.rd);
            operation(result, left);
            return;
        }
        mov(eax, read(o.rs));
        operation(eax, read(o.rt));
        write(o.rd, eax);
    };
    // rd (or rt) = value op amount, computed in the destination's host register.
    auto in_place = [&](unsigned target, unsigned operand, auto operation) {
        const Xbyak::Reg32& value = source(operand);
        const Xbyak::Reg32& result = destination(target);
        if (result.getIdx() != value.getIdx())
            mov(result, value);
        operation(result);
    };
    auto shift_immediate = [&](auto operation) {
        if (o.rd == 0)
            return;
        if (o.rt != 0) {
            in_place(o.rd, o.rt, [&](const Xbyak::Reg32& result) {
                if (o.sa != 0)
                    operation(result, o.sa);
            });
            return;
        }
        mov(eax, read(o.rt));
        if (o.sa != 0)
            operation(eax, o.sa);
        write(o.rd, eax);
    };
    auto shift_variable = [&](auto operation) {
        if (o.rd == 0)
            return;
        mov(ecx, read(o.rs));
        if (o.rt != 0) {
            // the host masks the count to five bits, as MIPS does
            in_place(o.rd, o.rt, [&](const Xbyak::Reg32& result) { operation(result, cl); });
            return;
        }
        mov(eax, read(o.rt));
        operation(eax, cl);
        write(o.rd, eax);
    };
    auto immediate = [&](auto operation, uint32_t value) {
        if (o.rt == 0)
            return;
        if (o.rs != 0) {
            in_place(o.rt, o.rs, [&](const Xbyak::Reg32& result) { operation(result, value); });
            return;
        }
        mov(eax, read(o.rs));
        operation(eax, value);
        write(o.rt, eax);
    };
    auto set_on_compare = [&](auto set, unsigned target, auto right) {
        if (target == 0)
            return;
        if (o.rs != 0) {
            const Xbyak::Reg32& left = source(o.rs);
            cmp(left, right()); // read after rs, so that reading rs cannot evict it
            set(al);
            movzx(destination(target), al); // after the flags are used: allocating may store a register
            return;
        }
        xor_(ecx, ecx);
        mov(eax, read(o.rs));
        cmp(eax, right());
        set(cl);
        write(target, ecx);
    };

    using Operand = const Xbyak::Operand&;
    switch (opcode) {
    // sll rd, rt, sa (and the other immediate shifts)
    case Opcode::SLL: shift_immediate([&](Operand r, int n) { shl(r, n); }); return true;
    case Opcode::SRL: shift_immediate([&](Operand r, int n) { shr(r, n); }); return true;
    case Opcode::SRA: shift_immediate([&](Operand r, int n) { sar(r, n); }); return true;
    case Opcode::ROTR: shift_immediate([&](Operand r, int n) { ror(r, n); }); return true;
    // sllv rd, rt, rs (and the other variable shifts)
    case Opcode::SLLV: shift_variable([&](Operand r, const Xbyak::Reg8& c) { shl(r, c); }); return true;
    case Opcode::SRLV: shift_variable([&](Operand r, const Xbyak::Reg8& c) { shr(r, c); }); return true;
    case Opcode::SRAV: shift_variable([&](Operand r, const Xbyak::Reg8& c) { sar(r, c); }); return true;
    case Opcode::ROTRV: shift_variable([&](Operand r, const Xbyak::Reg8& c) { ror(r, c); }); return true;
    // addu rd, rs, rt (and the other three-register forms)
    case Opcode::ADDU: three_register([&](Operand a, Operand b) { add(a, b); }); return true;
    case Opcode::SUBU: three_register([&](Operand a, Operand b) { sub(a, b); }); return true;
    case Opcode::AND: three_register([&](Operand a, Operand b) { and_(a, b); }); return true;
    case Opcode::OR: three_register([&](Operand a, Operand b) { or_(a, b); }); return true;
    case Opcode::XOR: three_register([&](Operand a, Operand b) { xor_(a, b); }); return true;
    case Opcode::NOR:
        // not rd, rt (nor with $0)
        if (o.rd != 0 && (o.rs == 0 || o.rt == 0)) {
            copy(o.rd, o.rs == 0 ? o.rt : o.rs);
            not_(source(o.rd));
            return true;
        }
        three_register([&](Operand a, Operand b) {
            or_(a, b);
            not_(a);
        });
        return true;
    // slt rd, rs, rt; sltu rd, rs, rt
    case Opcode::SLT: set_on_compare([&](const Xbyak::Reg8& r) { setl(r); }, o.rd, [&]() -> const Xbyak::Operand& { return read(o.rt); }); return true;
    case Opcode::SLTU: set_on_compare([&](const Xbyak::Reg8& r) { setb(r); }, o.rd, [&]() -> const Xbyak::Operand& { return read(o.rt); }); return true;
    // slti rt, rs, immediate; sltiu rt, rs, immediate (sign-extended, then compared unsigned)
    case Opcode::SLTI: set_on_compare([&](const Xbyak::Reg8& r) { setl(r); }, o.rt, [&] { return static_cast<uint32_t>(o.imm); }); return true;
    case Opcode::SLTIU: set_on_compare([&](const Xbyak::Reg8& r) { setb(r); }, o.rt, [&] { return static_cast<uint32_t>(o.imm); }); return true;
    // movz rd, rs, rt; movn rd, rs, rt
    case Opcode::MOVZ:
    case Opcode::MOVN:
        if (o.rd == 0)
            return true;
        mov(ecx, read(o.rd));
        cmp(read(o.rt), 0);
        if (opcode == Opcode::MOVZ)
            cmove(ecx, read(o.rs));
        else
            cmovne(ecx, read(o.rs));
        write(o.rd, ecx);
        return true;
    // addiu rt, rs, immediate
    case Opcode::ADDIU:
        if (o.rt == 0)
            return true;
        if (o.rs == 0) {
            write(o.rt, static_cast<uint32_t>(o.imm));
            return true;
        }
        immediate([&](Operand r, uint32_t v) { if (v != 0) add(r, v); }, static_cast<uint32_t>(o.imm));
        return true;
    // andi rt, rs, immediate (zero-extended; also ori, xori)
    case Opcode::ANDI: immediate([&](Operand r, uint32_t v) { and_(r, v); }, o.unsigned_immediate()); return true;
    case Opcode::ORI:
        if (o.rt != 0 && o.rs == 0) {
            write(o.rt, o.unsigned_immediate());
            return true;
        }
        immediate([&](Operand r, uint32_t v) { if (v != 0) or_(r, v); }, o.unsigned_immediate());
        return true;
    case Opcode::XORI: immediate([&](Operand r, uint32_t v) { xor_(r, v); }, o.unsigned_immediate()); return true;
    // lui rt, immediate
    case Opcode::LUI:
        if (o.rt != 0)
            write(o.rt, o.unsigned_immediate() << 16);
        return true;
    // mfhi rd; mflo rd; mthi rs; mtlo rs
    case Opcode::MFHI:
    case Opcode::MFLO:
        if (o.rd == 0)
            return true;
        mov(eax, dword[rbx + (opcode == Opcode::MFHI ? offsets::hi : offsets::lo)]);
        write(o.rd, eax);
        return true;
    case Opcode::MTHI:
    case Opcode::MTLO:
        mov(eax, read(o.rs));
        mov(dword[rbx + (opcode == Opcode::MTHI ? offsets::hi : offsets::lo)], eax);
        return true;
    // mult rs, rt; multu rs, rt: (HI, LO) = rs * rt
    case Opcode::MULT:
    case Opcode::MULTU:
        mov(eax, read(o.rs));
        if (opcode == Opcode::MULT)
            imul(read(o.rt));
        else
            mul(read(o.rt));
        mov(dword[rbx + offsets::lo], eax);
        mov(dword[rbx + offsets::hi], edx);
        return true;
    // madd, maddu, msub, msubu rs, rt: (HI, LO) += or -= rs * rt
    case Opcode::MADD:
    case Opcode::MADDU:
    case Opcode::MSUB:
    case Opcode::MSUBU: {
        bool is_signed = opcode == Opcode::MADD || opcode == Opcode::MSUB;
        mov(eax, read(o.rs));
        if (is_signed)
            imul(read(o.rt));
        else
            mul(read(o.rt));
        if (opcode == Opcode::MADD || opcode == Opcode::MADDU) {
            add(dword[rbx + offsets::lo], eax);
            adc(dword[rbx + offsets::hi], edx);
        } else {
            sub(dword[rbx + offsets::lo], eax);
            sbb(dword[rbx + offsets::hi], edx);
        }
        return true;
    }
    // div rs, rt; divu rs, rt: (HI, LO) = (rs % rt, rs / rt), by one where the shared semantics
    // divide by one (a zero divisor; INT_MIN / -1), on which the host would fault
    case Opcode::DIV:
    case Opcode::DIVU: {
        Xbyak::Label by_one, divide;
        mov(eax, read(o.rs));
        mov(ecx, read(o.rt));
        test(ecx, ecx);
        if (opcode == Opcode::DIV) {
            jz(by_one);
            cmp(ecx, -1);
            jne(divide);
            cmp(eax, 0x80000000u);
            jne(divide);
        } else {
            jnz(divide);
        }
        L(by_one);
        mov(ecx, 1);
        L(divide);
        if (opcode == Opcode::DIV) {
            cdq();
            idiv(ecx);
        } else {
            xor_(edx, edx);
            div(ecx);
        }
        mov(dword[rbx + offsets::lo], eax);
        mov(dword[rbx + offsets::hi], edx);
        return true;
    }
    // teq, tne rs, rt, code: the helper raises the trap, from a precise state
    case Opcode::TEQ:
    case Opcode::TNE: {
        checkpoint(instruction);
        m_cold_paths.push_back(ColdPath{instruction, Xbyak::Label()});
        Xbyak::Label& trap = m_cold_paths.back().label;
        mov(eax, read(o.rs));
        if (o.rt == 0)
            test(eax, eax);
        else
            cmp(eax, read(o.rt));
        if (opcode == Opcode::TEQ)
            je(trap, T_NEAR);
        else
            jne(trap, T_NEAR);
        return true;
    }
    // mul rd, rs, rt
    case Opcode::MUL:
        if (o.rd == 0)
            return true;
        mov(eax, read(o.rs));
        imul(eax, read(o.rt));
        write(o.rd, eax);
        return true;
    // seb rd, rt; seh rd, rt
    case Opcode::SEB:
    case Opcode::SEH:
        if (o.rd == 0)
            return true;
        mov(eax, read(o.rt));
        if (opcode == Opcode::SEB)
            movsx(eax, al);
        else
            movsx(eax, ax);
        write(o.rd, eax);
        return true;
    // wsbh rd, rt: the bytes of each halfword swapped, which is the word's bytes reversed and
    // its halves exchanged
    case Opcode::WSBH:
        if (o.rd == 0)
            return true;
        mov(eax, read(o.rt));
        bswap(eax);
        rol(eax, 16);
        write(o.rd, eax);
        return true;
    // ext rt, rs, pos, size
    case Opcode::EXT: {
        if (o.lsb() + o.msbd() > 31)
            return false; // Reserved Instruction: the helper raises it
        if (o.rt == 0)
            return true;
        unsigned size = o.msbd() + 1u;
        mov(eax, read(o.rs));
        if (o.lsb() != 0)
            shr(eax, o.lsb());
        if (size < 32)
            and_(eax, (1u << size) - 1);
        write(o.rt, eax);
        return true;
    }
    // ins rt, rs, pos, size
    case Opcode::INS: {
        if (o.msb() < o.lsb())
            return false; // Reserved Instruction: the helper raises it
        if (o.rt == 0)
            return true;
        unsigned size = o.msb() - o.lsb() + 1u;
        uint32_t mask = (size >= 32 ? 0xFFFFFFFFu : (1u << size) - 1) << o.lsb();
        mov(eax, read(o.rs));
        if (o.lsb() != 0)
            shl(eax, o.lsb());
        and_(eax, mask);
        in_place(o.rt, o.rt, [&](const Xbyak::Reg32& result) {
            and_(result, ~mask);
            or_(result, eax);
        });
        return true;
    }
    // clz rd, rs
    case Opcode::CLZ: {
        if (o.rd == 0)
            return true;
        Xbyak::Label zero;
        mov(ecx, read(o.rs));
        mov(eax, 32);
        test(ecx, ecx);
        jz(zero);
        bsr(ecx, ecx);
        mov(eax, 31);
        sub(eax, ecx);
        L(zero);
        write(o.rd, eax);
        return true;
    }
    // rdhwr rt, rd: UserLocal (glibc reads its thread pointer so) and the constant registers of
    // engines/user_core.h; CC counts retired instructions, which its helper knows.
    case Opcode::RDHWR:
        if (o.rd == 29) {
            if (o.rt != 0) {
                mov(eax, dword[rbx + offsets::user_local]);
                write(o.rt, eax);
            }
            return true;
        }
        if (o.rd == 0 || o.rd == 1 || o.rd == 3) {
            write(o.rt, o.rd == 0 ? 0u : o.rd == 1 ? 32u : 2u); // CPUNum, SYNCI_Step, CCRes
            return true;
        }
        return false;
    // sync stype; pref hint, offset(base): no visible effect
    case Opcode::SYNC:
    case Opcode::PREF: return true;
    default: return false;
    }
}

void BlockEmitter::emit_body_instruction(const GuestInstruction& instruction)
{
    begin_instruction(instruction);
    // A branch in a delay slot goes to its helper, whose semantics reject it.
    if (m_in_delay_slot && isa::info(instruction.decoded.opcode).has(isa::Branch)) {
        emit_helper_call(instruction);
        return;
    }
    if (emit_native(instruction))
        ++m_native_count;
    else
        emit_helper_call(instruction);
}

} // namespace isomorph::engines::jit
