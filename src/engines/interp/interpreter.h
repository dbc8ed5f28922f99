#pragma once

#include "engines/engine.h"

namespace isomorph::engines {

// The reference engine: fetch, decode, switch on the opcode, run the instruction's semantics.
// Clear rather than clever; every other engine is checked against it.
class Interpreter final : public Engine {
public:
    explicit Interpreter(memory::AddressSpace& memory) : m_memory(memory) {}

    cpu::Exit run(cpu::CpuState& cpu, uint64_t budget) override;
    void invalidate_code(uint32_t, uint32_t) override {}

private:
    memory::AddressSpace& m_memory;
    cpu::Exit m_exit;
};

} // namespace isomorph::engines
