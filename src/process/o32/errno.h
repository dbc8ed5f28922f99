#pragma once

#include <string_view>

namespace isomorph::process::o32 {

// Linux/MIPS error numbers (arch/mips/include/uapi/asm/errno.h). Numbers 1 to 34 are the same as
// on every Linux architecture; from 35 on, MIPS numbers its errors its own way (ENOSYS is 89,
// ENOTEMPTY 93, EDQUOT 1133), so every host error a system call reports is translated.

// The guest's number for a host errno value; EINVAL for a host value MIPS does not have.
int guest_errno(int host_errno);

// The host's number for a guest errno value, 0 if there is none.
int host_errno(int guest_errno);

// "ENOENT" for a host errno value, or "E?" when it has no name.
std::string_view errno_name(int host_errno);

} // namespace isomorph::process::o32
