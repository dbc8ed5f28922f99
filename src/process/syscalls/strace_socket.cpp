#include "process/syscalls/strace_socket.h"

#include "process/o32/socket.h"
#include "process/process.h"

#include <arpa/inet.h>
#include <cstring>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

namespace isomorph::process {

namespace {

std::string family_text(uint32_t family)
{
    switch (family) {
    case AF_UNSPEC: return "AF_UNSPEC";
    case AF_UNIX: return "AF_UNIX";
    case AF_INET: return "AF_INET";
    case AF_INET6: return "AF_INET6";
    case AF_NETLINK: return "AF_NETLINK";
    case AF_PACKET: return "AF_PACKET";
    default: return fmt::format("{}", family);
    }
}

std::string type_text(uint32_t type)
{
    namespace t = o32::socket_type;
    constexpr std::string_view names[] = {"0",          "SOCK_DGRAM", "SOCK_STREAM", "SOCK_RAW",
                                          "SOCK_RDM",   "SOCK_SEQPACKET", "SOCK_DCCP"};
    uint32_t kind = type & t::mask;
    std::string text = kind < std::size(names) ? std::string(names[kind])
                       : kind == 10           ? std::string("SOCK_PACKET")
                                              : fmt::format("{}", kind);
    if (type & t::nonblock)
        text += "|SOCK_NONBLOCK";
    if (type & t::close_on_exec)
        text += "|SOCK_CLOEXEC";
    if (uint32_t rest = type & ~(t::mask | t::nonblock | t::close_on_exec))
        text += fmt::format("|{:#x}", rest);
    return text;
}

std::string level_text(uint32_t level)
{
    switch (level) {
    case o32::sol_socket: return "SOL_SOCKET";
    case IPPROTO_IP: return "SOL_IP";
    case IPPROTO_TCP: return "SOL_TCP";
    case IPPROTO_UDP: return "SOL_UDP";
    case IPPROTO_IPV6: return "SOL_IPV6";
    default: return fmt::format("{}", level);
    }
}

std::string address_text(Process& process, uint32_t address, uint32_t length)
{
    if (address == 0)
        return "NULL";
    sockaddr_storage storage{};
    if (length < sizeof(sa_family_t) || length > sizeof storage ||
        !process.memory().copy_from_guest(&storage, address, length))
        return fmt::format("{:#x}", address);
    char text[INET6_ADDRSTRLEN] = {};
    switch (storage.ss_family) {
    case AF_INET: {
        auto* in = reinterpret_cast<const sockaddr_in*>(&storage);
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
        return fmt::format("{{sa_family=AF_INET, sin_port=htons({}), sin_addr=inet_addr(\"{}\")}}", ntohs(in->sin_port),
                           text);
    }
    case AF_INET6: {
        auto* in6 = reinterpret_cast<const sockaddr_in6*>(&storage);
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        return fmt::format("{{sa_family=AF_INET6, sin6_port=htons({}), sin6_addr=\"{}\"}}", ntohs(in6->sin6_port), text);
    }
    case AF_UNIX: {
        auto* un = reinterpret_cast<const sockaddr_un*>(&storage);
        size_t path_length = length - offsetof(sockaddr_un, sun_path);
        if (path_length > 0 && un->sun_path[0] == '\0')
            return fmt::format("{{sa_family=AF_UNIX, sun_path=@\"{}\"}}", std::string(un->sun_path + 1, path_length - 1));
        return fmt::format("{{sa_family=AF_UNIX, sun_path=\"{}\"}}", std::string(un->sun_path, strnlen(un->sun_path, path_length)));
    }
    default: return fmt::format("{{sa_family={}, ...}}", family_text(storage.ss_family));
    }
}

} // namespace

std::optional<std::string> socket_argument_text(Process& process, char kind, uint32_t value, uint32_t next)
{
    switch (kind) {
    case 'F': return family_text(value);
    case 'T': return type_text(value);
    case 'L': return level_text(value);
    case 'A': return address_text(process, value, next);
    case 'E': {
        constexpr std::string_view names[] = {"0", "EPOLL_CTL_ADD", "EPOLL_CTL_DEL", "EPOLL_CTL_MOD"};
        return value < std::size(names) ? std::string(names[value]) : fmt::format("{}", value);
    }
    default: return std::nullopt;
    }
}

} // namespace isomorph::process
