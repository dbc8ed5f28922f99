#pragma once

#include "engines/engine.h"
#include "engines/threaded/code_cache.h"

namespace isomorph::engines {

// The second engine: a pre-decoded, direct-threaded interpreter (docs: ARCHITECTURE.md §2).
// Guest code is decoded a page at a time, the first time it runs, into arrays of decoded
// instructions (threaded/decoded.h) that the dispatch function (threaded/dispatch.cpp) runs
// with computed gotos. The instruction semantics are the reference interpreter's; the reference
// interpreter itself runs what the decoded code does not: a resumed delay slot, a branch whose
// delay slot lies in the next page, the last few instructions of a budget, pages that hold
// constantly rewritten code. After any exit the CpuState is exactly the reference's.
class ThreadedEngine final : public Engine {
public:
    explicit ThreadedEngine(memory::AddressSpace& memory);

    cpu::Exit run(cpu::CpuState& cpu, uint64_t budget) override;
    void invalidate_code(uint32_t address, uint32_t length) override;
    void before_fork() override { m_code_cache.before_fork(); }
    void after_fork() override { m_code_cache.after_fork(); }

    threaded::CodeCache& code_cache() { return m_code_cache; }
    // How many instructions the reference interpreter ran for this engine, over all threads.
    uint64_t instructions_run_by_reference() const { return m_code_cache.reference_instructions(); }

private:
    memory::AddressSpace& m_memory;
    threaded::CodeCache m_code_cache;
};

} // namespace isomorph::engines
