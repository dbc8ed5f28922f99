#pragma once

#include <string>
#include <vector>

namespace isomorph::process {

class Process;

// execve for the guest. A MIPS o32 ELF continues under Isomorph: the host process re-executes
// the emulator (/proc/self/exe) with the same engine, -L sysroot and --strace, the guest's argv
// (argv[0] included) and the guest's environment as its own. A script runs its #! interpreter,
// looked up like any guest path (under the sysroot first). Anything else fails with ENOEXEC, as
// qemu-mipsel's ELF loader does for a file that is not a MIPS executable.
//
// Returns only on failure, with the host errno value to report.
int execute_guest_program(Process& process, std::string guest_path, std::vector<std::string> arguments,
                          std::vector<std::string> environment);

// The emulator's argv that runs a guest program (exposed for tests).
std::vector<std::string> emulator_arguments(const Process& process, const std::string& host_program,
                                            const std::vector<std::string>& arguments);

} // namespace isomorph::process
