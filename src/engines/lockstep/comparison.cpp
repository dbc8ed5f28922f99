#include "engines/lockstep/comparison.h"

#include "isa/disassembler.h"
#include "memory/address_space.h"

#include <array>
#include <cstring>
#include <fmt/format.h>

namespace isomorph::engines::lockstep {

namespace {

class Differences {
public:
    // Names are only formatted for a difference: this runs after every block.
    template <class T> void compare(std::string_view what, T interpreter, T translator)
    {
        if (interpreter != translator)
            m_lines.push_back(fmt::format("{}: interpreter {}, translator {}", what, show(interpreter), show(translator)));
    }
    template <class T, class Name> void compare_named(const Name& name, T interpreter, T translator)
    {
        if (interpreter != translator)
            compare(std::string_view(name()), interpreter, translator);
    }

    std::vector<std::string> take() { return std::move(m_lines); }

private:
    static std::string show(uint32_t value) { return fmt::format("0x{:08x}", value); }
    static std::string show(uint64_t value) { return fmt::format("0x{:016x}", value); }
    static std::string show(bool value) { return value ? "true" : "false"; }
    static std::string show(cpu::ExitKind kind) { return std::string(cpu::name(kind)); }

    std::vector<std::string> m_lines;
};

std::string describe(const cpu::Exit& exit)
{
    if (exit.kind == cpu::ExitKind::BudgetExhausted)
        return fmt::format("ran to the block's end, next pc 0x{:08x}", exit.pc);
    return fmt::format("{} at pc 0x{:08x}{} (address 0x{:08x}, code {})", cpu::name(exit.kind), exit.pc,
                       exit.delay_slot ? " in a delay slot" : "", exit.address, exit.code);
}

std::string bytes(const std::array<uint8_t, 8>& data, unsigned size)
{
    std::string text;
    for (unsigned index = 0; index < size; ++index)
        text += fmt::format("{:02x}", data[index]);
    return text;
}

} // namespace

std::vector<std::string> differences(const BlockOutcome& interpreter, const BlockOutcome& translator,
                                     const StoreJournal& journal, const memory::AddressSpace& memory)
{
    Differences found;
    const cpu::Exit& a = interpreter.exit;
    const cpu::Exit& b = translator.exit;
    found.compare("exit", a.kind, b.kind);
    found.compare("exit pc", a.pc, b.pc);
    found.compare("exit address", a.address, b.address);
    found.compare("exit code", a.code, b.code);
    found.compare("exit in a delay slot", a.delay_slot, b.delay_slot);

    const cpu::CpuState& x = interpreter.state;
    const cpu::CpuState& y = translator.state;
    // The register files are compared whole first: this runs after every block, also in the
    // unoptimised sanitizer build.
    if (std::memcmp(x.gpr.data(), y.gpr.data(), sizeof x.gpr) != 0)
        for (unsigned number = 1; number < 32; ++number)
            found.compare_named([&] { return fmt::format("register {} (${})", isa::register_name(number), number); },
                                x.gpr[number], y.gpr[number]);
    found.compare("hi", x.hi, y.hi);
    found.compare("lo", x.lo, y.lo);
    found.compare("pc", x.pc, y.pc);
    found.compare("next_pc", x.next_pc, y.next_pc);
    found.compare("delay_slot", x.delay_slot, y.delay_slot);
    found.compare("UserLocal", x.user_local, y.user_local);
    found.compare("LL address", x.linked_address, y.linked_address);
    found.compare("LL value", x.linked_value, y.linked_value);
    found.compare("LL bit", x.link_valid, y.link_valid);
    if (std::memcmp(x.fpu.fpr.data(), y.fpu.fpr.data(), sizeof x.fpu.fpr) != 0)
        for (unsigned number = 0; number < 32; ++number)
            found.compare_named([&] { return fmt::format("fpu register $f{}", number); }, x.fpu.fpr[number],
                                y.fpu.fpr[number]);
    found.compare("FCSR", x.fpu.fcsr, y.fpu.fcsr);
    found.compare("FIR", x.fpu.fir, y.fpu.fir);
    found.compare("Status.FR", x.fpu.fr, y.fpu.fr);
    found.compare("Status.CU1", x.fpu.enabled, y.fpu.enabled);
    found.compare("instructions retired", x.instructions_retired, y.instructions_retired);

    std::vector<std::string> lines = found.take();
    for (const StoreJournal::Entry& entry : journal.entries()) {
        std::array<uint8_t, 8> now{};
        if (!memory.copy_from_guest(now.data(), entry.address, entry.size)) {
            lines.push_back(fmt::format("memory 0x{:08x} ({} bytes): interpreter {}, translator unreadable", entry.address,
                                        entry.size, bytes(entry.after, entry.size)));
            continue;
        }
        if (now != entry.after)
            lines.push_back(fmt::format("memory 0x{:08x} ({} bytes, in memory order): interpreter {}, translator {} (before the block {})",
                                        entry.address, entry.size, bytes(entry.after, entry.size),
                                        bytes(now, entry.size), bytes(entry.before, entry.size)));
    }
    return lines;
}

std::string divergence_report(uint32_t block_start, uint32_t block_end, const cpu::CpuState& entry,
                              const BlockOutcome& interpreter, const BlockOutcome& translator,
                              const std::vector<std::string>& differences, const memory::AddressSpace& memory)
{
    std::string report = fmt::format(
        "isomorph: error: lockstep divergence in the block at 0x{:08x}: the translator and the reference interpreter "
        "disagree ({} difference{})\n",
        block_start, differences.size(), differences.size() == 1 ? "" : "s");
    report += fmt::format("lockstep: block 0x{:08x}..0x{:08x}, entered after {} instructions, pc 0x{:08x}:\n", block_start,
                          block_end, entry.instructions_retired, entry.pc);
    for (uint32_t pc = block_start; pc < block_end; pc += 4) {
        uint32_t word = 0;
        if (memory.copy_from_guest(&word, pc, 4))
            report += fmt::format("lockstep:   {:08x}:  {:08x}  {}\n", pc, word, isa::disassemble(word, pc));
        else
            report += fmt::format("lockstep:   {:08x}:  (unreadable)\n", pc);
    }
    report += fmt::format("lockstep: interpreter: {}\n", describe(interpreter.exit));
    report += fmt::format("lockstep: translator:  {}\n", describe(translator.exit));
    for (const std::string& line : differences)
        report += fmt::format("lockstep: differs: {}\n", line);
    report += "lockstep: registers at the block's entry:";
    for (unsigned number = 1; number < 32; ++number)
        report += fmt::format("{}{}=0x{:08x}", number % 8 == 0 ? "\nlockstep:  " : " ", isa::register_name(number),
                              entry.gpr[number]);
    report += fmt::format("\nlockstep:  hi=0x{:08x} lo=0x{:08x} fcsr=0x{:08x}\n", entry.hi, entry.lo, entry.fpu.fcsr);
    return report;
}

} // namespace isomorph::engines::lockstep
