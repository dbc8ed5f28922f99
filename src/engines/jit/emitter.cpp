#include "engines/jit/block_emitter.h"

#include <cstring>

namespace isomorph::engines::jit {

void BlockEmitter::emit(const GuestBlock& guest, Block& block)
{
    uint32_t length = static_cast<uint32_t>(guest.instructions.size());
    Xbyak::Label budget_exhausted;
    block.entry = const_cast<uint8_t*>(getCurr());
    block.start = guest.start;
    block.end = guest.end_pc();
    block.length = length;

    // Entry: run only if the whole block fits in the budget, and say which block runs and what
    // the budget was when it started (for a fault or a helper in the block; the budget itself
    // lives in r12 while translated code runs).
    cmp(r12, length);
    jl(budget_exhausted, T_NEAR);
    mov(dword[r14 + offsets::block_start], guest.start);
    mov(qword[r14 + offsets::remaining], r12);
    mov(dword[rbx + offsets::pc], guest.start); // the first checkpoint
    if (m_runtime.instrument) {
        mov(rax, reinterpret_cast<uint64_t>(&block.executions));
        inc(qword[rax]);
    }
    m_length = length;

    size_t body = guest.end == BlockEnd::Branch ? length - 2 : length;
    for (size_t index = 0; index < body; ++index) {
        record_offset(block);
        emit_body_instruction(guest.instructions[index]);
    }
    if (guest.end == BlockEnd::Branch) {
        record_offset(block);
        emit_branch(guest.instructions[length - 2], guest.instructions[length - 1], block);
    } else {
        record_offset(block);
        write_back_dirty();
        count_block();
        emit_direct_exit(block, guest.end_pc());
    }

    const Xbyak::Reg64* caller_saved[] = {&rsi, &rdi, &r8, &r9, &r10, &r11};
    for (ColdPath& path : m_cold_paths) {
        L(path.label);
        if (path.resume)
            for (const Xbyak::Reg64* saved : caller_saved)
                push(*saved); // six: the stack stays 16-byte aligned
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

    if (m_restart_used) {
        L(m_restart);
        mov(rax, reinterpret_cast<uint64_t>(&restart_from_checkpoint));
        call(rax);
    }

    L(budget_exhausted);
    mov(rax, pc_pair(guest.start, guest.start + 4));
    mov(qword[rbx + offsets::pc], rax);
    mov(rax, reinterpret_cast<uint64_t>(m_runtime.budget_site));
    jmp(reinterpret_cast<const void*>(m_runtime.exit_to_dispatcher), T_NEAR);

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
    try {
        BlockEmitter emitter(buffer, capacity, runtime);
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
    BlockEmitter emitter(scratch, sizeof scratch, runtime);
    return emitter.emit_native(instruction) || (is_native(instruction.decoded.opcode) &&
                                                isa::info(instruction.decoded.opcode).has(isa::Branch));
}

} // namespace isomorph::engines::jit
