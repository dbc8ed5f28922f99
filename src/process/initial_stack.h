#pragma once

#include "memory/address_space.h"
#include "process/elf_loader.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace isomorph::process {

// The stack a new Linux/MIPS process starts with, laid out as the kernel's create_elf_tables()
// does: strings at the top (the executable's path, environment, arguments), the platform string
// and AT_RANDOM bytes below them, then argc, argv[], envp[] and the auxiliary vector at sp.
struct StackLayout {
    uint32_t stack_pointer = 0;
    uint32_t argv = 0;
    uint32_t envp = 0;
    uint32_t auxv = 0;
    // The argument, environment and executable path strings, from the lowest to the end of the
    // highest; the AT_RANDOM bytes and the AT_BASE_PLATFORM string.
    uint32_t strings_start = 0;
    uint32_t strings_end = 0;
    uint32_t random = 0;
    uint32_t base_platform = 0;
    std::array<uint8_t, 16> random_bytes{};
};

struct StackRequest {
    std::vector<std::string> arguments;
    std::vector<std::string> environment;
    std::string executable_path; // AT_EXECFN
    const LoadedImage* program = nullptr;
    uint32_t interpreter_base = 0; // AT_BASE, 0 for a static executable
    uint32_t entry = 0;            // the program's own entry point (AT_ENTRY)
    // The AT_RANDOM bytes (--seed); from the host's random device when not given.
    std::optional<std::array<uint8_t, 16>> random_bytes;
};

// Stack placement: the top of the user stack, and how much is mapped below it.
constexpr uint32_t stack_top = 0x7FFF0000;
constexpr uint32_t stack_size = 8u << 20;

StackLayout build_initial_stack(memory::AddressSpace& memory, const StackRequest& request, bool executable);

} // namespace isomorph::process
