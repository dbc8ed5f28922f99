#include "process/o32/socket.h"

#include <sys/socket.h>

namespace isomorph::process::o32 {

int socket_type_to_host(uint32_t guest)
{
    if (guest & ~(socket_type::mask | socket_type::nonblock | socket_type::close_on_exec))
        return -1;
    uint32_t kind = guest & socket_type::mask;
    int host = kind == socket_type::datagram ? SOCK_DGRAM : kind == socket_type::stream ? SOCK_STREAM : static_cast<int>(kind);
    if (guest & socket_type::nonblock)
        host |= SOCK_NONBLOCK;
    if (guest & socket_type::close_on_exec)
        host |= SOCK_CLOEXEC;
    return host;
}

uint32_t socket_type_to_guest(int host)
{
    return host == SOCK_DGRAM ? socket_type::datagram : host == SOCK_STREAM ? socket_type::stream : static_cast<uint32_t>(host);
}

int socket_flags_to_host(uint32_t guest)
{
    if (guest & ~(socket_type::nonblock | socket_type::close_on_exec))
        return -1;
    return ((guest & socket_type::nonblock) ? SOCK_NONBLOCK : 0) | ((guest & socket_type::close_on_exec) ? SOCK_CLOEXEC : 0);
}

int socket_option_to_host(uint32_t guest)
{
    namespace option = socket_option;
    switch (guest) {
    case option::debug: return SO_DEBUG;
    case option::reuse_address: return SO_REUSEADDR;
    case option::keep_alive: return SO_KEEPALIVE;
    case option::dont_route: return SO_DONTROUTE;
    case option::broadcast: return SO_BROADCAST;
    case option::linger: return SO_LINGER;
    case option::out_of_band_inline: return SO_OOBINLINE;
    case option::reuse_port: return SO_REUSEPORT;
    case option::send_buffer: return SO_SNDBUF;
    case option::receive_buffer: return SO_RCVBUF;
    case option::send_low_water: return SO_SNDLOWAT;
    case option::receive_low_water: return SO_RCVLOWAT;
    case option::send_timeout_old: return SO_SNDTIMEO_OLD;
    case option::receive_timeout_old: return SO_RCVTIMEO_OLD;
    case option::error: return SO_ERROR;
    case option::type: return SO_TYPE;
    case option::accept_connections: return SO_ACCEPTCONN;
    case option::protocol: return SO_PROTOCOL;
    case option::domain: return SO_DOMAIN;
    case option::pass_credentials: return SO_PASSCRED;
    case option::peer_credentials: return SO_PEERCRED;
    case option::peer_security: return SO_PEERSEC;
    case option::send_buffer_force: return SO_SNDBUFFORCE;
    default: break;
    }
    // The numbers MIPS shares with every other architecture: 11, 12, 14, 22 to 29, 33 to 37 and
    // everything from 40 on. The rest are free on MIPS or name another option on the host.
    if (guest == 11 || guest == 12 || guest == 14 || (guest >= 22 && guest <= 29) || (guest >= 33 && guest <= 37) ||
        (guest >= 40 && guest < 0x1000))
        return static_cast<int>(guest);
    return -1;
}

int socket_level_to_host(int32_t guest)
{
    if (guest == sol_socket)
        return SOL_SOCKET;
    if (guest == SOL_SOCKET)
        return -1;
    return guest;
}

int32_t socket_level_to_guest(int host) { return host == SOL_SOCKET ? sol_socket : host; }

} // namespace isomorph::process::o32
