#include "engines/jit/block_emitter.h"

#include <bit>
#include <cstring>
#include <string_view>

namespace isomorph::engines::jit {

using isa::Opcode;

RegisterUse register_use(const GuestInstruction& instruction)
{
    RegisterUse use;
    if (instruction.decoded.opcode == Opcode::Reserved)
        return use; // no row of the table: its helper raises
    const isa::InstructionInfo& info = isa::info(instruction.decoded.opcode);
    const isa::Operands& o = instruction.decoded.operands;
    bool first = true;
    // The first operand is the destination, except for stores, branches and traps.
    bool first_written = !info.has(isa::Store) && !info.has(isa::Branch) && !info.has(isa::Trapping) &&
                         !info.has(isa::FloatingPoint);
    std::string_view syntax = info.syntax;
    while (!syntax.empty()) {
        size_t comma = syntax.find(',');
        std::string_view token = syntax.substr(0, comma);
        syntax = comma == std::string_view::npos ? std::string_view() : syntax.substr(comma + 1);
        unsigned number = 32;
        if (token == "rs" || token == "mem")
            number = o.rs;
        else if (token == "rt")
            number = o.rt;
        else if (token == "rd")
            number = o.rd;
        if (number < 32 && first && first_written && token != "mem")
            use.written = number;
        else if (number != 0 && number < 32 && use.read_count < 3)
            use.reads[use.read_count++] = number;
        first = false;
    }
    return use;
}

unsigned BlockEmitter::next_read_distance(unsigned number) const
{
    size_t length = m_reads.size();
    size_t index = m_current ? static_cast<size_t>(m_current - m_first) : 0;
    uint32_t bit = 1u << number;
    // A fused branch compares its registers after its delay slot, the block's last instruction.
    if (index + 1 == length && length >= 2 && (m_reads[length - 2] & bit) != 0)
        return 0;
    for (size_t ahead = index; ahead < length; ++ahead)
        if (m_reads[ahead] & bit)
            return static_cast<unsigned>(ahead - index);
    if (m_self_loop)
        for (size_t ahead = 0; ahead < index && ahead < length; ++ahead)
            if (m_reads[ahead] & bit)
                return static_cast<unsigned>(length - index + ahead);
    return unread_distance;
}

// A block whose branch goes back to its start loads the registers it reads before writing them
// and puts the loop head after them: in order of first use, those first read while the registers
// the block has touched so far still fit in the cache (a register loaded at the head only to be
// evicted before its first read would cost a store and a load every turn). When every register
// the loop touches fits, those it writes first are loaded too: they then stay in their host
// registers across the back edge instead of being stored every turn (exits store them).
void BlockEmitter::enter_loop(const GuestBlock& guest)
{
    // The loop's branch may need r13 for its outcome, which takes it from the cache.
    const GuestInstruction& branch = guest.instructions[guest.instructions.size() - 2];
    bool branch_claims_r13 = !(branch.decoded.opcode == Opcode::BEQ && branch.decoded.operands.rs ==
                                                                           branch.decoded.operands.rt) &&
                             !runs_slot_first(branch, guest.instructions.back());
    unsigned room = branch_claims_r13 ? cache_size - 1 : cache_size;
    uint32_t all = 0;
    for (const GuestInstruction& instruction : guest.instructions) {
        RegisterUse use = register_use(instruction);
        for (unsigned index = 0; index < use.read_count; ++index)
            all |= 1u << use.reads[index];
        all |= 1u << use.written;
    }
    bool all_fit = static_cast<unsigned>(std::popcount(all & ~1u)) <= room;
    bool written[32] = {};
    uint32_t touched = 0;
    auto keep_in_loop = [&](unsigned number) {
        touched |= 1u << number;
        if (number == 0 || written[number] || m_host_of_guest[number] >= 0 ||
            static_cast<unsigned>(std::popcount(touched & ~1u)) > room)
            return;
        m_loop_registers.push_back(number);
        read(number);
    };
    for (const GuestInstruction& instruction : guest.instructions) {
        RegisterUse use = register_use(instruction);
        for (unsigned index = 0; index < use.read_count; ++index)
            keep_in_loop(use.reads[index]);
        if (all_fit)
            keep_in_loop(use.written);
        else if (use.written != 0)
            touched |= 1u << use.written;
        written[use.written] = true;
    }
    L(m_loop_head);
    // The loop's registers the block writes stay in their host registers across the back edge,
    // dirty: at the head they count as dirty whichever way the block came in.
    for (unsigned slot = 0; slot < m_loop_registers.size(); ++slot) {
        if (written[m_loop_registers[slot]]) {
            m_loop_kept |= 1u << m_loop_registers[slot];
            m_dirty[slot] = true;
        }
    }
}

bool BlockEmitter::kept_by_back_edge(unsigned slot) const
{
    return slot < m_loop_registers.size() && m_cached_guest[slot] == static_cast<int>(m_loop_registers[slot]) &&
           (m_loop_kept & (1u << m_loop_registers[slot])) != 0;
}

void BlockEmitter::write_back_before_branch()
{
    for (unsigned slot = 0; slot < cache_size; ++slot) {
        if (!m_dirty[slot] || (m_self_loop && kept_by_back_edge(slot)))
            continue;
        mov(m_memory_operands[static_cast<unsigned>(m_cached_guest[slot])], *m_cache_registers[slot]);
        m_dirty[slot] = false;
    }
}

void BlockEmitter::emit(const GuestBlock& guest, Block& block)
{
    uint32_t length = static_cast<uint32_t>(guest.instructions.size());
    block.entry = const_cast<uint8_t*>(getCurr());
    block.start = guest.start;
    block.ranges = guest.ranges();
    block.shape = guest.shape;
    block.fpu_mode = guest.fpu_mode;
    m_block = &block;
    block.length = length;
    block.instruction_offsets.reserve(length + 1);

    // Entry: take the block's length from the budget, and run only if it fitted; every way out
    // that does not run the whole block gives back what it did not run. Which block runs and what
    // the budget was when it started are stored only before a helper call (store_position).
    sub(r12, length);
    jl(m_budget_exhausted, T_NEAR);
    Xbyak::Label other_fpu_mode;
    test_fpu_mode(guest, other_fpu_mode);
    Xbyak::Label hot;
    bool counts_down = guest.grows_when_hot && m_runtime.hot_threshold != 0 && m_runtime.hot_site;
    if (counts_down) {
        block.countdown = m_runtime.hot_threshold;
        mov(rax, reinterpret_cast<uint64_t>(&block.countdown));
        sub(dword[rax], 1);
        jz(hot, T_NEAR);
    }
    m_block_start = guest.start;
    m_first = guest.instructions.data();
    m_length = length;
    for (const GuestInstruction& instruction : guest.instructions) {
        RegisterUse use = register_use(instruction);
        uint32_t reads = 0;
        for (unsigned index = 0; index < use.read_count; ++index)
            reads |= 1u << use.reads[index];
        m_reads.push_back(reads);
    }
    if (guest.end == BlockEnd::Branch) {
        const GuestInstruction& branch = guest.instructions[length - 2];
        const isa::InstructionInfo& info = isa::info(branch.decoded.opcode);
        bool relative = !info.has(isa::RegisterJump) && !info.has(isa::Link) &&
                        branch.decoded.opcode != Opcode::J;
        m_self_loop = relative && branch_target(branch) == guest.start;
        if (counts_down && m_runtime.branch_profile && may_continue_past(branch))
            m_branch_counts = &(*m_runtime.branch_profile)[branch.pc];
    }
    if (m_self_loop)
        enter_loop(guest);
    if (m_runtime.instrument) {
        mov(rax, reinterpret_cast<uint64_t>(&block.executions));
        inc(qword[rax]);
    }

    size_t body = guest.end == BlockEnd::Branch ? length - 2 : length;
    for (size_t index = 0; index < body; ++index) {
        record_offset(block);
        const GuestInstruction& instruction = guest.instructions[index];
        if (isa::info(instruction.decoded.opcode).has(isa::Branch)) {
            uint32_t target = 0;
            if (follows_unconditionally(instruction, target)) {
                ++m_native_count; // a jump the block follows (b, j): nothing to do, its slot is next
                continue;
            }
            // A conditional branch the block goes on past, and its delay slot.
            emit_side_exit(instruction, guest.instructions[index + 1], block, static_cast<uint32_t>(index + 2),
                           continues_at_target(guest, index));
            ++index;
            continue;
        }
        emit_body_instruction(instruction);
    }
    if (guest.end == BlockEnd::Branch) {
        record_offset(block);
        emit_branch(guest.instructions[length - 2], guest.instructions[length - 1], block);
    } else {
        record_offset(block);
        write_back_dirty();
        emit_direct_exit(block, guest.end_pc());
    }

    emit_side_exits(block);

    const Xbyak::Reg64* caller_saved[] = {&rsi, &rdi, &r8, &r9, &r10, &r11};
    for (ColdPath& path : m_cold_paths) {
        L(path.label);
        if (path.stores_state) {
            store_registers(path.dirty);
            mov(dword[rbx + offsets::pc], path.instruction.pc);
        }
        if (path.resume)
            for (const Xbyak::Reg64* saved : caller_saved)
                push(*saved); // six: the stack stays 16-byte aligned
        store_position();
        mov(rdi, r14);
        mov(esi, path.instruction.word);
        mov(edx, path.instruction.pc);
        mov(rax, reinterpret_cast<uint64_t>(helper_for(path.instruction.decoded.opcode)));
        call(rax);
        if (path.resume) {
            for (auto saved = std::rbegin(caller_saved); saved != std::rend(caller_saved); ++saved)
                pop(**saved);
            jmp(*path.resume, T_NEAR);
        }
    }

    emit_misaligned_paths();

    // The ways out before the block runs: back to the dispatcher at its start, through site,
    // with the budget the block found.
    auto leave_unrun = [&](Xbyak::Label& label, ExitSite* site, Xbyak::Label* taken_back = nullptr) {
        L(label);
        add(r12, length);
        if (taken_back)
            L(*taken_back);
        mov(rax, pc_pair(guest.start, guest.start + 4));
        mov(qword[rbx + offsets::pc], rax);
        mov(rax, reinterpret_cast<uint64_t>(site));
        jmp(reinterpret_cast<const void*>(m_runtime.exit_to_dispatcher), T_NEAR);
    };
    leave_unrun(m_budget_exhausted, m_runtime.budget_site, &m_left_unrun);
    if (counts_down)
        leave_unrun(hot, m_runtime.hot_site);
    if (m_fpu_status_known)
        leave_unrun(other_fpu_mode, m_runtime.fpu_mode_site);

    block.fault_sites.assign(m_fault_sites.begin(), m_fault_sites.end());
    block.host_size = static_cast<uint32_t>(getSize());
    block.native_instructions = m_native_count;
    for (auto& site : block.exits)
        if (site->kind == ExitSite::Kind::Direct)
            std::memcpy(site->original.data(), site->patch, ExitSite::patch_size);
}

namespace {

class TrampolineEmitter final : public Xbyak::CodeGenerator {
public:
    TrampolineEmitter(uint8_t* buffer, size_t capacity) : CodeGenerator(capacity, buffer) {}

    Trampolines emit()
    {
        Trampolines result;
        result.enter = getCurr<Trampolines::Entry>();
        // enter(context = rdi, cpu = rsi, host_base = rdx, code = rcx)
        push(rbx);
        push(rbp);
        push(r12);
        push(r13);
        push(r14);
        push(r15);
        sub(rsp, 8); // keep the stack 16-byte aligned for helper calls
        mov(r14, rdi);
        mov(rbx, rsi);
        mov(r15, rdx);
        mov(r12, qword[r14 + offsets::remaining]);
        jmp(rcx);
        align(16);
        result.exit_to_dispatcher = getCurr();
        mov(qword[r14 + offsets::remaining], r12);
        add(rsp, 8);
        pop(r15);
        pop(r14);
        pop(r13);
        pop(r12);
        pop(rbp);
        pop(rbx);
        ret();
        result.size = getSize();
        return result;
    }
};

} // namespace

bool emit_block(const GuestBlock& guest, Block& block, uint8_t* buffer, size_t capacity, const Runtime& runtime)
{
    thread_local BlockEmitter emitter;
    try {
        emitter.start(buffer, capacity, runtime);
        emitter.emit(guest, block);
        return true;
    } catch (const Xbyak::Error&) {
        block.exits.clear();
        block.instruction_offsets.clear();
        return false;
    }
}

Trampolines emit_trampolines(uint8_t* buffer, size_t capacity)
{
    TrampolineEmitter emitter(buffer, capacity);
    return emitter.emit();
}

bool emits_natively(const GuestInstruction& instruction)
{
    static uint8_t scratch[4096];
    Runtime runtime;
    BlockEmitter emitter;
    emitter.start(scratch, sizeof scratch, runtime);
    Block block;
    return emitter.emit_alone(instruction, block) ||
           (is_native(instruction.decoded.opcode) && isa::info(instruction.decoded.opcode).has(isa::Branch));
}

} // namespace isomorph::engines::jit
