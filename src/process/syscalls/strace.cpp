#include "process/syscalls/strace.h"

#include "process/process.h"

#include <cstring>
#include <fmt/format.h>

namespace isomorph::process {

namespace {

std::string quoted(const std::string& text, size_t limit)
{
    std::string result = "\"";
    for (size_t index = 0; index < text.size() && index < limit; ++index) {
        unsigned char c = static_cast<unsigned char>(text[index]);
        switch (c) {
        case '\n': result += "\\n"; break;
        case '\t': result += "\\t"; break;
        case '\r': result += "\\r"; break;
        case '"': result += "\\\""; break;
        case '\\': result += "\\\\"; break;
        default:
            if (c >= 0x20 && c < 0x7F)
                result += static_cast<char>(c);
            else
                result += fmt::format("\\{:o}", c);
        }
    }
    result += '"';
    if (text.size() > limit)
        result += "...";
    return result;
}

std::string format_argument(Process& process, char kind, uint32_t value, uint32_t next)
{
    switch (kind) {
    case 'd':
    case 'f': return fmt::format("{}", static_cast<int32_t>(value));
    case 'u': return fmt::format("{}", value);
    case 'x':
    case 'o': return fmt::format("{:#x}", value);
    case 'm': return fmt::format("0{:o}", value);
    case 'p': return value == 0 ? "NULL" : fmt::format("{:#x}", value);
    case 's': {
        if (value == 0)
            return "NULL";
        auto text = process.memory().read_string(value);
        return text ? quoted(*text, 256) : fmt::format("{:#x}", value);
    }
    case 'b': {
        std::string bytes(std::min<uint32_t>(next, 32), '\0');
        if (!process.memory().copy_from_guest(bytes.data(), value, bytes.size()))
            return fmt::format("{:#x}", value);
        std::string text = quoted(bytes, 32);
        if (next > 32)
            text += "...";
        return text;
    }
    default: return fmt::format("{:#x}", value);
    }
}

} // namespace

void trace_call(Process& process, const SyscallInfo* info, const SyscallArguments& arguments)
{
    std::string line;
    if (info == nullptr) {
        line = fmt::format("syscall_{}(", arguments.number);
        for (unsigned index = 0; index < 4; ++index)
            line += fmt::format("{}{:#x}", index ? ", " : "", arguments[index]);
    } else {
        line = fmt::format("{}(", info->name);
        for (size_t index = 0; index < info->format.size(); ++index) {
            if (index)
                line += ", ";
            uint32_t next = index + 1 < arguments.values.size() ? arguments[index + 1] : 0;
            line += info->format[index] == '*' ? fmt::format("{:#x}", arguments[index])
                                               : format_argument(process, info->format[index], arguments[index], next);
        }
    }
    line += ")";
    fmt::print(process.options().strace_output, "{}", line);
}

void trace_result(Process& process, const SyscallInfo* info, const SyscallArguments&, SyscallResult result)
{
    std::FILE* out = process.options().strace_output;
    if (result < 0 && result >= -4095) {
        int error = static_cast<int>(-result);
        fmt::print(out, " = -1 {} ({})\n", strerrorname_np(error) ? strerrorname_np(error) : "E?",
                   std::strerror(error));
        return;
    }
    char kind = info && !info->result_format.empty() ? info->result_format[0] : 'd';
    if (kind == 'p' || kind == 'x')
        fmt::print(out, " = {:#x}\n", static_cast<uint32_t>(result));
    else
        fmt::print(out, " = {}\n", static_cast<int64_t>(static_cast<int32_t>(result)));
    std::fflush(out);
}

} // namespace isomorph::process
