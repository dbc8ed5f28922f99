#pragma once

#include <optional>
#include <string>

namespace isomorph::process {

// Files under /proc whose host contents would describe the wrong machine. For such a guest path
// this returns the host path of a file with the MIPS machine's contents, written on first use
// (into $TMPDIR/isomorph-UID/, or /tmp). So far: /proc/cpuinfo, as Linux shows it on a
// single-CPU MIPS 24Kc.
std::optional<std::string> emulated_proc_file(const std::string& guest_path);

} // namespace isomorph::process
