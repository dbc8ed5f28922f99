#pragma once

// /proc/self/maps as the guest's kernel would show it: the guest's own regions (its program and
// interpreter, the heap, the stack, mmap regions, the signal-return page) in the 32-bit kernel's
// format, instead of the emulator's host mappings.

#include <string>

namespace isomorph::process {

class Process;

// Whether a host path (after -L translation) names the calling process's maps file:
// /proc/self/maps, /proc/PID/maps, /proc/thread-self/maps or /proc/PID/task/TID/maps.
bool names_own_maps(const std::string& path);

// The text of the guest's /proc/self/maps.
std::string guest_memory_map(Process& process);

// A descriptor open for reading on a fresh copy of the guest's maps text (an anonymous memory
// file), or -errno.
int open_guest_memory_map(Process& process, bool close_on_exec);

} // namespace isomorph::process
