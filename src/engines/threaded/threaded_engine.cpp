#include "engines/threaded/threaded_engine.h"

#include "cpu/fpu_arithmetic.h"
#include "engines/threaded/dispatch.h"
#include "memory/host_fault.h"

namespace isomorph::engines {

using namespace threaded;

ThreadedEngine::ThreadedEngine(memory::AddressSpace& memory) : m_memory(memory), m_code_cache(memory)
{
    handler_table(); // publish the labels before any page is decoded
}

cpu::Exit ThreadedEngine::run(cpu::CpuState& cpu, uint64_t budget)
{
    ThreadCache& cache = m_code_cache.for_this_thread();
    DispatchContext& context = cache.context();
    context.cpu = &cpu;
    context.memory = &m_memory;
    context.cache = &cache;
    context.limit = cpu.instructions_retired + std::min(budget, UINT64_MAX - cpu.instructions_retired);
    cpu::fpu::GuestModeScope fpu_mode; // the engines' MXCSR mode for the whole run (cpu/fpu_arithmetic.h)

    memory::FaultScope scope(m_memory);
    switch (sigsetjmp(scope.buffer, 0)) {
    case 0: break;
    case raised: context.dispatching = false; return context.exit;
    default:
        if (!context.dispatching) {
            // Decoding read a page that another thread unmapped meanwhile: the state is the one
            // before the fetch, which fails.
            return cpu::Exit{ExitKind::FetchFault, cpu.pc, cpu.pc, 0, cpu.delay_slot};
        }
        // A host fault on guest memory, raised by the decoded instruction at context.current.
        context.dispatching = false;
        context.materialize_current();
        return cpu::Exit{scope.fault.write ? ExitKind::StoreFault : ExitKind::LoadFault, cpu.pc, scope.fault.address,
                         0, cpu.delay_slot};
    }

    bool step_once = false;
    for (;;) {
        cache.reclaim();
        uint64_t retired = cpu.instructions_retired;
        if (retired >= context.limit)
            return cpu::Exit{ExitKind::BudgetExhausted, cpu.pc, 0, 0, cpu.delay_slot};
        uint64_t remaining = context.limit - retired;
        DecodedInstruction* entry = nullptr;
        if (!step_once && !cpu.delay_slot)
            entry = cache.lookup(cpu.pc);
        if (entry == nullptr || remaining < entry->run_length) {
            // The reference interpreter runs one instruction, or the rest of the budget when the
            // next run would not fit in it; when the instruction cannot be fetched it raises the
            // right exception.
            uint64_t steps = entry != nullptr ? remaining : 1;
            cpu::Exit exit = cache.reference().run(cpu, steps);
            m_code_cache.count_reference_instructions(cpu.instructions_retired - retired);
            step_once = false;
            if (exit.kind != ExitKind::BudgetExhausted)
                return exit;
            continue;
        }
        context.current = context.run_start = entry;
        context.retired_at_run_start = retired;
        context.dispatching = true;
        step_once = dispatch(context, entry) == DispatchResult::StepOnce;
        context.dispatching = false;
    }
}

void ThreadedEngine::invalidate_code(uint32_t address, uint32_t length)
{
    // Unwatching tells every engine on the address space, this one included; dropping directly
    // as well covers pages that were never watched.
    m_memory.unwatch_code(address, length);
    m_code_cache.invalidate(address, length);
}

} // namespace isomorph::engines
