#include "engines/lockstep/lockstep_engine.h"

#include "engines/lockstep/comparison.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <unistd.h>
#include <vector>

namespace isomorph::engines {

using cpu::ExitKind;

LockstepEngine::LockstepEngine(memory::AddressSpace& memory)
    : m_memory(memory), m_translator(memory), m_reference(memory), m_journal(memory)
{
    // Every block the reference interpreter is compared with is the one the translator runs;
    // superblocks are translated at once unless ISOMORPH_JIT_HOT_THRESHOLD asks for the tiers
    // (JitEngine::block_at replaces a hot basic block before it runs again).
    if (const char* threshold = std::getenv("ISOMORPH_JIT_HOT_THRESHOLD"); !threshold || !*threshold)
        m_translator.translate_superblocks_at_once();
    const char* statistics = std::getenv("ISOMORPH_JIT_STATISTICS");
    m_print_statistics = statistics && *statistics && std::strcmp(statistics, "0") != 0;
}

LockstepEngine::~LockstepEngine()
{
    if (m_print_statistics)
        std::fputs(fmt::format("lockstep: {} blocks ({} instructions) compared, {} instructions run by the interpreter alone\n",
                               m_blocks_compared, m_instructions_compared, m_instructions_alone)
                       .c_str(),
                   stderr);
}

void LockstepEngine::before_fork()
{
    m_translator.before_fork();
    m_forking_process = getpid();
}

void LockstepEngine::after_fork()
{
    m_translator.after_fork();
    if (getpid() != m_forking_process) {
        // The child: the step lock may be held by a thread it does not have. Leave that one
        // behind (destroying a held mutex is undefined) and start with a free one. The ones left
        // behind stay reachable, from a list that is never destroyed, so that they are no leak.
        static auto* left_behind = new std::vector<std::unique_ptr<std::mutex>>;
        left_behind->push_back(std::move(m_step_lock));
        m_step_lock = std::make_unique<std::mutex>();
    }
}

cpu::Exit LockstepEngine::run(cpu::CpuState& cpu, uint64_t budget)
{
    uint64_t limit = cpu.instructions_retired + budget;
    while (cpu.instructions_retired < limit)
        if (std::optional<cpu::Exit> exit = step(cpu, limit - cpu.instructions_retired))
            return *exit;
    return cpu::Exit{ExitKind::BudgetExhausted, cpu.pc, 0, 0, cpu.delay_slot};
}

std::optional<cpu::Exit> LockstepEngine::step(cpu::CpuState& cpu, uint64_t budget)
{
    std::lock_guard guard(*m_step_lock);
    std::optional<JitEngine::BlockExtent> block = cpu.delay_slot ? std::nullopt : m_translator.block_at(cpu.pc);
    if (!block || block->length > budget) {
        ++m_instructions_alone;
        cpu::Exit exit = m_reference.run(cpu, 1);
        return exit.kind == ExitKind::BudgetExhausted ? std::nullopt : std::optional(exit);
    }

    const cpu::CpuState entry = cpu;
    cpu::CpuState reference = cpu;
    m_journal.clear();
    cpu::Exit reference_exit = m_reference.run_block(reference, block->path, m_journal);
    m_journal.capture_after();
    m_journal.roll_back();

    std::optional<cpu::Exit> translated_exit = m_translator.run_block(cpu);
    if (!translated_exit) {
        // The block could not be translated again after the interpreter's stores dropped it
        // (code that rewrites itself): the reference run stands, as the translator would have
        // stepped the interpreter there.
        cpu = entry;
        m_journal.clear();
        cpu::Exit exit = m_reference.run_block(cpu, block->path);
        m_instructions_alone += cpu.instructions_retired - entry.instructions_retired;
        return exit.kind == ExitKind::BudgetExhausted ? std::nullopt : std::optional(exit);
    }
    ++m_blocks_compared;
    m_instructions_compared += cpu.instructions_retired - entry.instructions_retired;

    lockstep::BlockOutcome interpreter{reference, reference_exit};
    lockstep::BlockOutcome translator{cpu, *translated_exit};
    std::vector<std::string> found = lockstep::differences(interpreter, translator, m_journal, m_memory);
    if (!found.empty()) {
        std::string report = lockstep::divergence_report(block->start, block->path.back().end, entry,
                                                         interpreter, translator, found, m_memory);
        std::fflush(stdout);
        std::fputs(report.c_str(), stderr);
        std::fflush(stderr);
        // Other guest threads may be running: end the process here, without unwinding them.
        std::_Exit(divergence_status);
    }
    return translated_exit->kind == ExitKind::BudgetExhausted ? std::nullopt : translated_exit;
}

} // namespace isomorph::engines
