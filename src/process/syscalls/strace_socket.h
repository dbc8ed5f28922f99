#pragma once

// --strace text for the arguments of the socket and epoll calls, with the MIPS numbers:
//   F address family (AF_INET)          T socket type with its flags (SOCK_STREAM|SOCK_CLOEXEC)
//   L socket-option level (SOL_SOCKET)  A socket address; its length is the next argument
//   E epoll_ctl operation (EPOLL_CTL_ADD)

#include <cstdint>
#include <optional>
#include <string>

namespace isomorph::process {

class Process;

// The text of one argument of these kinds; nothing for other kinds.
std::optional<std::string> socket_argument_text(Process& process, char kind, uint32_t value, uint32_t next);

} // namespace isomorph::process
