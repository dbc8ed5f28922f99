#pragma once

// A run of consecutive guest instructions, [start, end). A translated block follows one or more
// of them: its guest code is contiguous except where it follows a jump that always goes to the
// same place (engines/jit/frontend.h), and the lockstep mode's reference run follows the same path.

#include <cstdint>
#include <span>

namespace isomorph::engines {

struct GuestRange {
    uint32_t start = 0;
    uint32_t end = 0; // the address after the last instruction

    bool contains(uint32_t pc) const { return pc - start < end - start; }
    uint32_t length() const { return (end - start) / 4; }
};

// The address after pc on the path, or none (0 with false) when pc is the path's last instruction
// or not on it.
inline bool next_on_path(std::span<const GuestRange> path, uint32_t pc, uint32_t& next)
{
    for (size_t index = 0; index < path.size(); ++index) {
        if (!path[index].contains(pc))
            continue;
        if (pc + 4 != path[index].end) {
            next = pc + 4;
            return true;
        }
        if (index + 1 == path.size())
            return false;
        next = path[index + 1].start;
        return true;
    }
    return false;
}

} // namespace isomorph::engines
