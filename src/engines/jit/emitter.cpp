#include "engines/jit/emitter.h"

#include "engines/jit/helpers.h"
#include "engines/jit/native_table.h"

#include <xbyak/xbyak.h>

#include <cstring>
#include <deque>
#include <vector>

namespace isomorph::engines::jit {

namespace {

using isa::Opcode;

uint64_t pc_pair(uint32_t pc, uint32_t next_pc) { return pc | (uint64_t{next_pc} << 32); }

// How the branch that ends a block decides where control goes after its delay slot.
enum class BranchKind : uint8_t {
    Static,      // J, JAL: always to a fixed target
    Conditional, // r13b holds whether the branch is taken
    Register,    // JR, JALR: r13d holds the destination
};

class BlockEmitter final : public Xbyak::CodeGenerator {
public:
    BlockEmitter(uint8_t* buffer, size_t capacity, const Runtime& runtime)
        : CodeGenerator(capacity, buffer), m_runtime(runtime)
    {
        for (unsigned number = 0; number < 32; ++number) {
            m_memory_operands.push_back(gpr(number));
            m_host_of_guest[number] = -1;
        }
    }

    void emit(const GuestBlock& guest, Block& block);
    bool emit_native(const GuestInstruction& instruction);

private:
    Xbyak::Address gpr(unsigned number) { return dword[rbx + offsets::gpr(number)]; }

    // Guest registers cached in host registers, written back lazily: a write only changes the
    // host register and marks it dirty. Dirty registers are stored to the CpuState at
    // checkpoints and before the block leaves; a host register is reused least recently used
    // first. The cache lives within one block and is forgotten after every helper call (helpers
    // may write guest registers and clobber host ones).
    //
    // Checkpoints. The CpuState is precise (registers written back, pc stored) at the block's
    // entry and before every instruction with an effect outside the cached registers: stores,
    // coprocessor 1 loads and stores, writes of HI and LO, helper calls, and the reuse of a host
    // register that holds a dirty guest register. Integer loads are not checkpoints: when one
    // faults (or is misaligned), the engine restarts the reference interpreter at the last
    // checkpoint, whose pc the CpuState holds, and it raises the exception exactly. Running again
    // from there is safe because nothing between a checkpoint and a load has an effect that
    // running it again would change (a store or HI write at the checkpoint itself gives the same
    // result again; after a helper call the checkpoint moves past it).
    const Xbyak::Operand& read(unsigned number);
    void write(unsigned number, const Xbyak::Reg32& value);
    void write(unsigned number, uint32_t value);
    void write_back_dirty();
    // Makes the CpuState precise before instruction (see above).
    void checkpoint(const GuestInstruction& instruction)
    {
        write_back_dirty();
        synchronize_state(instruction, StateNeeded::PcOnly);
    }
    // The host register for a new value of guest register number (not $0): its cached register,
    // or one allocated without loading it, marked dirty. Read the operands first.
    const Xbyak::Reg32& destination(unsigned number);
    // A nonzero guest register's cached host register, loaded if needed.
    const Xbyak::Reg32& source(unsigned number) { return static_cast<const Xbyak::Reg32&>(read(number)); }
    void forget_cached_registers();
    const Xbyak::Reg32& allocate(unsigned number);
    void touch(unsigned slot) { m_last_use[slot] = ++m_clock; }

    void emit_body_instruction(const GuestInstruction& instruction);
    void emit_branch(const GuestInstruction& branch, const GuestInstruction& slot, Block& block);
    bool emit_fused_branch(const GuestInstruction& branch, const GuestInstruction& slot, Block& block);
    void emit_helper_call(const GuestInstruction& instruction);
    enum class StateNeeded { Full, PcOnly };
    void synchronize_state(const GuestInstruction& instruction, StateNeeded needed = StateNeeded::Full);
    bool emit_load_store(const GuestInstruction& instruction);
    void emit_direct_exit(Block& block, uint32_t target);
    void emit_indirect_exit(Block& block);
    // The block ran to its end: take its length from the budget.
    void count_block() { sub(r12, m_length); }
    void record_offset(Block& block) { block.instruction_offsets.push_back(static_cast<uint32_t>(getSize())); }

    const Runtime& m_runtime;
    static constexpr unsigned cache_size = 7;
    const Xbyak::Reg32* m_cache_registers[cache_size] = {&esi, &edi, &r8d, &r9d, &r10d, &r11d, &ebp};
    int8_t m_cached_guest[cache_size] = {-1, -1, -1, -1, -1, -1, -1};
    int8_t m_host_of_guest[32];
    bool m_dirty[cache_size] = {};
    uint32_t m_last_use[cache_size] = {};
    uint32_t m_clock = 0;
    const GuestInstruction* m_current = nullptr; // the instruction being translated
    Xbyak::Label m_restart;                      // restarts the block's last checkpoint
    bool m_restart_used = false;
    std::vector<Xbyak::Address> m_memory_operands;
    // While the delay slot is emitted: how its next_pc is found, and whether its state was stored.
    bool m_in_delay_slot = false;
    bool m_delay_slot_flag_set = false;
    // The branch's link overwrites one of its operands: probing it again after a fault in the
    // slot would not be exact, so the slot stores the whole state.
    bool m_slot_needs_full_state = false;
    BranchKind m_branch_kind = BranchKind::Static;
    uint32_t m_branch_target = 0;
    uint32_t m_fall_through = 0;
    uint32_t m_native_count = 0;
    uint32_t m_length = 0;
    // Rarely taken paths, emitted after the block's exits: a helper call that raises, or one that
    // runs the whole instruction and resumes (keeping the cached host registers).
    struct ColdPath {
        GuestInstruction instruction;
        Xbyak::Label label;
        Xbyak::Label* resume = nullptr;
    };
    bool emit_coprocessor1_load_store(const GuestInstruction& instruction);
    bool emit_fpu_arithmetic(const GuestInstruction& instruction);
    std::deque<ColdPath> m_cold_paths;
    std::deque<Xbyak::Label> m_resume_labels;
};

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
    // A free host register, else the least recently used one (written back if dirty).
    unsigned slot = 0;
    for (unsigned candidate = 0; candidate < cache_size; ++candidate) {
        if (m_cached_guest[candidate] < 0) {
            slot = candidate;
            break;
        }
        if (m_last_use[candidate] < m_last_use[slot])
            slot = candidate;
    }
    if (int victim = m_cached_guest[slot]; victim >= 0) {
        if (m_dirty[slot]) {
            // Storing one dirty register makes a checkpoint of the instruction being translated
            // (none of its effects has happened yet): store them all and its pc. Only pc, and
            // with moves alone: this may come between a comparison and the flags' use.
            write_back_dirty();
            mov(dword[rbx + offsets::pc], m_current->pc);
        }
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

void BlockEmitter::emit_helper_call(const GuestInstruction& instruction)
{
    write_back_dirty();
    synchronize_state(instruction);
    mov(rdi, r14);
    mov(esi, instruction.word);
    mov(edx, instruction.pc);
    mov(rax, reinterpret_cast<uint64_t>(helper_for(instruction.decoded.opcode)));
    call(rax);
    forget_cached_registers();
    // The helper's effects are in the CpuState: the next instruction is the checkpoint now, so
    // that a restart never runs the helper twice (MADD, SC are not idempotent). After a branch
    // that is its delay slot, whose delay-slot state the engine completes; a delay slot is the
    // block's last instruction.
    if (!m_in_delay_slot)
        mov(dword[rbx + offsets::pc], instruction.pc + 4);
}

bool BlockEmitter::emit_load_store(const GuestInstruction& instruction)
{
    const isa::Operands& o = instruction.decoded.operands;
    unsigned size = 4;
    switch (instruction.decoded.opcode) {
    case Opcode::LB: case Opcode::LBU: case Opcode::SB: size = 1; break;
    case Opcode::LH: case Opcode::LHU: case Opcode::SH: size = 2; break;
    case Opcode::LW: case Opcode::SW: size = 4; break;
    default: return false;
    }
    bool store = isa::info(instruction.decoded.opcode).has(isa::Store);
    if (store)
        checkpoint(instruction);
    if (o.rs != 0) {
        lea(eax, ptr[source(o.rs).cvt64() + o.imm]); // the 32-bit result wraps as the guest's
    } else {
        mov(eax, static_cast<uint32_t>(o.imm));
    }
    if (size > 1) {
        // A misaligned access: out of line, the reference interpreter raises the address error,
        // from the store's checkpoint or the load's last one.
        test(al, size - 1);
        if (store) {
            m_cold_paths.push_back(ColdPath{instruction, Xbyak::Label()});
            jnz(m_cold_paths.back().label, T_NEAR);
        } else {
            jnz(m_restart, T_NEAR);
            m_restart_used = true;
        }
    }
    if (store) {
        const Xbyak::Reg32& value = o.rt != 0 ? source(o.rt) : ecx;
        if (o.rt == 0)
            xor_(ecx, ecx);
        switch (instruction.decoded.opcode) {
        case Opcode::SB: mov(byte[r15 + rax], value.cvt8()); break;
        case Opcode::SH: mov(word[r15 + rax], value.cvt16()); break;
        default: mov(dword[r15 + rax], value); break; // SW
        }
        return true;
    }
    // Straight into rt's host register (a load into $0 still happens, for its fault).
    const Xbyak::Reg32& result = o.rt != 0 ? destination(o.rt) : ecx;
    switch (instruction.decoded.opcode) {
    case Opcode::LB: movsx(result, byte[r15 + rax]); break;
    case Opcode::LBU: movzx(result, byte[r15 + rax]); break;
    case Opcode::LH: movsx(result, word[r15 + rax]); break;
    case Opcode::LHU: movzx(result, word[r15 + rax]); break;
    default: mov(result, dword[r15 + rax]); break; // LW
    }
    return true;
}

// lwc1, swc1, ldc1, sdc1 ft, offset(base). The helper runs them when coprocessor 1 is unusable or
// the address is misaligned (both raise). A doubleword is a whole 64-bit register with FR = 1 and
// spans the low words of an even/odd register pair with FR = 0; Status.FR is tested at run time.
bool BlockEmitter::emit_coprocessor1_load_store(const GuestInstruction& instruction)
{
    const isa::Operands& o = instruction.decoded.operands;
    Opcode opcode = instruction.decoded.opcode;
    bool doubleword = opcode == Opcode::LDC1 || opcode == Opcode::SDC1;
    auto fpr_low_word = [&](unsigned number) { return dword[rbx + offsets::fpr(number)]; };
    checkpoint(instruction); // it writes a floating-point register or memory, and may fault
    mov(eax, read(o.rs));
    if (o.imm != 0)
        add(eax, o.imm);
    m_cold_paths.push_back(ColdPath{instruction, Xbyak::Label()});
    Xbyak::Label& slow = m_cold_paths.back().label;
    cmp(byte[rbx + offsets::fpu_enabled], 0);
    je(slow, T_NEAR);
    test(al, doubleword ? 7 : 3);
    jnz(slow, T_NEAR);
    Xbyak::Label pair_layout, done;
    if (doubleword) {
        cmp(byte[rbx + offsets::fpu_fr], 0);
        je(pair_layout, T_NEAR);
        if (opcode == Opcode::LDC1) {
            mov(rcx, qword[r15 + rax]);
            mov(qword[rbx + offsets::fpr(o.rt)], rcx);
        } else {
            mov(rcx, qword[rbx + offsets::fpr(o.rt)]);
            mov(qword[r15 + rax], rcx);
        }
        jmp(done, T_NEAR);
        L(pair_layout);
    }
    switch (opcode) {
    case Opcode::LWC1:
        mov(ecx, dword[r15 + rax]);
        mov(fpr_low_word(o.rt), ecx);
        break;
    case Opcode::SWC1:
        mov(ecx, fpr_low_word(o.rt));
        mov(dword[r15 + rax], ecx);
        break;
    case Opcode::LDC1:
        mov(ecx, dword[r15 + rax]);
        mov(edx, dword[r15 + rax + 4]);
        mov(fpr_low_word(o.rt & ~1u), ecx);
        mov(fpr_low_word(o.rt | 1u), edx);
        break;
    default: // SDC1
        mov(ecx, fpr_low_word(o.rt & ~1u));
        mov(dword[r15 + rax], ecx);
        mov(ecx, fpr_low_word(o.rt | 1u));
        mov(dword[r15 + rax + 4], ecx);
        break;
    }
    L(done);
    return true;
}

// add, sub, mul, div .s and .d fd, fs, ft. The host computes the result under the guest's mode
// (engines run with the guest's MXCSR: cpu/fpu_arithmetic.h). The fast path takes the common
// case only: FR = 1, FCSR with round to nearest, no flush to zero and no Inexact trap, MXCSR in
// exactly that mode with no flag set, and a result that is not a NaN and raised nothing or only
// Inexact; FCSR.Cause (and Flags) then get what the shared semantics would give them. Anything
// else runs the helper, which computes the instruction again from its untouched operands.
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
    stmxcsr(dword[r14 + offsets::mxcsr]);
    cmp(dword[r14 + offsets::mxcsr], guest_mode);
    jne(slow, T_NEAR);
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
    // Either way its effects are in the CpuState: the checkpoint moves past it.
    if (!m_in_delay_slot)
        mov(dword[rbx + offsets::pc], instruction.pc + 4);
    return true;
}

// The native fast paths of the rows in native_table.h, except branches (emit_branch). Returns
// false for an instruction to be run by its helper.
bool BlockEmitter::emit_native(const GuestInstruction& instruction)
{
    const isa::Operands& o = instruction.decoded.operands;
    Opcode opcode = instruction.decoded.opcode;
    if (!is_native(opcode) || isa::info(opcode).has(isa::Branch))
        return false;
    if (opcode == Opcode::LWC1 || opcode == Opcode::SWC1 || opcode == Opcode::LDC1 || opcode == Opcode::SDC1)
        return emit_coprocessor1_load_store(instruction);
    if (is_fpu_arithmetic(opcode))
        return emit_fpu_arithmetic(instruction);
    if (isa::info(opcode).has(isa::Load) || isa::info(opcode).has(isa::Store))
        return emit_load_store(instruction);

    // Three-register and shift forms write rd; immediate forms write rt.
    auto three_register = [&](auto operation) {
        if (o.rd == 0)
            return;
        // move rd, rs (addu, or, xor or subu with $0): a copy.
        bool identity_with_zero = opcode == Opcode::ADDU || opcode == Opcode::OR || opcode == Opcode::XOR ||
                                  opcode == Opcode::SUBU;
        if (identity_with_zero && o.rt == 0) {
            mov(eax, read(o.rs));
            write(o.rd, eax);
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
        checkpoint(instruction); // HI and LO live in the CpuState
        mov(eax, read(o.rs));
        mov(dword[rbx + (opcode == Opcode::MTHI ? offsets::hi : offsets::lo)], eax);
        return true;
    // mult rs, rt; multu rs, rt: (HI, LO) = rs * rt
    case Opcode::MULT:
    case Opcode::MULTU:
        checkpoint(instruction); // HI and LO live in the CpuState
        mov(eax, read(o.rs));
        if (opcode == Opcode::MULT)
            imul(read(o.rt));
        else
            mul(read(o.rt));
        mov(dword[rbx + offsets::lo], eax);
        mov(dword[rbx + offsets::hi], edx);
        return true;
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
    // sync stype; pref hint, offset(base): no visible effect
    case Opcode::SYNC:
    case Opcode::PREF: return true;
    default: return false;
    }
}

void BlockEmitter::emit_body_instruction(const GuestInstruction& instruction)
{
    m_current = &instruction;
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

void BlockEmitter::emit_direct_exit(Block& block, uint32_t target)
{
    auto site = std::make_unique<ExitSite>();
    site->kind = ExitSite::Kind::Direct;
    site->target = target;
    site->owner = &block;
    align(ExitSite::patch_alignment);
    site->patch = const_cast<uint8_t*>(getCurr());
    // The first instruction is at least patch_size bytes long, so a chained jump replaces it whole.
    mov(rax, pc_pair(target, target + 4));
    mov(qword[rbx + offsets::pc], rax);
    mov(rax, reinterpret_cast<uint64_t>(site.get()));
    jmp(reinterpret_cast<const void*>(m_runtime.exit_to_dispatcher), T_NEAR);
    block.exits.push_back(std::move(site));
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

// A conditional branch whose delay slot can neither raise nor change the registers it compares
// runs its slot first and then compares and jumps directly, without keeping the outcome in r13.
bool BlockEmitter::emit_fused_branch(const GuestInstruction& branch, const GuestInstruction& slot, Block& block)
{
    const isa::Operands& o = branch.decoded.operands;
    Opcode opcode = branch.decoded.opcode;
    bool compares_two = opcode == Opcode::BEQ || opcode == Opcode::BNE;
    bool compares_zero = opcode == Opcode::BLEZ || opcode == Opcode::BGTZ || opcode == Opcode::BLTZ ||
                         opcode == Opcode::BGEZ;
    if (!compares_two && !compares_zero)
        return false;
    Opcode slot_opcode = slot.decoded.opcode;
    const isa::InstructionInfo& slot_info = isa::info(slot_opcode);
    // A native load or store may fault; the engine then probes the branch again, which finds the
    // same outcome because nothing has changed its operands yet.
    if (!is_native(slot_opcode) || slot_opcode == Opcode::EXT || slot_info.has(isa::Branch) ||
        is_fpu_arithmetic(slot_opcode))
        return false; // (floating-point arithmetic may call its helper, which needs r13)
    // Conservatively, an instruction may write the registers named by its rd and rt fields.
    const isa::Operands& s = slot.decoded.operands;
    auto written = [&](unsigned number) { return number != 0 && (s.rd == number || s.rt == number); };
    if (written(o.rs) || (compares_two && written(o.rt)))
        return false;

    record_offset(block);
    m_in_delay_slot = true;
    emit_body_instruction(slot);
    m_in_delay_slot = false;
    record_offset(block);
    write_back_dirty();
    count_block();
    Xbyak::Label not_taken;
    if (compares_two) {
        if (o.rt == 0) {
            cmp(read(o.rs), 0);
        } else {
            const Xbyak::Operand& left = read(o.rs);
            cmp(left, read(o.rt)); // reading rt cannot evict rs, the most recently used
        }
    } else {
        cmp(read(o.rs), 0);
    }
    switch (opcode) {
    case Opcode::BEQ: jne(not_taken, T_NEAR); break;
    case Opcode::BNE: je(not_taken, T_NEAR); break;
    case Opcode::BLEZ: jg(not_taken, T_NEAR); break;
    case Opcode::BGTZ: jle(not_taken, T_NEAR); break;
    case Opcode::BLTZ: jge(not_taken, T_NEAR); break;
    default: jl(not_taken, T_NEAR); break; // BGEZ
    }
    ++m_native_count;
    emit_direct_exit(block, m_branch_target);
    L(not_taken);
    emit_direct_exit(block, m_fall_through);
    return true;
}

void BlockEmitter::emit_branch(const GuestInstruction& branch, const GuestInstruction& slot, Block& block)
{
    const isa::Operands& o = branch.decoded.operands;
    Opcode opcode = branch.decoded.opcode;
    const isa::InstructionInfo& info = isa::info(opcode);
    uint32_t link = branch.pc + 8;
    m_current = &branch; // what an eviction before the delay slot makes a checkpoint of
    m_fall_through = branch.pc + 8;
    m_branch_target = branch.pc + 4 + (static_cast<uint32_t>(o.imm) << 2);
    m_branch_kind = BranchKind::Conditional;
    Xbyak::Label nullified;
    if (info.has(isa::Link)) {
        unsigned link_register = (opcode == Opcode::JALR || opcode == Opcode::JALR_HB) ? o.rd : 31;
        m_slot_needs_full_state = link_register != 0 && (link_register == o.rs || link_register == o.rt);
    }
    if (emit_fused_branch(branch, slot, block))
        return;

    auto compare_registers = [&](bool equal) {
        if (o.rt == 0) {
            cmp(read(o.rs), 0);
        } else {
            const Xbyak::Operand& left = read(o.rs);
            cmp(left, read(o.rt)); // reading rt cannot evict rs, the most recently used
        }
        if (equal)
            sete(r13b);
        else
            setne(r13b);
    };
    auto compare_with_zero = [&](auto set) {
        cmp(read(o.rs), 0);
        set(r13b);
    };
    using Set = const Xbyak::Reg8&;
    switch (opcode) {
    // beq rs, rt, offset; bne rs, rt, offset (and the likely forms)
    case Opcode::BEQ: case Opcode::BEQL: compare_registers(true); break;
    case Opcode::BNE: case Opcode::BNEL: compare_registers(false); break;
    // blez rs, offset; bgtz; bltz; bgez (and the likely and linking forms)
    case Opcode::BLEZ: case Opcode::BLEZL: compare_with_zero([&](Set r) { setle(r); }); break;
    case Opcode::BGTZ: case Opcode::BGTZL: compare_with_zero([&](Set r) { setg(r); }); break;
    case Opcode::BLTZ: case Opcode::BLTZL: case Opcode::BLTZAL: case Opcode::BLTZALL:
        compare_with_zero([&](Set r) { setl(r); });
        break;
    case Opcode::BGEZ: case Opcode::BGEZL: case Opcode::BGEZAL: case Opcode::BGEZALL:
        compare_with_zero([&](Set r) { setge(r); });
        break;
    // j target; jal target
    case Opcode::J: case Opcode::JAL:
        m_branch_kind = BranchKind::Static;
        m_branch_target = ((branch.pc + 4) & 0xF0000000) | (o.jump_index() << 2);
        break;
    // jr rs; jalr rd, rs: the destination is read before the link is written
    case Opcode::JR: case Opcode::JR_HB: case Opcode::JALR: case Opcode::JALR_HB:
        m_branch_kind = BranchKind::Register;
        mov(r13d, read(o.rs));
        break;
    default: {
        // A branch without a fast path: its helper reports the outcome.
        emit_helper_call(branch);
        if (info.has(isa::Likely)) {
            cmp(eax, static_cast<uint32_t>(BranchOutcome::Nullified));
            je(nullified, T_NEAR);
        }
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
    // What the path that skips the delay slot stores: the registers dirty now (the link among
    // them). Storing them here would make the CpuState newer than the last checkpoint.
    std::vector<std::pair<unsigned, const Xbyak::Reg32*>> dirty_when_nullified;
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
    write_back_dirty();
    count_block();
    switch (m_branch_kind) {
    case BranchKind::Static: emit_direct_exit(block, m_branch_target); break;
    case BranchKind::Register: emit_indirect_exit(block); break;
    case BranchKind::Conditional: {
        Xbyak::Label not_taken;
        test(r13b, r13b);
        jz(not_taken, T_NEAR);
        emit_direct_exit(block, m_branch_target);
        L(not_taken);
        emit_direct_exit(block, m_fall_through);
        break;
    }
    }
    if (info.has(isa::Likely)) {
        // A branch-likely that falls through skips its delay slot, which the block counted.
        L(nullified);
        for (auto& [guest, host] : dirty_when_nullified)
            mov(m_memory_operands[guest], *host);
        sub(r12, m_length - 1);
        emit_direct_exit(block, m_fall_through);
    }
}

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
