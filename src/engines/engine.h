#pragma once

#include "cpu/exit.h"
#include "cpu/state.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace isomorph::memory {
class AddressSpace;
}

namespace isomorph::engines {

enum class EngineKind { Interpreter, Threaded, Jit };

std::string_view name(EngineKind kind);
std::optional<EngineKind> engine_from_name(std::string_view name);

// An engine executes guest instructions on one CpuState until something needs the environment.
// It never knows whether it runs a Linux process or a board.
class Engine {
public:
    virtual ~Engine() = default;

    // Runs at most budget instructions. On return the state is precise: for an exception, pc is
    // the instruction that raised it (delay_slot tells whether it sits in a delay slot) and
    // next_pc the instruction that would have followed it.
    virtual cpu::Exit run(cpu::CpuState& cpu, uint64_t budget) = 0;

    // Guest code in [address, address + length) may have changed.
    virtual void invalidate_code(uint32_t address, uint32_t length) = 0;

    // `isomorph run --instruction-counts PATH`: count executed instructions per table row and
    // write them as "NAME COUNT" lines to path when write_instruction_counts() is called (at the
    // process's end). Returns false when the engine cannot count. Off unless asked for.
    virtual bool count_instructions(std::string) { return false; }
    virtual void write_instruction_counts() {}

    // Around a host fork while other guest threads may run: before_fork() takes every lock of the
    // engine's that another thread may hold, so that the child, where only the forking thread
    // goes on, inherits none of them held; after_fork() releases them, in parent and child. The
    // Linux process calls them between the address space's listener lock and its code lock
    // (memory::AddressSpace::lock_for_fork).
    virtual void before_fork() {}
    virtual void after_fork() {}
};

// Lockstep::On (`isomorph run --engine jit --lockstep`) checks the translator block by block
// against the reference interpreter (engines/lockstep/lockstep_engine.h); only for
// EngineKind::Jit, for which it returns a LockstepEngine.
enum class Lockstep : bool { Off, On };

std::unique_ptr<Engine> make_engine(EngineKind kind, memory::AddressSpace& memory, Lockstep lockstep = Lockstep::Off);

} // namespace isomorph::engines
