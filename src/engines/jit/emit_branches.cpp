#include "engines/jit/block_emitter.h"

namespace isomorph::engines::jit {

using isa::Opcode;

void BlockEmitter::emit_direct_exit(Block& block, uint32_t target, bool back_edge)
{
    auto site = std::make_unique<ExitSite>();
    site->kind = ExitSite::Kind::Direct;
    site->target = target;
    site->owner = &block;
    // A back edge keeps some registers dirty in place (write_back_before_branch): chained, it
    // jumps to the loop head with them; unchained, its stub stores them before it leaves.
    DirtyRegisters kept;
    bool loops = back_edge && m_self_loop && target == m_block_start;
    if (loops) {
        kept = dirty_registers();
        emit_back_edge();
        site->loop_head = m_loop_head.getAddress();
    }
    align(ExitSite::patch_alignment);
    site->patch = const_cast<uint8_t*>(getCurr());
    // The first instruction is at least patch_size bytes long, so a chained jump replaces it whole.
    mov(rax, pc_pair(target, target + 4));
    mov(qword[rbx + offsets::pc], rax);
    store_registers(kept);
    if (loops)
        add(r12, m_length); // the back edge took the next turn's length, which does not run here
    mov(rax, reinterpret_cast<uint64_t>(site.get()));
    jmp(reinterpret_cast<const void*>(m_runtime.exit_to_dispatcher), T_NEAR);
    block.exits.push_back(std::move(site));
}

// The taken way back to a self-loop's start, before its exit stub; the registers are written back
// but for those the back edge keeps dirty in place (write_back_before_branch). The next iteration
// starts as the block's entry does: it takes the block's length from the budget (leaving unrun at
// the start if it does not fit), with the loop's registers in the host registers the head expects.
void BlockEmitter::emit_back_edge()
{
    // Out of line, so that a turn takes one jump (its chained stub's): the registers kept by the
    // back edge are stored before leaving. (A comparison, then the subtraction: on this AMD host
    // a sub/jl pair at the loop's end made crc's loop 3 % slower than cmp/jl and sub.)
    m_short_back_edges.push_back(ShortBackEdge{Xbyak::Label(), dirty_registers()});
    cmp(r12, m_length);
    jl(m_short_back_edges.back().label, T_NEAR);
    sub(r12, m_length);
    for (unsigned slot = 0; slot < m_loop_registers.size(); ++slot) {
        unsigned number = m_loop_registers[slot];
        if (m_host_of_guest[number] != static_cast<int>(slot))
            mov(*m_cache_registers[slot], m_memory_operands[number]);
    }
}

// JR, JALR: r13d holds the destination. Try the site's inline cache, then the shared hash table,
// then go back to the dispatcher. A misaligned destination goes straight to the dispatcher, whose
// fetch raises the address error; it must never meet the caches, whose empty entries hold an odd pc.
void BlockEmitter::emit_indirect_exit(Block& block)
{
    auto site = std::make_unique<ExitSite>();
    site->kind = ExitSite::Kind::Indirect;
    site->owner = &block;
    Xbyak::Label not_cached, not_hashed;
    test(r13d, 3);
    jnz(not_hashed, T_NEAR);
    mov(rcx, reinterpret_cast<uint64_t>(&site->cache));
    cmp(r13d, dword[rcx]);
    jne(not_cached, T_NEAR);
    if (m_runtime.instrument)
        inc(qword[r14 + offsets::inline_cache_hits]);
    jmp(qword[rcx + offsetof(IndirectEntry, host)]);
    L(not_cached);
    mov(eax, r13d);
    shr(eax, 2);
    and_(eax, hash_table_mask);
    shl(eax, 4);
    static_assert(sizeof(IndirectEntry) == 16);
    add(rax, qword[r14 + offsets::hash_table]);
    cmp(r13d, dword[rax]);
    jne(not_hashed, T_NEAR);
    if (m_runtime.instrument)
        inc(qword[r14 + offsets::hash_table_hits]);
    jmp(qword[rax + offsetof(IndirectEntry, host)]);
    L(not_hashed);
    mov(dword[rbx + offsets::pc], r13d);
    lea(eax, ptr[r13 + 4]);
    mov(dword[rbx + offsets::next_pc], eax);
    mov(rax, reinterpret_cast<uint64_t>(site.get()));
    jmp(reinterpret_cast<const void*>(m_runtime.exit_to_dispatcher), T_NEAR);
    block.exits.push_back(std::move(site));
}

// Whether a conditional branch can run its delay slot first and then compare and jump directly,
// without keeping the outcome in r13: a beq, bne, blez, bgtz, bltz or bgez whose slot is native
// and changes none of the registers it compares. (A native load or store in the slot may fault;
// the engine then probes the branch again, which finds the same outcome.)
bool BlockEmitter::runs_slot_first(const GuestInstruction& branch, const GuestInstruction& slot) const
{
    const isa::Operands& o = branch.decoded.operands;
    Opcode opcode = branch.decoded.opcode;
    bool compares_two = opcode == Opcode::BEQ || opcode == Opcode::BNE;
    bool compares_zero = opcode == Opcode::BLEZ || opcode == Opcode::BGTZ || opcode == Opcode::BLTZ ||
                         opcode == Opcode::BGEZ;
    if ((!compares_two && !compares_zero) || (opcode == Opcode::BEQ && o.rs == o.rt))
        return false;
    Opcode slot_opcode = slot.decoded.opcode;
    const isa::InstructionInfo& slot_info = isa::info(slot_opcode);
    // (Floating-point arithmetic, and EXT and INS in their reserved forms, call their helper,
    // which needs r13.)
    if (!is_native(slot.decoded) || slot_opcode == Opcode::EXT || slot_opcode == Opcode::INS ||
        slot_info.has(isa::Branch) || is_fpu_arithmetic(slot_opcode))
        return false;
    // Conservatively, an instruction may write the registers named by its rd and rt fields.
    const isa::Operands& s = slot.decoded.operands;
    auto written = [&](unsigned number) { return number != 0 && (s.rd == number || s.rt == number); };
    return !written(o.rs) && !(compares_two && written(o.rt));
}

// Compares a conditional branch's operands (rs with rt, or rs with zero) into the flags.
void BlockEmitter::compare_operands(const GuestInstruction& branch)
{
    const isa::Operands& o = branch.decoded.operands;
    Opcode opcode = branch.decoded.opcode;
    bool compares_two =
        opcode == Opcode::BEQ || opcode == Opcode::BEQL || opcode == Opcode::BNE || opcode == Opcode::BNEL;
    if (compares_two && o.rt != 0) {
        const Xbyak::Operand& left = read(o.rs);
        cmp(left, read(o.rt)); // reading rt cannot evict rs, the most recently used
    } else {
        cmp(read(o.rs), 0);
    }
}

// After compare_operands of a branch that runs its slot first: jumps to label when the branch is
// taken (taken) or not taken (!taken).
void BlockEmitter::jump_when(const GuestInstruction& branch, bool taken, Xbyak::Label& label)
{
    switch (branch.decoded.opcode) {
    case Opcode::BEQ: taken ? je(label, T_NEAR) : jne(label, T_NEAR); break;
    case Opcode::BNE: taken ? jne(label, T_NEAR) : je(label, T_NEAR); break;
    case Opcode::BLEZ: taken ? jle(label, T_NEAR) : jg(label, T_NEAR); break;
    case Opcode::BGTZ: taken ? jg(label, T_NEAR) : jle(label, T_NEAR); break;
    case Opcode::BLTZ: taken ? jl(label, T_NEAR) : jge(label, T_NEAR); break;
    default: taken ? jge(label, T_NEAR) : jl(label, T_NEAR); break; // BGEZ
    }
}

// A conditional branch that ends the block and runs its slot first (runs_slot_first).
bool BlockEmitter::emit_fused_branch(const GuestInstruction& branch, const GuestInstruction& slot, Block& block)
{
    if (!runs_slot_first(branch, slot))
        return false;
    record_offset(block);
    m_in_delay_slot = true;
    emit_body_instruction(slot);
    m_in_delay_slot = false;
    record_offset(block);
    write_back_before_branch();
    Xbyak::Label not_taken;
    compare_operands(branch);
    jump_when(branch, false, not_taken);
    ++m_native_count;
    count_branch(true);
    emit_direct_exit(block, m_branch_target);
    L(not_taken);
    write_back_dirty();
    count_branch(false);
    emit_direct_exit(block, m_fall_through);
    return true;
}

// A basic block on its way to a superblock counts which way its branch goes (frontend.h).
void BlockEmitter::count_branch(bool taken)
{
    if (m_branch_counts == nullptr)
        return;
    mov(rax, reinterpret_cast<uint64_t>(taken ? &m_branch_counts->taken : &m_branch_counts->not_taken));
    inc(dword[rax]);
}

// r13b = whether a conditional branch is taken (beq, bne, blez, bgtz, bltz, bgez, and their
// likely and linking forms), from its operands before its delay slot runs.
void BlockEmitter::emit_condition(const GuestInstruction& branch)
{
    claim_r13();
    compare_operands(branch);
    switch (branch.decoded.opcode) {
    case Opcode::BEQ: case Opcode::BEQL: sete(r13b); break;
    case Opcode::BNE: case Opcode::BNEL: setne(r13b); break;
    case Opcode::BLEZ: case Opcode::BLEZL: setle(r13b); break;
    case Opcode::BGTZ: case Opcode::BGTZL: setg(r13b); break;
    case Opcode::BLTZ: case Opcode::BLTZL: case Opcode::BLTZAL: case Opcode::BLTZALL: setl(r13b); break;
    default: setge(r13b); break; // BGEZ, BGEZL, BGEZAL, BGEZALL
    }
}

// A conditional branch the block goes on past (engines/jit/frontend.h): the outcome in r13b, the
// delay slot, and a jump to a side exit when the branch goes the way the block does not. The side
// exit (emitted after the block's exits) stores the registers dirty here, takes the instructions
// run so far from the budget and leaves like any direct exit, chainable; the block goes on with
// the fall-through path, or at the target when continues_at_target.
void BlockEmitter::emit_side_exit(const GuestInstruction& branch, const GuestInstruction& slot, Block& block,
                                  uint32_t executed, bool continues_at_target)
{
    begin_instruction(branch);
    m_fall_through = branch.pc + 8;
    m_branch_target = branch_target(branch);
    m_branch_kind = BranchKind::Conditional;
    ++m_native_count;
    bool slot_first = runs_slot_first(branch, slot);
    if (!slot_first)
        emit_condition(branch);
    record_offset(block);
    m_in_delay_slot = true;
    m_delay_slot_flag_set = false;
    emit_body_instruction(slot);
    if (m_delay_slot_flag_set)
        mov(byte[rbx + offsets::delay_slot], 0);
    m_in_delay_slot = false;
    m_side_exits.push_back(
        SideExit{Xbyak::Label(), continues_at_target ? m_fall_through : m_branch_target, executed, {}});
    SideExit& side = m_side_exits.back();
    if (slot_first) {
        compare_operands(branch); // it may evict: what the side exit stores is known after it
        side.dirty = dirty_registers();
        jump_when(branch, !continues_at_target, side.label);
    } else {
        side.dirty = dirty_registers();
        test(r13b, r13b);
        if (continues_at_target)
            jz(side.label, T_NEAR);
        else
            jnz(side.label, T_NEAR);
        release_r13();
    }
}

void BlockEmitter::emit_side_exits(Block& block)
{
    for (SideExit& side : m_side_exits) {
        L(side.label);
        store_registers(side.dirty);
        add(r12, m_length - side.executed); // what the block did not run
        emit_direct_exit(block, side.target, false);
    }
    for (ShortBackEdge& edge : m_short_back_edges) {
        L(edge.label);
        store_registers(edge.dirty);
        jmp(m_left_unrun, T_NEAR); // the budget is the block's entry's already
    }
}

void BlockEmitter::emit_branch(const GuestInstruction& branch, const GuestInstruction& slot, Block& block)
{
    const isa::Operands& o = branch.decoded.operands;
    Opcode opcode = branch.decoded.opcode;
    const isa::InstructionInfo& info = isa::info(opcode);
    uint32_t link = branch.pc + 8;
    begin_instruction(branch); // evictions before the delay slot belong to the branch
    m_fall_through = branch.pc + 8;
    m_branch_target = branch_target(branch);
    m_branch_kind = BranchKind::Conditional;
    Xbyak::Label nullified;
    if (info.has(isa::Link)) {
        unsigned link_register = (opcode == Opcode::JALR || opcode == Opcode::JALR_HB) ? o.rd : 31;
        m_slot_needs_full_state = link_register != 0 && (link_register == o.rs || link_register == o.rt);
    }
    if (emit_fused_branch(branch, slot, block))
        return;

    switch (opcode) {
    case Opcode::BEQ:
        if (o.rs == o.rt) {
            m_branch_kind = BranchKind::Static; // b offset (beq $0, $0): always taken
            break;
        }
        emit_condition(branch);
        break;
    case Opcode::BEQL: case Opcode::BNE: case Opcode::BNEL: case Opcode::BLEZ: case Opcode::BLEZL:
    case Opcode::BGTZ: case Opcode::BGTZL: case Opcode::BLTZ: case Opcode::BLTZL: case Opcode::BLTZAL:
    case Opcode::BLTZALL: case Opcode::BGEZ: case Opcode::BGEZL: case Opcode::BGEZAL: case Opcode::BGEZALL:
        emit_condition(branch);
        break;
    // j target; jal target
    case Opcode::J: case Opcode::JAL:
        m_branch_kind = BranchKind::Static;
        m_branch_target = ((branch.pc + 4) & 0xF0000000) | (o.jump_index() << 2);
        break;
    // jr rs; jalr rd, rs: the destination is read before the link is written
    case Opcode::JR: case Opcode::JR_HB: case Opcode::JALR: case Opcode::JALR_HB:
        m_branch_kind = BranchKind::Register;
        claim_r13();
        mov(r13d, read(o.rs));
        break;
    default: {
        // A branch without a fast path: its helper reports the outcome.
        emit_helper_call(branch);
        if (info.has(isa::Likely)) {
            cmp(eax, static_cast<uint32_t>(BranchOutcome::Nullified));
            je(nullified, T_NEAR);
        }
        claim_r13(); // (the helper call left the cache empty)
        cmp(eax, static_cast<uint32_t>(BranchOutcome::Taken));
        sete(r13b);
        break;
    }
    }
    bool native = is_native(opcode);
    if (native)
        ++m_native_count;
    if (native && info.has(isa::Link)) {
        unsigned link_register = (opcode == Opcode::JALR || opcode == Opcode::JALR_HB) ? o.rd : 31;
        if (link_register != 0)
            write(link_register, link);
    }
    // What the path that skips the delay slot stores before it leaves: the registers dirty now
    // (the link among them); the path that runs the slot stores them after it.
    DirtyRegisters dirty_when_nullified;
    if (native && info.has(isa::Likely)) {
        for (unsigned slot = 0; slot < cache_size; ++slot)
            if (m_dirty[slot])
                dirty_when_nullified.emplace_back(static_cast<unsigned>(m_cached_guest[slot]), m_cache_registers[slot]);
        test(r13b, r13b);
        jz(nullified, T_NEAR);
    }

    record_offset(block);
    m_in_delay_slot = true;
    m_delay_slot_flag_set = false;
    if (m_slot_needs_full_state) {
        // The link overwrote an operand of the branch: the engine could not probe it again, so
        // the slot starts at a full checkpoint (and then leaves nothing dirty to evict).
        write_back_dirty();
        synchronize_state(slot);
    }
    emit_body_instruction(slot);
    if (m_delay_slot_flag_set)
        mov(byte[rbx + offsets::delay_slot], 0);
    m_in_delay_slot = false;

    record_offset(block);
    write_back_before_branch();
    switch (m_branch_kind) {
    case BranchKind::Static: emit_direct_exit(block, m_branch_target); break;
    case BranchKind::Register: emit_indirect_exit(block); break;
    case BranchKind::Conditional: {
        Xbyak::Label not_taken;
        test(r13b, r13b);
        jz(not_taken, T_NEAR);
        count_branch(true);
        emit_direct_exit(block, m_branch_target);
        L(not_taken);
        write_back_dirty();
        count_branch(false);
        emit_direct_exit(block, m_fall_through);
        break;
    }
    }
    if (info.has(isa::Likely)) {
        // A branch-likely that falls through skips its delay slot, which the block counted.
        L(nullified);
        store_registers(dirty_when_nullified);
        add(r12, 1); // the delay slot did not run
        emit_direct_exit(block, m_fall_through);
    }
}

} // namespace isomorph::engines::jit
