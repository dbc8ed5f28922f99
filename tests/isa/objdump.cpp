#include "objdump.h"

#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <stdlib.h>
#include <unistd.h>

namespace isomorph::tests {

std::string objdump_path() { return ISOMORPH_MIPSEL_OBJDUMP; }
std::string assembler_path() { return ISOMORPH_MIPSEL_AS; }

bool objdump_available()
{
    auto found = [](const std::string& path) { return !path.empty() && access(path.c_str(), X_OK) == 0; };
    return found(objdump_path()) && found(assembler_path());
}

namespace {

std::string run(const std::string& command)
{
    std::FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
        throw std::runtime_error("cannot run: " + command);
    std::string output;
    char buffer[65536];
    size_t count;
    while ((count = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        output.append(buffer, count);
    int status = pclose(pipe);
    if (status != 0)
        throw std::runtime_error(fmt::format("'{}' failed with status {}", command, status));
    return output;
}

} // namespace

std::vector<ObjdumpLine> objdump_disassemble(const std::string& file, ObjdumpAliases aliases)
{
    std::string command = fmt::format("'{}' -d -z {} '{}'", objdump_path(),
                                      aliases == ObjdumpAliases::NoAliases ? "-M no-aliases" : "", file);
    std::string output = run(command);
    // An instruction line: "  400190:\t3c1c000a \tlui\tgp,0xa".
    static const std::regex line_pattern(R"(^ *([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$)");
    static const std::regex symbol_suffix(R"( <[^>]*>$)");
    std::vector<ObjdumpLine> lines;
    size_t start = 0;
    while (start < output.size()) {
        size_t end = output.find('\n', start);
        if (end == std::string::npos)
            end = output.size();
        std::string line = output.substr(start, end - start);
        start = end + 1;
        std::smatch match;
        if (!std::regex_match(line, match, line_pattern))
            continue;
        ObjdumpLine parsed;
        parsed.address = static_cast<uint32_t>(std::stoul(match[1].str(), nullptr, 16));
        parsed.word = static_cast<uint32_t>(std::stoul(match[2].str(), nullptr, 16));
        parsed.text = std::regex_replace(match[3].str(), symbol_suffix, "");
        lines.push_back(std::move(parsed));
    }
    return lines;
}

std::string assemble_words(const std::vector<uint32_t>& words, const std::string& directory)
{
    std::string source = directory + "/words.S";
    std::string object = directory + "/words.o";
    {
        std::ofstream out(source);
        out << "\t.text\n\t.set noreorder\nwords:\n";
        for (uint32_t word : words)
            out << fmt::format("\t.word 0x{:08x}\n", word);
    }
    run(fmt::format("'{}' -march=mips32r2 -EL -o '{}' '{}'", assembler_path(), object, source));
    return object;
}

TemporaryDirectory::TemporaryDirectory()
{
    std::string pattern = (std::filesystem::temp_directory_path() / "isomorph-isa-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TemporaryDirectory::~TemporaryDirectory()
{
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

} // namespace isomorph::tests
