#pragma once

#include <array>
#include <cstdint>

namespace isomorph::cpu {

// Coprocessor 1 state. Registers are kept as 64-bit slots in both register modes:
// with Status.FR = 0 a single is the low word of its slot and a double spans the low words
// of an even/odd pair of slots; with FR = 1 every slot holds a whole double.
struct FpuState {
    std::array<uint64_t, 32> fpr{};
    uint32_t fcsr = 0;
    // FIR of a 24Kf-class FPU: F64, L, W, D and S implemented; processor ID and revision.
    uint32_t fir = 0x00739300;
    bool fr = false; // Status.FR: 64-bit floating-point registers
    bool enabled = true; // Status.CU1
};

} // namespace isomorph::cpu
