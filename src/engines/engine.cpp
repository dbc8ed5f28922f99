#include "engines/engine.h"

#include "engines/interp/interpreter.h"

namespace isomorph::engines {

std::string_view name(EngineKind kind)
{
    switch (kind) {
    case EngineKind::Interpreter: return "interp";
    }
    return "unknown";
}

std::optional<EngineKind> engine_from_name(std::string_view text)
{
    if (text == "interp")
        return EngineKind::Interpreter;
    return std::nullopt;
}

std::unique_ptr<Engine> make_engine(EngineKind kind, memory::AddressSpace& memory)
{
    switch (kind) {
    case EngineKind::Interpreter: return std::make_unique<Interpreter>(memory);
    }
    return nullptr;
}

} // namespace isomorph::engines
