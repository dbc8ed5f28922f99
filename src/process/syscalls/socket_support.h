#pragma once

// Helpers the socket handlers share (socket.cpp, socket_messages.cpp): socket addresses in and
// out of guest memory, as the kernel's move_addr_to_kernel() and move_addr_to_user() move them.

#include "process/syscalls/support.h"

#include <optional>
#include <sys/socket.h>

namespace isomorph::process::syscalls {

// Reads a socket address of the given length: EINVAL above sizeof(struct sockaddr_storage),
// EFAULT if unreadable. Addresses have the same layout on MIPS, so they are copied as they are.
SyscallResult read_socket_address(Process& process, uint32_t address, uint32_t length, sockaddr_storage& host,
                                  socklen_t& host_length);

// Writes an address the host returned to a guest buffer whose length the word at length_address
// gives: as much as fits is copied, and the word receives the address's full length.
SyscallResult write_socket_address(Process& process, uint32_t address, uint32_t length_address,
                                   const sockaddr_storage& host, socklen_t host_length);

// The host buffer for a guest buffer of count bytes the host kernel reads or fills in place:
// the accessible prefix, as in read and write. Returns the usable length, or -EFAULT.
SyscallResult guest_buffer(Process& process, uint32_t address, uint32_t count, uint8_t protection, void*& host);

// The ioctl requests on sockets (socket_ioctl.cpp); nothing for a request it does not know.
std::optional<SyscallResult> socket_ioctl(Process& process, int fd, uint32_t request, uint32_t argument);

} // namespace isomorph::process::syscalls
