#pragma once

// The emitter of one block, shared by the files that implement it (an internal header of the
// backend; emitter.h is its interface):
//
//   emitter.cpp          the block's structure (entry, body, cold paths), trampolines
//   register_cache.cpp   guest registers cached in host registers, checkpoints, helper calls
//   emit_integer.cpp     native integer instructions
//   emit_memory.cpp      loads and stores, integer and coprocessor 1
//   emit_fpu.cpp         floating-point arithmetic
//   emit_branches.cpp    branches, their delay slots and the block's exits

#include "engines/jit/emitter.h"
#include "engines/jit/helpers.h"
#include "engines/jit/native_table.h"

#include <xbyak/xbyak.h>

#include <array>
#include <deque>
#include <vector>

namespace isomorph::engines::jit {

using isa::Opcode;

// FCSR's modes the inline floating-point arithmetic handles only in their common setting (zero):
// the rounding mode (to nearest), flush to zero and the Inexact trap.
inline constexpr uint32_t fcsr_uncommon_modes =
    cpu::fcsr::rounding_mask | (cpu::fpu::Inexact << cpu::fcsr::enables_shift) | cpu::fcsr::flush_to_zero;

// The guest registers an instruction reads and the one it writes (zero if none), from its assembly
// syntax: an estimate, which only chooses what the register cache keeps (never correctness).
struct RegisterUse {
    unsigned reads[3] = {};
    unsigned read_count = 0;
    unsigned written = 0;
};
RegisterUse register_use(const GuestInstruction& instruction);

// Guest registers newer in host registers than in the CpuState: guest number and host register.
using DirtyRegisters = std::vector<std::pair<unsigned, const Xbyak::Reg32*>>;

inline uint64_t pc_pair(uint32_t pc, uint32_t next_pc) { return pc | (uint64_t{next_pc} << 32); }

// How the branch that ends a block decides where control goes after its delay slot.
enum class BranchKind : uint8_t {
    Static,      // J, JAL: always to a fixed target
    Conditional, // r13b holds whether the branch is taken
    Register,    // JR, JALR: r13d holds the destination
};

// What the emitter knows of the block being translated; BlockEmitter::start resets it to these
// values. (The emitter itself lives on, one per translating thread: constructing an Xbyak code
// generator costs more than translating a short block.)
struct BlockState {
    static constexpr unsigned cache_size = 8;
    // The last slot's host register, r13, also carries a branch's outcome or a register jump's
    // destination across its delay slot (context.h): claim_r13() takes it from the cache.
    static constexpr unsigned r13_slot = cache_size - 1;
    template <size_t size> static constexpr std::array<int8_t, size> filled(int8_t value)
    {
        std::array<int8_t, size> array{};
        array.fill(value);
        return array;
    }

    Runtime m_runtime;
    // The entry's way out when the block does not fit in the budget (it adds the block's length
    // back), and the same without that addition.
    Xbyak::Label m_budget_exhausted;
    Xbyak::Label m_left_unrun;
    bool m_self_loop = false;
    Xbyak::Label m_loop_head;
    // The host register of each guest register cached at the loop head (slot i holds the i-th).
    std::vector<unsigned> m_loop_registers;
    // Those of them the block writes, as a mask of guest registers: dirty at the loop head.
    uint32_t m_loop_kept = 0;
    uint32_t m_block_start = 0;
    std::array<int8_t, cache_size> m_cached_guest = filled<cache_size>(-1);
    std::array<int8_t, 32> m_host_of_guest = filled<32>(-1);
    bool m_dirty[cache_size] = {};
    // r13 carries a branch's outcome now: the cache does not use its slot.
    bool m_r13_claimed = false;
    uint32_t m_last_use[cache_size] = {};
    uint32_t m_clock = 0;
    uint32_t m_instruction_clock = 0;
    // The guest registers each instruction of the block reads, as bit masks.
    std::vector<uint32_t> m_reads;
    const GuestInstruction* m_current = nullptr; // the instruction being translated
    const GuestInstruction* m_first = nullptr;   // the block's first instruction
    Block* m_block = nullptr;                    // the block being emitted
    // While the delay slot is emitted: how its next_pc is found, and whether its state was stored.
    bool m_in_delay_slot = false;
    bool m_delay_slot_flag_set = false;
    // The branch's link overwrites one of its operands: probing it again after a fault in the
    // slot would not be exact, so the slot stores the whole state.
    bool m_slot_needs_full_state = false;
    BranchKind m_branch_kind = BranchKind::Static;
    // Where a basic block that counts down to a superblock counts which way its branch went, or
    // null (frontend.h: BranchProfile).
    BranchCounts* m_branch_counts = nullptr;
    uint32_t m_branch_target = 0;
    uint32_t m_fall_through = 0;
    uint32_t m_native_count = 0;
    uint32_t m_length = 0;
    Xbyak::Label m_raise_misaligned;
    // What the block's entry tested of the FPU's mode (FpuMode::Common): Status.CU1 and FR, which
    // its coprocessor 1 instructions then take as given; and FCSR's modes, which its
    // floating-point arithmetic then does too (not when the block has a CTC1, which may change them).
    bool m_fpu_status_known = false;
    bool m_fcsr_modes_known = false;
};

// The paths emitted after a block's exits, one list of each kind; BlockEmitter::start empties
// them (keeping their memory: they are filled again for every block).
struct OutOfLinePaths {
    // Rarely taken paths: a helper call that raises, or one that runs the whole instruction and
    // resumes (keeping the cached host registers).
    struct ColdPath {
        GuestInstruction instruction;
        Xbyak::Label label;
        Xbyak::Label* resume = nullptr;
        // Makes the state precise itself before the call, where the block did not: stores these
        // dirty registers (they stay dirty in the block) and pc.
        bool stores_state = false;
        DirtyRegisters dirty;
    };
    // The misaligned cases of native accesses: each jumps to the block's shared path with the
    // index of its fault site.
    struct MisalignedPath {
        Xbyak::Label label;
        uint32_t site = 0;
    };
    // The side exits of conditional branches the block goes on past.
    struct SideExit {
        Xbyak::Label label;
        uint32_t target = 0;
        uint32_t executed = 0;
        DirtyRegisters dirty;
    };
    // A self-loop's back edge when the next turn does not fit in the budget: it stores the
    // registers the back edge keeps dirty and leaves unrun at the block's start.
    struct ShortBackEdge {
        Xbyak::Label label;
        DirtyRegisters dirty;
    };
    std::deque<ColdPath> m_cold_paths;
    std::deque<Xbyak::Label> m_resume_labels;
    std::deque<MisalignedPath> m_misaligned_paths;
    std::deque<SideExit> m_side_exits;
    std::deque<ShortBackEdge> m_short_back_edges;
    std::vector<FaultSite> m_fault_sites; // copied to the block at its end

    void clear_paths()
    {
        m_fault_sites.clear();
        m_cold_paths.clear();
        m_resume_labels.clear();
        m_misaligned_paths.clear();
        m_side_exits.clear();
        m_short_back_edges.clear();
    }
};

class BlockEmitter final : public Xbyak::CodeGenerator, private BlockState, private OutOfLinePaths {
public:
    // A user buffer of no size until start() gives it the block's (Xbyak then never frees it).
    BlockEmitter() : CodeGenerator(0, s_no_buffer)
    {
        for (unsigned number = 0; number < 32; ++number)
            m_memory_operands.push_back(gpr(number));
    }

    // Starts a block at buffer (at most capacity bytes), forgetting everything of the last one.
    void start(uint8_t* buffer, size_t capacity, const Runtime& runtime)
    {
        reset(); // the code generator's size and labels: it clears every label it defined
        top_ = buffer;
        maxSize_ = capacity;
        // A label jumped to but never defined (the last block ran out of room) still has its id.
        for (Xbyak::Label* label : {&m_budget_exhausted, &m_left_unrun, &m_loop_head, &m_raise_misaligned})
            label->clear();
        clear_paths();
        static_cast<BlockState&>(*this) = BlockState{};
        m_runtime = runtime;
    }
    void emit(const GuestBlock& guest, Block& block);
    // Emits instruction alone into block, natively if it can (emits_natively).
    bool emit_alone(const GuestInstruction& instruction, Block& block)
    {
        m_block = &block;
        begin_instruction(instruction);
        return emit_native(instruction);
    }

private:
    bool emit_native(const GuestInstruction& instruction);
    static inline uint8_t s_no_buffer[1] = {};
    Xbyak::Address gpr(unsigned number) { return dword[rbx + offsets::gpr(number)]; }
    const Xbyak::Reg32* m_cache_registers[cache_size] = {&esi, &edi, &r8d, &r9d, &r10d, &r11d, &ebp, &r13d};
    std::vector<Xbyak::Address> m_memory_operands;

    // Guest registers cached in host registers, written back lazily: a write only changes the
    // host register and marks it dirty. Dirty registers are stored to the CpuState before a
    // helper call, when their host register is reused (least recently used first) and before the
    // block leaves. The cache lives within one block and is forgotten after every helper call
    // (helpers may write guest registers and clobber host ones).
    //
    // Precise state. A native access records a fault site: its host offset, its guest pc and
    // which host registers hold newer values than the CpuState (Block::fault_sites). When the
    // access faults, the engine stores those registers from the fault's host registers and sets
    // pc, and the reference interpreter runs the instruction again and raises exactly; a
    // misaligned access stores them itself on its cold path and calls the instruction's helper.
    // Everything else that may raise (helpers, coprocessor 1 accesses, partial-word stores) runs
    // with the CpuState made precise first (checkpoint()).
    const Xbyak::Operand& read(unsigned number);
    void write(unsigned number, const Xbyak::Reg32& value);
    void write(unsigned number, uint32_t value);
    void write_back_dirty();
    // The dirty registers: guest number and host register.
    DirtyRegisters dirty_registers() const;
    // Stores registers (dirty ones taken earlier) to the CpuState, leaving the cache as it is:
    // for a path that leaves the block or calls a helper from a state other than the current one.
    void store_registers(const DirtyRegisters& registers)
    {
        for (auto [guest_register, host] : registers)
            mov(m_memory_operands[guest_register], *host);
    }
    // Records the access emitted next as a fault site of the instruction being translated (the
    // registers dirty now, but for guest register except); returns its index.
    uint32_t record_fault_site(int except = -1);
    // A cold path for a native access that raises (misaligned, or coprocessor 1 unusable): it
    // saves the register cache and calls raise_misaligned with a fault site of the state here,
    // which runs the instruction's helper. Jumped to when the flags say not zero (after a test of
    // the address's low bits), or zero with when_zero.
    void jump_if_misaligned(bool when_zero = false);
    void emit_misaligned_paths();
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
    // Before r13 carries a branch's outcome or destination: stores the guest register cached in
    // it if dirty, and keeps the cache out of it until release_r13().
    void claim_r13();
    void release_r13() { m_r13_claimed = false; }
    const Xbyak::Reg32& allocate(unsigned number);
    void touch(unsigned slot) { m_last_use[slot] = ++m_clock; }
    // Starts the translation of an instruction: what evictions make a checkpoint of, and from
    // when the host registers it reads are kept from eviction.
    void begin_instruction(const GuestInstruction& instruction)
    {
        m_current = &instruction;
        m_instruction_clock = m_clock;
    }
    // How many instructions ahead the block reads guest register number again (into the next
    // iteration of a self-loop); unread_distance if it does not.
    static constexpr unsigned unread_distance = 1u << 16;
    unsigned next_read_distance(unsigned number) const;

    void emit_body_instruction(const GuestInstruction& instruction);
    void emit_branch(const GuestInstruction& branch, const GuestInstruction& slot, Block& block);
    bool emit_fused_branch(const GuestInstruction& branch, const GuestInstruction& slot, Block& block);
    void emit_helper_call(const GuestInstruction& instruction);
    enum class StateNeeded { Full, PcOnly };
    void synchronize_state(const GuestInstruction& instruction, StateNeeded needed = StateNeeded::Full);
    // The guest address base + offset of a load or store, wrapping at 32 bits as the guest's does:
    // in rax, or, without an offset and if may_use_base, the base's own host register (cached
    // registers hold zero-extended 32-bit values), which saves the lea.
    Xbyak::Reg64 guest_address(const isa::Operands& o, bool may_use_base);
    bool emit_load_store(const GuestInstruction& instruction);
    bool emit_partial_word(const GuestInstruction& instruction);
    // A direct exit to target; back_edge: a self-loop's exit to its start is its back edge.
    void emit_direct_exit(Block& block, uint32_t target, bool back_edge = true);
    void emit_condition(const GuestInstruction& branch);
    bool runs_slot_first(const GuestInstruction& branch, const GuestInstruction& slot) const;
    void compare_operands(const GuestInstruction& branch);
    void jump_when(const GuestInstruction& branch, bool taken, Xbyak::Label& label);
    // executed: the instructions the block has run when it leaves by the side exit.
    void emit_side_exit(const GuestInstruction& branch, const GuestInstruction& slot, Block& block, uint32_t executed,
                        bool continues_at_target);
    void count_branch(bool taken);
    // The side exits' paths, and the self-loop's back edge's when the budget runs short.
    void emit_side_exits(Block& block);
    // Loops. A block whose branch goes back to its own start (a self-loop) runs again without
    // leaving: its back edge checks the budget (the registers are written back already), loads
    // the loop's registers into the host registers where the loop head expects them and jumps
    // past the block's entry. The jump is the back edge's exit stub chained to the loop head, so
    // invalidating the block undoes it like any chain.
    void enter_loop(const GuestBlock& guest);
    // Whether host register slot holds a loop register the back edge keeps dirty (enter_loop).
    bool kept_by_back_edge(unsigned slot) const;
    // Before a block's last branch: stores the dirty registers, but in a self-loop those the back
    // edge keeps; the exits that leave the loop store them (write_back_dirty).
    void write_back_before_branch();
    void emit_back_edge();
    void emit_indirect_exit(Block& block);
    // Tells a helper which block runs and the budget at its entry (r12 holds it less the block's
    // length): JitContext::block and remaining.
    void store_position()
    {
        mov(rax, reinterpret_cast<uint64_t>(m_block));
        mov(qword[r14 + offsets::block], rax);
        lea(rax, ptr[r12 + m_length]);
        mov(qword[r14 + offsets::remaining], rax);
    }
    void record_offset(Block& block) { block.instruction_offsets.push_back(static_cast<uint32_t>(getSize())); }

    bool emit_coprocessor1_load_store(const GuestInstruction& instruction);
    bool emit_fpu_arithmetic(const GuestInstruction& instruction);
    // For a block in FpuMode::Common whose native instructions read the FPU's mode: tests the
    // common mode at the entry, jumping to other_mode if the FPU is in another.
    void test_fpu_mode(const GuestBlock& guest, Xbyak::Label& other_mode);
};

} // namespace isomorph::engines::jit
