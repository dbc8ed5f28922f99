#pragma once

// `isomorph run --engine jit --lockstep`: the translator checked against the reference
// interpreter block by block (docs/jit.md).
//
// For every translated block the engine runs, it
//   1. copies the CpuState;
//   2. runs the reference interpreter over exactly the block's instructions on the copy
//      (Interpreter::run_block), recording every store with the bytes it overwrote
//      (engines/store_journal.h);
//   3. reads what those stores left, and puts the overwritten bytes back;
//   4. runs the translated block once on the real CpuState, unchained (JitEngine::run_block);
//   5. compares the two exits (kind, pc, address, code, delay slot), the whole architectural
//      state (engines/lockstep/comparison.h) and every location the interpreter stored to.
// The translator's run is the one that counts: the guest goes on from its state. On the first
// difference the engine prints a report on stderr (the block's guest disassembly, every
// difference with both values) and ends the process with status 70.
//
// Where the translator would itself step the reference interpreter (a delay slot on its own, an
// uncacheable page, an unfetchable pc) or the block does not fit in the budget, the interpreter
// runs one instruction and there is nothing to compare.
//
// Threads: one lock serialises the steps of all guest threads, so that no other thread's guest
// store lands between a journal's capture and its roll-back. A thread in a system call does not
// hold it (a system call that writes guest memory while another thread runs a block could still
// make a location differ; the guest corpus does not do that to memory a block stores to).
// Fork: the step lock nests outside the address space's locks (a step's store into a watched
// code page takes the listener lock), so before_fork(), called with those held, cannot take it.
// The forking thread, in a system call, never holds it; the child replaces it with a new one.
#include "engines/engine.h"
#include "engines/interp/interpreter.h"
#include "engines/jit/jit_engine.h"
#include "engines/store_journal.h"

#include <memory>
#include <mutex>
#include <optional>
#include <sys/types.h>

namespace isomorph::engines {

class LockstepEngine final : public Engine {
public:
    explicit LockstepEngine(memory::AddressSpace& memory);
    ~LockstepEngine() override;

    cpu::Exit run(cpu::CpuState& cpu, uint64_t budget) override;
    void invalidate_code(uint32_t address, uint32_t length) override { m_translator.invalidate_code(address, length); }
    void before_fork() override;
    void after_fork() override;

    // With ISOMORPH_JIT_STATISTICS=1 the engine prints, when it ends, how many blocks and
    // instructions it compared and how many instructions the interpreter ran alone.
    uint64_t blocks_compared() const { return m_blocks_compared; }

    // The exit status of a process that diverged.
    static constexpr int divergence_status = 70;

private:
    // One block (or one interpreter step); an exit other than BudgetExhausted ends run().
    std::optional<cpu::Exit> step(cpu::CpuState& cpu, uint64_t budget);

    memory::AddressSpace& m_memory;
    JitEngine m_translator;
    Interpreter m_reference;
    // A pointer so that a forked child can leave the inherited one, perhaps held, behind.
    std::unique_ptr<std::mutex> m_step_lock = std::make_unique<std::mutex>();
    pid_t m_forking_process = 0;
    // Under m_step_lock:
    StoreJournal m_journal;
    uint64_t m_blocks_compared = 0;
    uint64_t m_instructions_compared = 0;
    uint64_t m_instructions_alone = 0;
    bool m_print_statistics = false;
};

} // namespace isomorph::engines
