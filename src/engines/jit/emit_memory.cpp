#include "engines/jit/block_emitter.h"

namespace isomorph::engines::jit {

using isa::Opcode;

Xbyak::Reg64 BlockEmitter::guest_address(const isa::Operands& o, bool may_use_base)
{
    if (o.rs != 0 && o.imm == 0 && may_use_base)
        return source(o.rs).cvt64();
    if (o.rs != 0)
        lea(eax, ptr[source(o.rs).cvt64() + o.imm]);
    else
        mov(eax, static_cast<uint32_t>(o.imm));
    return rax;
}

bool BlockEmitter::emit_load_store(const GuestInstruction& instruction)
{
    const isa::Operands& o = instruction.decoded.operands;
    unsigned size = 4;
    switch (instruction.decoded.opcode) {
    case Opcode::LB: case Opcode::LBU: case Opcode::SB: size = 1; break;
    case Opcode::LH: case Opcode::LHU: case Opcode::SH: size = 2; break;
    case Opcode::LW: case Opcode::SW: size = 4; break;
    case Opcode::LWL: case Opcode::LWR: case Opcode::SWL: case Opcode::SWR: return emit_partial_word(instruction);
    default: return false;
    }
    bool store = isa::info(instruction.decoded.opcode).has(isa::Store);
    Xbyak::Reg64 address = guest_address(o, true);
    if (size > 1) {
        test(address.cvt8(), size - 1);
        jump_if_misaligned();
    }
    if (store) {
        const Xbyak::Reg32& value = o.rt != 0 ? source(o.rt) : ecx;
        if (o.rt == 0)
            xor_(ecx, ecx);
        record_fault_site();
        switch (instruction.decoded.opcode) {
        case Opcode::SB: mov(byte[r15 + address], value.cvt8()); break;
        case Opcode::SH: mov(word[r15 + address], value.cvt16()); break;
        default: mov(dword[r15 + address], value); break; // SW
        }
        return true;
    }
    // Straight into rt's host register (a load into $0 still happens, for its fault). Until the
    // load rt's host register holds its old value only if rt was dirty already.
    int rt_slot = o.rt != 0 ? m_host_of_guest[o.rt] : -1;
    bool rt_dirty = rt_slot >= 0 && m_dirty[rt_slot];
    const Xbyak::Reg32& result = o.rt != 0 ? destination(o.rt) : ecx;
    record_fault_site(rt_dirty ? -1 : static_cast<int>(o.rt));
    switch (instruction.decoded.opcode) {
    case Opcode::LB: movsx(result, byte[r15 + address]); break;
    case Opcode::LBU: movzx(result, byte[r15 + address]); break;
    case Opcode::LH: movsx(result, word[r15 + address]); break;
    case Opcode::LHU: movzx(result, word[r15 + address]); break;
    default: mov(result, dword[r15 + address]); break; // LW
    }
    return true;
}

// lwl, lwr, swl, swr rt, offset(base), as the shared semantics define them (isa/semantics/
// integer.h): the loads merge the aligned word that holds the address into rt, shifted by the
// byte's position; the stores write their bytes one at a time, like the semantics, so that another
// thread's stores to the word's other bytes are never overwritten. The word never crosses a page:
// a load faults on the aligned access, a fault site like any load's; a store is a checkpoint of
// its own and faults on its first byte.
bool BlockEmitter::emit_partial_word(const GuestInstruction& instruction)
{
    const isa::Operands& o = instruction.decoded.operands;
    Opcode opcode = instruction.decoded.opcode;
    bool store = opcode == Opcode::SWL || opcode == Opcode::SWR;
    if (store)
        checkpoint(instruction);
    guest_address(o, false);
    if (store) {
        // A checkpoint (above): the store's first byte may fault, and it needs no fault site.
        // edx: the register, rotated so that its byte for the address is the low one.
        if (o.rt != 0)
            mov(edx, source(o.rt));
        else
            xor_(edx, edx);
        Xbyak::Label next, done;
        if (opcode == Opcode::SWL)
            rol(edx, 8); // byte 3 to the address, then bytes 2, 1, 0 downwards to the word's start
        L(next);
        mov(byte[r15 + rax], dl);
        if (opcode == Opcode::SWL) {
            test(al, 3);
            jz(done);
            sub(eax, 1);
            rol(edx, 8);
        } else {
            add(eax, 1); // bytes 0, 1, ... upwards to the word's end
            shr(edx, 8);
            test(al, 3);
            jz(done);
        }
        jmp(next);
        L(done);
        return true;
    }
    // ecx: 8 times the number of bytes the word is shifted by; edx: the shifted word; eax: the
    // mask of rt's bits that stay.
    mov(ecx, eax);
    if (opcode == Opcode::LWL)
        not_(ecx); // 3 - byte
    and_(ecx, 3);
    shl(ecx, 3);
    and_(eax, ~3u);
    record_fault_site();
    mov(edx, dword[r15 + rax]);
    mov(eax, 0xFFFFFFFFu);
    if (opcode == Opcode::LWL) {
        shl(edx, cl); // the word's low bytes to rt's high ones
        shl(eax, cl);
    } else {
        shr(edx, cl); // the word's high bytes to rt's low ones
        shr(eax, cl);
    }
    if (o.rt == 0)
        return true; // the load still happens, for its fault
    not_(eax);
    and_(eax, source(o.rt));
    or_(eax, edx);
    write(o.rt, eax);
    return true;
}

// lwc1, swc1, ldc1, sdc1 ft, offset(base). The helper runs them when coprocessor 1 is unusable or
// the address is misaligned (both raise), through the raising path of misaligned integer accesses;
// each guest memory access is a fault site, as an integer one is. A doubleword is a whole 64-bit
// register with FR = 1 and spans the low words of an even/odd register pair with FR = 0;
// Status.CU1 and FR are tested at run time, unless the block's entry did (FpuMode::Common).
// (An aligned doubleword never crosses a page: of its two word accesses with FR = 0, only the
// first may fault.)
bool BlockEmitter::emit_coprocessor1_load_store(const GuestInstruction& instruction)
{
    const isa::Operands& o = instruction.decoded.operands;
    Opcode opcode = instruction.decoded.opcode;
    bool doubleword = opcode == Opcode::LDC1 || opcode == Opcode::SDC1;
    auto fpr_low_word = [&](unsigned number) { return dword[rbx + offsets::fpr(number)]; };
    Xbyak::Reg64 address = guest_address(o, true);
    if (!m_fpu_status_known) {
        cmp(byte[rbx + offsets::fpu_enabled], 0);
        jump_if_misaligned(true); // coprocessor 1 unusable
    }
    test(address.cvt8(), doubleword ? 7 : 3);
    jump_if_misaligned();
    Xbyak::Label pair_layout, done;
    if (doubleword) {
        if (!m_fpu_status_known) {
            cmp(byte[rbx + offsets::fpu_fr], 0);
            je(pair_layout, T_NEAR);
        }
        if (opcode == Opcode::LDC1) {
            record_fault_site();
            mov(rcx, qword[r15 + address]);
            mov(qword[rbx + offsets::fpr(o.rt)], rcx);
        } else {
            mov(rcx, qword[rbx + offsets::fpr(o.rt)]);
            record_fault_site();
            mov(qword[r15 + address], rcx);
        }
        if (m_fpu_status_known)
            return true; // FR = 1: no pair layout
        jmp(done, T_NEAR);
        L(pair_layout);
    }
    switch (opcode) {
    case Opcode::LWC1:
        record_fault_site();
        mov(ecx, dword[r15 + address]);
        mov(fpr_low_word(o.rt), ecx);
        break;
    case Opcode::SWC1:
        mov(ecx, fpr_low_word(o.rt));
        record_fault_site();
        mov(dword[r15 + address], ecx);
        break;
    case Opcode::LDC1:
        record_fault_site();
        mov(ecx, dword[r15 + address]);
        mov(edx, dword[r15 + address + 4]);
        mov(fpr_low_word(o.rt & ~1u), ecx);
        mov(fpr_low_word(o.rt | 1u), edx);
        break;
    default: // SDC1
        mov(ecx, fpr_low_word(o.rt & ~1u));
        record_fault_site();
        mov(dword[r15 + address], ecx);
        mov(ecx, fpr_low_word(o.rt | 1u));
        mov(dword[r15 + address + 4], ecx);
        break;
    }
    L(done);
    return true;
}

} // namespace isomorph::engines::jit
