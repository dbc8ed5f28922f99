#include "engines/engine.h"

#include "engines/interp/interpreter.h"
#include "engines/jit/jit_engine.h"
#include "engines/lockstep/lockstep_engine.h"
#include "engines/threaded/threaded_engine.h"

namespace isomorph::engines {

std::string_view name(EngineKind kind)
{
    switch (kind) {
    case EngineKind::Interpreter: return "interp";
    case EngineKind::Threaded: return "threaded";
    case EngineKind::Jit: return "jit";
    }
    return "unknown";
}

std::optional<EngineKind> engine_from_name(std::string_view text)
{
    if (text == "interp")
        return EngineKind::Interpreter;
    if (text == "threaded")
        return EngineKind::Threaded;
    if (text == "jit")
        return EngineKind::Jit;
    return std::nullopt;
}

std::unique_ptr<Engine> make_engine(EngineKind kind, memory::AddressSpace& memory, Lockstep lockstep)
{
    if (lockstep == Lockstep::On)
        return kind == EngineKind::Jit ? std::make_unique<LockstepEngine>(memory) : nullptr;
    switch (kind) {
    case EngineKind::Interpreter: return std::make_unique<Interpreter>(memory);
    case EngineKind::Threaded: return std::make_unique<ThreadedEngine>(memory);
    case EngineKind::Jit: return std::make_unique<JitEngine>(memory);
    }
    return nullptr;
}

} // namespace isomorph::engines
