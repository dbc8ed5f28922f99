#include "process/syscalls/strace.h"
#include "process/syscalls/strace_socket.h"

#include "process/o32/errno.h"
#include "process/o32/flags.h"
#include "process/process.h"

#include <cstring>
#include <fmt/format.h>

namespace isomorph::process {

void print_line(Process& process, std::string_view line);

namespace {

struct NamedBit {
    uint32_t bit;
    std::string_view name;
};

std::string bits_text(uint32_t value, const NamedBit* begin, const NamedBit* end, std::string text)
{
    for (const NamedBit* bit = begin; bit != end; ++bit) {
        if ((value & bit->bit) == bit->bit && bit->bit != 0) {
            text += text.empty() ? "" : "|";
            text += bit->name;
            value &= ~bit->bit;
        }
    }
    if (value != 0)
        text += fmt::format("{}{:#x}", text.empty() ? "" : "|", value);
    return text;
}

std::string clock_text(uint32_t clock)
{
    constexpr std::string_view names[] = {"CLOCK_REALTIME",         "CLOCK_MONOTONIC",      "CLOCK_PROCESS_CPUTIME_ID",
                                          "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE",
                                          "CLOCK_MONOTONIC_COARSE",  "CLOCK_BOOTTIME",      "CLOCK_REALTIME_ALARM",
                                          "CLOCK_BOOTTIME_ALARM",    "CLOCK_SGI_CYCLE",     "CLOCK_TAI"};
    return clock < std::size(names) ? std::string(names[clock]) : fmt::format("{}", static_cast<int32_t>(clock));
}

std::string signal_text(uint32_t signal)
{
    if (signal >= 1 && signal < 32)
        return std::string(guest_signal_name(signal));
    if (signal >= 32 && signal <= guest_signal_count)
        return fmt::format("SIGRT_{}", signal - 32);
    return fmt::format("{}", static_cast<int32_t>(signal));
}

std::string whence_text(uint32_t whence)
{
    constexpr std::string_view names[] = {"SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"};
    return whence < std::size(names) ? std::string(names[whence]) : fmt::format("{}", whence);
}

std::string buffer_text(Process& process, uint32_t address, uint32_t length)
{
    std::string bytes(std::min<uint32_t>(length, 32), '\0');
    if (!process.memory().copy_from_guest(bytes.data(), address, bytes.size()))
        return fmt::format("{:#x}", address);
    std::string text = quoted_string(bytes, 32);
    if (length > 32)
        text += "...";
    return text;
}

} // namespace

std::string quoted_string(const std::string& text, size_t limit)
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

std::string open_flags_text(uint32_t flags)
{
    namespace f = o32::open_flag;
    static constexpr NamedBit bits[] = {
        {f::create, "O_CREAT"},        {f::exclusive, "O_EXCL"},     {f::no_controlling_tty, "O_NOCTTY"},
        {f::truncate, "O_TRUNC"},      {f::append, "O_APPEND"},      {f::nonblock, "O_NONBLOCK"},
        {f::sync | f::dsync, "O_SYNC"}, {f::dsync, "O_DSYNC"},       {f::async, "O_ASYNC"},
        {f::large_file, "O_LARGEFILE"}, {f::direct, "O_DIRECT"},     {f::temporary_file, "O_TMPFILE"},
        {f::directory, "O_DIRECTORY"}, {f::no_follow, "O_NOFOLLOW"}, {f::no_access_time, "O_NOATIME"},
        {f::close_on_exec, "O_CLOEXEC"}, {f::path, "O_PATH"},
    };
    constexpr std::string_view access[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    return bits_text(flags & ~3u, std::begin(bits), std::end(bits), std::string(access[flags & 3]));
}

std::string mmap_protection_text(uint32_t protection)
{
    static constexpr NamedBit bits[] = {{1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}, {0x10, "PROT_SEM"}};
    std::string text = bits_text(protection, std::begin(bits), std::end(bits), "");
    return text.empty() ? "PROT_NONE" : text;
}

std::string mmap_flags_text(uint32_t flags)
{
    namespace m = o32::map_flag;
    static constexpr NamedBit bits[] = {
        {m::fixed, "MAP_FIXED"},         {m::anonymous, "MAP_ANONYMOUS"}, {m::no_reserve, "MAP_NORESERVE"},
        {m::grows_down, "MAP_GROWSDOWN"}, {m::deny_write, "MAP_DENYWRITE"}, {m::executable, "MAP_EXECUTABLE"},
        {m::locked, "MAP_LOCKED"},       {m::populate, "MAP_POPULATE"},  {m::non_block, "MAP_NONBLOCK"},
        {m::stack, "MAP_STACK"},         {m::huge_tlb, "MAP_HUGETLB"},   {m::fixed_noreplace, "MAP_FIXED_NOREPLACE"},
    };
    constexpr std::string_view types[] = {"0", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"};
    uint32_t type = flags & m::type_mask;
    std::string first = type < std::size(types) ? std::string(types[type]) : fmt::format("{:#x}", type);
    return bits_text(flags & ~m::type_mask, std::begin(bits), std::end(bits), first);
}

SyscallTrace::SyscallTrace(Process& process, const SyscallInfo* info, const SyscallArguments& arguments)
    : m_process(process), m_info(info), m_arguments(arguments)
{
    auto& memory = process.memory();
    if (info == nullptr) {
        for (unsigned index = 0; index < 4; ++index)
            m_decoded.push_back({'x', arguments[index], fmt::format("{:#x}", arguments[index])});
        return;
    }
    size_t word = 0;
    for (char kind : info->format) {
        if (word >= arguments.values.size())
            break;
        uint32_t value = arguments[word];
        uint32_t next = word + 1 < arguments.values.size() ? arguments[word + 1] : 0;
        std::optional<std::string> text;
        switch (kind) {
        case '_': ++word; continue;
        case 'd':
        case 'f': text = fmt::format("{}", static_cast<int32_t>(value)); break;
        case 'a':
            text = static_cast<int32_t>(value) == -100 ? std::string("AT_FDCWD")
                                                       : fmt::format("{}", static_cast<int32_t>(value));
            break;
        case 'u': text = fmt::format("{}", value); break;
        case 'm': text = fmt::format("0{:o}", value); break;
        case 'p': text = value == 0 ? std::string("NULL") : fmt::format("{:#x}", value); break;
        case 's': {
            auto string = value == 0 ? std::nullopt : memory.read_string(value);
            text = value == 0 ? std::string("NULL") : string ? quoted_string(*string, 256) : fmt::format("{:#x}", value);
            break;
        }
        case 'b': text = buffer_text(process, value, next); break;
        case 'r': break; // decoded once the call has filled it
        case 'o': text = open_flags_text(value); break;
        case 'P': text = mmap_protection_text(value); break;
        case 'M': text = mmap_flags_text(value); break;
        case 'S': text = signal_text(value); break;
        case 'w': text = whence_text(value); break;
        case 'c': text = clock_text(value); break;
        case 'l':
            text = fmt::format("{}", static_cast<int64_t>((uint64_t{next} << 32) | value));
            ++word;
            break;
        case 'h':
            text = fmt::format("{}", static_cast<int64_t>((uint64_t{value} << 32) | next));
            ++word;
            break;
        case 'F':
        case 'T':
        case 'L':
        case 'A':
        case 'E': text = socket_argument_text(process, kind, value, next); break;
        default: text = fmt::format("{:#x}", value); break;
        }
        m_decoded.push_back({kind, value, text});
        ++word;
    }
}

void SyscallTrace::finish(SyscallResult result)
{
    bool failed = result < 0 && result >= -4095;
    std::string line = m_info ? std::string(m_info->name) : fmt::format("syscall_{}", m_arguments.number);
    line += '(';
    for (size_t index = 0; index < m_decoded.size(); ++index) {
        const Argument& argument = m_decoded[index];
        if (index)
            line += ", ";
        if (argument.text)
            line += *argument.text;
        else if (failed || argument.value == 0)
            line += argument.value == 0 ? "NULL" : fmt::format("{:#x}", argument.value);
        else
            line += buffer_text(m_process, argument.value, static_cast<uint32_t>(result));
    }
    line += ')';
    if (m_process.exit_requested()) {
        line += " = ?";
    } else if (failed) {
        int error = static_cast<int>(-result);
        line += fmt::format(" = -1 {} ({})", o32::errno_name(error), std::strerror(error));
    } else {
        char kind = m_info && !m_info->result_format.empty() ? m_info->result_format[0] : 'd';
        if (kind == 'p' || kind == 'x')
            line += fmt::format(" = {:#x}", static_cast<uint32_t>(result));
        else if (kind == 'o')
            line += fmt::format(" = 0{:o}", static_cast<uint32_t>(result));
        else
            line += fmt::format(" = {}", static_cast<int64_t>(static_cast<int32_t>(result)));
    }
    print_line(m_process, line);
}

namespace {

std::string_view signal_code_name(unsigned signal, int32_t code)
{
    switch (code) {
    case o32::si_user: return "SI_USER";
    case o32::si_kernel: return "SI_KERNEL";
    case o32::si_queue: return "SI_QUEUE";
    case o32::si_timer: return "SI_TIMER";
    case o32::si_tkill: return "SI_TKILL";
    default: break;
    }
    switch (static_cast<GuestSignal>(signal)) {
    case GuestSignal::SIGSEGV_: return code == o32::segv_maperr ? "SEGV_MAPERR" : code == o32::segv_accerr ? "SEGV_ACCERR" : "";
    case GuestSignal::SIGBUS_: return code == o32::bus_adraln ? "BUS_ADRALN" : code == o32::bus_adrerr ? "BUS_ADRERR" : "";
    case GuestSignal::SIGTRAP_: return code == o32::trap_brkpt ? "TRAP_BRKPT" : "";
    case GuestSignal::SIGFPE_: {
        constexpr std::string_view names[] = {"", "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF",
                                              "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV"};
        return code > 0 && code < static_cast<int32_t>(std::size(names)) ? names[code] : "";
    }
    default: return "";
    }
}

// "[USR1 TERM]": a signal set as strace shows it.
std::string signal_set_text(const GuestSignalSet& set)
{
    std::string text;
    for (unsigned signal = 1; signal <= guest_signal_count; ++signal) {
        if (!set.contains(signal))
            continue;
        std::string_view name = guest_signal_name(signal);
        text += text.empty() ? "" : " ";
        text += name.starts_with("SIG") ? std::string(name.substr(3)) : fmt::format("RT_{}", signal - 32);
    }
    return "[" + text + "]";
}

} // namespace

void print_line(Process& process, std::string_view line)
{
    std::FILE* out = process.options().strace_output;
    const GuestThread& thread = process.thread();
    std::string text = &thread != &process.main_thread() ? fmt::format("[pid {}] {}\n", thread.tid, line)
                                                         : fmt::format("{}\n", line);
    // A line that cannot be written (the stream closed, the disk full) is lost; the guest goes on.
    std::fputs(text.c_str(), out);
    std::fflush(out);
}

void trace_signal(Process& process, const o32::Siginfo& info)
{
    if (!process.options().strace)
        return;
    unsigned signal = static_cast<unsigned>(info.si_signo);
    std::string name(guest_signal_name(signal));
    if (!name.starts_with("SIG"))
        name = fmt::format("SIGRT_{}", signal - 32);
    std::string code(signal_code_name(signal, info.si_code));
    if (code.empty())
        code = fmt::format("{}", info.si_code);
    std::string fields;
    switch (static_cast<GuestSignal>(signal)) {
    case GuestSignal::SIGSEGV_:
    case GuestSignal::SIGBUS_:
    case GuestSignal::SIGILL_:
    case GuestSignal::SIGFPE_:
    case GuestSignal::SIGTRAP_:
        if (info.si_code == o32::si_kernel)
            break;
        if (info.si_code > 0) {
            fields = fmt::format(", si_addr={:#x}", info.fields[0]);
            break;
        }
        [[fallthrough]];
    default:
        if (info.si_code <= 0 && info.si_code != o32::si_timer)
            fields = fmt::format(", si_pid={}, si_uid={}", static_cast<int32_t>(info.fields[0]), info.fields[1]);
    }
    print_line(process, fmt::format("--- {} {{si_signo={}, si_code={}{}}} ---", name, name, code, fields));
}

void trace_sigreturn(Process& process, bool rt, const GuestSignalSet& mask, uint32_t result)
{
    if (!process.options().strace)
        return;
    print_line(process, fmt::format("{}({{mask={}}}) = {}", rt ? "rt_sigreturn" : "sigreturn", signal_set_text(mask),
                                    static_cast<int32_t>(result)));
}

void trace_process_end(Process& process, std::string_view how)
{
    if (!process.options().strace)
        return;
    print_line(process, fmt::format("+++ {} +++", how));
}

} // namespace isomorph::process
