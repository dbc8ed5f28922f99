#include "engines/jit/block_emitter.h"

namespace isomorph::engines::jit {

using isa::Opcode;

// Makes the CpuState precise for an instruction that may raise or fault: pc, next_pc and, in a
// delay slot, delay_slot. Native arithmetic never raises, so it needs none of this.
void BlockEmitter::synchronize_state(const GuestInstruction& instruction, StateNeeded needed)
{
    // A native access in a delay slot stores pc only; if it faults, the engine completes the
    // delay-slot state (engines/jit/delay_slot.h). A helper may read delay_slot, so it gets all.
    if (m_in_delay_slot && needed == StateNeeded::PcOnly && !m_slot_needs_full_state) {
        mov(dword[rbx + offsets::pc], instruction.pc);
        return;
    }
    if (!m_in_delay_slot) {
        // next_pc is pc + 4 here; whoever stops the block (JitCore::raise, the engine's fault
        // handler) completes it, which saves a store on every load and store.
        mov(dword[rbx + offsets::pc], instruction.pc);
        return;
    }
    mov(dword[rbx + offsets::pc], instruction.pc);
    if (!m_delay_slot_flag_set) {
        mov(byte[rbx + offsets::delay_slot], 1);
        m_delay_slot_flag_set = true;
    }
    switch (m_branch_kind) {
    case BranchKind::Static: mov(dword[rbx + offsets::next_pc], m_branch_target); break;
    case BranchKind::Conditional:
        mov(eax, m_fall_through);
        mov(ecx, m_branch_target);
        test(r13b, r13b);
        cmovnz(eax, ecx);
        mov(dword[rbx + offsets::next_pc], eax);
        break;
    case BranchKind::Register: mov(dword[rbx + offsets::next_pc], r13d); break;
    }
}

const Xbyak::Reg32& BlockEmitter::allocate(unsigned number)
{
    // A free host register, else the one whose guest register the block reads again last (a
    // clean one first among equals, then the least recently used). The host registers that the
    // instruction being translated has read are kept.
    unsigned usable = m_r13_claimed ? r13_slot : cache_size;
    unsigned slot = cache_size;
    for (unsigned candidate = 0; candidate < usable; ++candidate) {
        if (m_cached_guest[candidate] < 0) {
            slot = candidate;
            break;
        }
    }
    if (slot == cache_size) {
        uint64_t best = 0;
        for (unsigned candidate = 0; candidate < usable; ++candidate) {
            bool kept = m_last_use[candidate] > m_instruction_clock;
            uint64_t distance = next_read_distance(static_cast<unsigned>(m_cached_guest[candidate]));
            // Larger is a better victim: not kept, read later, clean, used longer ago.
            uint64_t score = (uint64_t{!kept} << 62) | (distance << 40) | (uint64_t{!m_dirty[candidate]} << 32) |
                             (0xFFFFFFFFu - m_last_use[candidate]);
            if (slot == cache_size || score > best) {
                slot = candidate;
                best = score;
            }
        }
    }
    if (int victim = m_cached_guest[slot]; victim >= 0) {
        // With a move alone: this may come between a comparison and the flags' use.
        if (m_dirty[slot])
            mov(m_memory_operands[static_cast<unsigned>(victim)], *m_cache_registers[slot]);
        m_host_of_guest[victim] = -1;
    }
    m_dirty[slot] = false;
    m_cached_guest[slot] = static_cast<int8_t>(number);
    m_host_of_guest[number] = static_cast<int8_t>(slot);
    touch(slot);
    return *m_cache_registers[slot];
}

void BlockEmitter::write_back_dirty()
{
    for (unsigned slot = 0; slot < cache_size; ++slot) {
        if (!m_dirty[slot])
            continue;
        mov(m_memory_operands[static_cast<unsigned>(m_cached_guest[slot])], *m_cache_registers[slot]);
        m_dirty[slot] = false;
    }
}

DirtyRegisters BlockEmitter::dirty_registers() const
{
    DirtyRegisters dirty;
    for (unsigned slot = 0; slot < cache_size; ++slot)
        if (m_dirty[slot])
            dirty.emplace_back(static_cast<unsigned>(m_cached_guest[slot]), m_cache_registers[slot]);
    return dirty;
}

uint32_t BlockEmitter::record_fault_site(int except)
{
    FaultSite site;
    site.host_offset = static_cast<uint32_t>(getSize());
    site.pc = m_current->pc;
    for (unsigned slot = 0; slot < cache_size; ++slot)
        if (m_dirty[slot] && m_cached_guest[slot] != except)
            site.dirty[site.dirty_count++] = {static_cast<uint8_t>(m_cached_guest[slot]),
                                              static_cast<uint8_t>(m_cache_registers[slot]->getIdx())};
    m_fault_sites.push_back(site);
    return static_cast<uint32_t>(m_fault_sites.size() - 1);
}

void BlockEmitter::jump_if_misaligned(bool when_zero)
{
    m_misaligned_paths.push_back(MisalignedPath{Xbyak::Label(), record_fault_site()});
    if (when_zero)
        jz(m_misaligned_paths.back().label, T_NEAR);
    else
        jnz(m_misaligned_paths.back().label, T_NEAR);
}

void BlockEmitter::emit_misaligned_paths()
{
    if (m_misaligned_paths.empty())
        return;
    for (MisalignedPath& path : m_misaligned_paths) {
        L(path.label);
        mov(eax, path.site);
        jmp(m_raise_misaligned, T_NEAR);
    }
    L(m_raise_misaligned);
    for (const Xbyak::Reg32* host : m_cache_registers)
        mov(dword[r14 + offsets::saved_register(host->getIdx())], *host);
    mov(esi, eax);
    store_position();
    mov(rdi, r14);
    mov(rax, reinterpret_cast<uint64_t>(&raise_misaligned));
    call(rax);
}

const Xbyak::Operand& BlockEmitter::read(unsigned number)
{
    if (number == 0)
        return m_memory_operands[0];
    if (int slot = m_host_of_guest[number]; slot >= 0) {
        touch(static_cast<unsigned>(slot));
        return *m_cache_registers[slot];
    }
    const Xbyak::Reg32& host = allocate(number);
    mov(host, m_memory_operands[number]);
    return host;
}

void BlockEmitter::write(unsigned number, const Xbyak::Reg32& value)
{
    if (number == 0)
        return;
    const Xbyak::Reg32& host = m_host_of_guest[number] >= 0 ? *m_cache_registers[m_host_of_guest[number]]
                                                            : allocate(number);
    if (host.getIdx() != value.getIdx())
        mov(host, value);
    unsigned slot = static_cast<unsigned>(m_host_of_guest[number]);
    m_dirty[slot] = true;
    touch(slot);
}

void BlockEmitter::write(unsigned number, uint32_t value)
{
    if (number == 0)
        return;
    const Xbyak::Reg32& host = m_host_of_guest[number] >= 0 ? *m_cache_registers[m_host_of_guest[number]]
                                                            : allocate(number);
    mov(host, value);
    unsigned slot = static_cast<unsigned>(m_host_of_guest[number]);
    m_dirty[slot] = true;
    touch(slot);
}

const Xbyak::Reg32& BlockEmitter::destination(unsigned number)
{
    const Xbyak::Reg32& host = m_host_of_guest[number] >= 0 ? *m_cache_registers[m_host_of_guest[number]]
                                                            : allocate(number);
    unsigned slot = static_cast<unsigned>(m_host_of_guest[number]);
    m_dirty[slot] = true;
    touch(slot);
    return host;
}

void BlockEmitter::forget_cached_registers()
{
    for (unsigned slot = 0; slot < cache_size; ++slot) {
        if (m_cached_guest[slot] >= 0)
            m_host_of_guest[m_cached_guest[slot]] = -1;
        m_cached_guest[slot] = -1;
        m_dirty[slot] = false;
    }
}

void BlockEmitter::claim_r13()
{
    if (int guest = m_cached_guest[r13_slot]; guest >= 0) {
        if (m_dirty[r13_slot])
            mov(m_memory_operands[static_cast<unsigned>(guest)], r13d);
        m_host_of_guest[guest] = -1;
        m_cached_guest[r13_slot] = -1;
        m_dirty[r13_slot] = false;
    }
    m_r13_claimed = true;
}

void BlockEmitter::emit_helper_call(const GuestInstruction& instruction)
{
    write_back_dirty();
    synchronize_state(instruction);
    store_position();
    mov(rdi, r14);
    mov(esi, instruction.word);
    mov(edx, instruction.pc);
    mov(rax, reinterpret_cast<uint64_t>(helper_for(instruction.decoded.opcode)));
    call(rax);
    forget_cached_registers();
}

} // namespace isomorph::engines::jit
