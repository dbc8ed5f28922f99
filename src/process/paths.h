#pragma once

#include <optional>
#include <string>

namespace isomorph::process {

// How guest path names reach the host file system; the one place that knows about -L.
//
// With a sysroot (-L ROOT), an absolute guest path is looked up under ROOT first and used from
// there when it exists there; otherwise it names the host file, as QEMU's -L does. Relative paths
// are never rewritten: they resolve against the current directory or a directory descriptor.
// The magic link /proc/self/exe (and /proc/PID/exe for the guest's own PID) names the guest
// program, not the emulator.
class PathTranslator {
public:
    PathTranslator() = default;
    PathTranslator(std::string sysroot, std::string program);

    // The host path to hand to the host kernel for a path the guest passed.
    std::string to_host(const std::string& guest_path) const;

    // What readlink reports for a magic link the emulator answers itself, if guest_path is one.
    std::optional<std::string> magic_link_target(const std::string& guest_path) const;

    const std::string& sysroot() const { return m_sysroot; }

private:
    bool names_own_executable(const std::string& guest_path) const;

    std::string m_sysroot;         // without a trailing slash; empty without -L
    std::string m_program;         // the program's absolute host path
};

} // namespace isomorph::process
