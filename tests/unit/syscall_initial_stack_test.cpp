// The initial stack exactly as Linux's create_elf_tables() lays it out for a MIPS process.

#include "process/initial_stack.h"

#include <elf.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace isomorph::process {
namespace {

struct Built {
    memory::AddressSpace memory;
    StackLayout layout;
    std::vector<std::pair<uint32_t, uint32_t>> auxv;

    std::string string_at(uint32_t address) { return *memory.read_string(address); }
};

std::unique_ptr<Built> build(const std::vector<std::string>& arguments, const std::vector<std::string>& environment)
{
    auto built = std::make_unique<Built>();
    LoadedImage image;
    image.entry = 0x400100;
    image.program_headers = 0x400034;
    image.program_header_count = 7;
    StackRequest request;
    request.arguments = arguments;
    request.environment = environment;
    request.executable_path = "/path/to/program";
    request.program = &image;
    request.entry = image.entry;
    built->layout = build_initial_stack(built->memory, request, false);
    for (uint32_t cursor = built->layout.auxv;; cursor += 8) {
        uint32_t type = built->memory.read<uint32_t>(cursor);
        built->auxv.emplace_back(type, built->memory.read<uint32_t>(cursor + 4));
        if (type == AT_NULL)
            break;
    }
    return built;
}

TEST(InitialStack, ArgumentsEnvironmentAndAuxiliaryVectorInLinuxOrder)
{
    auto built = build({"program", "first", "second"}, {"A=1", "B=2"});
    auto& memory = built->memory;
    uint32_t sp = built->layout.stack_pointer;
    EXPECT_EQ(sp % 16, 0u);
    EXPECT_EQ(memory.read<uint32_t>(sp), 3u);
    EXPECT_EQ(built->layout.argv, sp + 4);
    EXPECT_EQ(built->string_at(memory.read<uint32_t>(sp + 4)), "program");
    EXPECT_EQ(built->string_at(memory.read<uint32_t>(sp + 8)), "first");
    EXPECT_EQ(built->string_at(memory.read<uint32_t>(sp + 12)), "second");
    EXPECT_EQ(memory.read<uint32_t>(sp + 16), 0u);
    EXPECT_EQ(built->layout.envp, sp + 20);
    EXPECT_EQ(built->string_at(memory.read<uint32_t>(sp + 20)), "A=1");
    EXPECT_EQ(built->string_at(memory.read<uint32_t>(sp + 24)), "B=2");
    EXPECT_EQ(memory.read<uint32_t>(sp + 28), 0u);
    EXPECT_EQ(built->layout.auxv, sp + 32);

    const uint32_t expected_order[] = {AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR,   AT_PHENT,  AT_PHNUM,
                                       AT_BASE,  AT_FLAGS,  AT_ENTRY,  AT_UID,    AT_EUID,   AT_GID,
                                       AT_EGID,  AT_SECURE, AT_RANDOM, AT_EXECFN, AT_BASE_PLATFORM, AT_NULL};
    ASSERT_EQ(built->auxv.size(), std::size(expected_order));
    for (size_t index = 0; index < std::size(expected_order); ++index)
        EXPECT_EQ(built->auxv[index].first, expected_order[index]) << index;
    auto value = [&](uint32_t type) {
        for (auto [entry_type, entry_value] : built->auxv)
            if (entry_type == type)
                return entry_value;
        return 0xFFFFFFFFu;
    };
    EXPECT_EQ(value(AT_HWCAP), 0u);
    EXPECT_EQ(value(AT_PAGESZ), 4096u);
    EXPECT_EQ(value(AT_CLKTCK), 100u);
    EXPECT_EQ(value(AT_PHDR), 0x400034u);
    EXPECT_EQ(value(AT_PHENT), 32u);
    EXPECT_EQ(value(AT_PHNUM), 7u);
    EXPECT_EQ(value(AT_BASE), 0u);
    EXPECT_EQ(value(AT_FLAGS), 0u);
    EXPECT_EQ(value(AT_ENTRY), 0x400100u);
    EXPECT_EQ(value(AT_UID), getuid());
    EXPECT_EQ(value(AT_EGID), getegid());
    EXPECT_EQ(value(AT_SECURE), 0u);
    EXPECT_EQ(built->string_at(value(AT_EXECFN)), "/path/to/program");
    EXPECT_EQ(built->string_at(value(AT_BASE_PLATFORM)), "mips32r2");

    // Above the tables, from the top down: one NULL word, the executable's path, the environment
    // strings, the argument strings (first lowest), the 8-byte-aligned platform string, then the
    // 16 random bytes.
    EXPECT_EQ(value(AT_EXECFN), stack_top - 4 - sizeof("/path/to/program"));
    uint32_t first_environment = memory.read<uint32_t>(sp + 20);
    EXPECT_EQ(first_environment + 4, memory.read<uint32_t>(sp + 24));
    EXPECT_EQ(memory.read<uint32_t>(sp + 24) + 4, value(AT_EXECFN));
    uint32_t first_argument = memory.read<uint32_t>(sp + 4);
    EXPECT_EQ(first_argument + sizeof("program") + sizeof("first") + sizeof("second"), first_environment);
    uint32_t platform = value(AT_BASE_PLATFORM);
    EXPECT_EQ(platform + sizeof("mips32r2"), first_argument & ~7u);
    EXPECT_EQ(value(AT_RANDOM) + 16, platform);
    // STACK_ROUND: the tables end at most 15 bytes below the random bytes.
    uint32_t tables_end = built->layout.auxv + static_cast<uint32_t>(built->auxv.size()) * 8;
    EXPECT_LE(tables_end, value(AT_RANDOM));
    EXPECT_LT(value(AT_RANDOM) - tables_end, 16u);
}

TEST(InitialStack, EmptyEnvironment)
{
    auto built = build({"a"}, {});
    uint32_t sp = built->layout.stack_pointer;
    EXPECT_EQ(built->memory.read<uint32_t>(sp), 1u);
    EXPECT_EQ(built->memory.read<uint32_t>(sp + 8), 0u);  // argv terminator
    EXPECT_EQ(built->memory.read<uint32_t>(sp + 12), 0u); // envp terminator
    EXPECT_EQ(built->layout.auxv, sp + 16);
}

} // namespace
} // namespace isomorph::process
