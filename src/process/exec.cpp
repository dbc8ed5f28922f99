#include "process/exec.h"

#include "engines/engine.h"
#include "process/process.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace isomorph::process {

namespace {

// The kernel reads this much of a file to recognise it (BINPRM_BUF_SIZE), and follows at most
// this many interpreters before giving up with ELOOP.
constexpr size_t header_size = 256;
constexpr int maximum_interpreter_depth = 4;

enum class FileKind { MipsElf, Script, Other };

// Opens the host file as execve would check it: it must exist, be a regular file and be
// executable. Fills header with its first bytes.
int inspect(const std::string& host_path, std::string& header)
{
    if (access(host_path.c_str(), X_OK) < 0)
        return errno;
    struct stat status;
    if (stat(host_path.c_str(), &status) < 0)
        return errno;
    if (!S_ISREG(status.st_mode))
        return EACCES;
    int descriptor = open(host_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0)
        return errno;
    header.assign(header_size, '\0');
    ssize_t length = read(descriptor, header.data(), header.size());
    int error = errno;
    close(descriptor);
    if (length < 0)
        return error;
    header.resize(static_cast<size_t>(length));
    return 0;
}

FileKind classify(const std::string& header)
{
    if (header.size() >= sizeof(Elf32_Ehdr) && std::memcmp(header.data(), ELFMAG, SELFMAG) == 0) {
        Elf32_Ehdr elf;
        std::memcpy(&elf, header.data(), sizeof elf);
        bool mips = elf.e_ident[EI_CLASS] == ELFCLASS32 && elf.e_ident[EI_DATA] == ELFDATA2LSB &&
                    elf.e_machine == EM_MIPS && (elf.e_type == ET_EXEC || elf.e_type == ET_DYN);
        return mips ? FileKind::MipsElf : FileKind::Other;
    }
    if (header.size() >= 2 && header[0] == '#' && header[1] == '!')
        return FileKind::Script;
    return FileKind::Other;
}

// Splits a #! line as binfmt_script does: the interpreter up to the first blank, then the rest
// of the line, trimmed, as one optional argument. False for a line with no interpreter.
bool parse_interpreter_line(const std::string& header, std::string& interpreter, std::string& argument)
{
    size_t end = header.find('\n');
    if (end == std::string::npos)
        end = header.size();
    std::string line = header.substr(2, end - 2);
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    size_t start = 0;
    while (start < line.size() && blank(line[start]))
        ++start;
    size_t stop = start;
    while (stop < line.size() && !blank(line[stop]))
        ++stop;
    interpreter = line.substr(start, stop - start);
    while (stop < line.size() && blank(line[stop]))
        ++stop;
    size_t last = line.size();
    while (last > stop && (blank(line[last - 1]) || line[last - 1] == '\r'))
        --last;
    argument = line.substr(stop, last - stop);
    return !interpreter.empty();
}

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> result;
    for (std::string& text : strings)
        result.push_back(text.data());
    result.push_back(nullptr);
    return result;
}

} // namespace

std::vector<std::string> emulator_arguments(const Process& process, const std::string& host_program,
                                            const std::vector<std::string>& arguments)
{
    std::vector<std::string> command = {"isomorph", "run", "--engine", std::string(engines::name(process.options().engine))};
    if (!process.paths().sysroot().empty()) {
        command.push_back("-L");
        command.push_back(process.paths().sysroot());
    }
    if (process.options().strace)
        command.push_back("--strace");
    if (process.options().lockstep)
        command.push_back("--lockstep");
    // The guest's argv[0] need not be the program's path (a login shell's "-sh", a script's
    // interpreter name).
    command.push_back("--argv0");
    command.push_back(arguments.empty() ? std::string() : arguments.front());
    command.push_back("--");
    command.push_back(host_program);
    for (size_t index = 1; index < arguments.size(); ++index)
        command.push_back(arguments[index]);
    return command;
}

int execute_guest_program(Process& process, std::string guest_path, std::vector<std::string> arguments,
                          std::vector<std::string> environment)
{
    for (int depth = 0;; ++depth) {
        std::string host_path = process.paths().to_host(guest_path);
        std::string header;
        if (int error = inspect(host_path, header); error != 0)
            return error;
        switch (classify(header)) {
        case FileKind::Other: return ENOEXEC;
        case FileKind::Script: {
            if (depth >= maximum_interpreter_depth)
                return ELOOP;
            std::string interpreter, argument;
            if (!parse_interpreter_line(header, interpreter, argument))
                return ENOEXEC;
            std::vector<std::string> replaced = {interpreter};
            if (!argument.empty())
                replaced.push_back(argument);
            replaced.push_back(guest_path);
            for (size_t index = 1; index < arguments.size(); ++index)
                replaced.push_back(arguments[index]);
            arguments = std::move(replaced);
            guest_path = interpreter;
            continue;
        }
        case FileKind::MipsElf: {
            std::vector<std::string> command = emulator_arguments(process, host_path, arguments);
            std::vector<char*> argv = pointers(command);
            std::vector<char*> envp = pointers(environment);
            std::fflush(nullptr);
            execve("/proc/self/exe", argv.data(), envp.data());
            return errno;
        }
        }
    }
}

} // namespace isomorph::process
