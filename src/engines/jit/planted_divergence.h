#pragma once

// A test-only fault injection for the lockstep mode (docs/jit.md): with
// ISOMORPH_JIT_PLANT_DIVERGENCE=ROW in the environment, the translator translates every
// instruction of that instruction-table row as a slightly different one, so that translated code
// computes a wrong result the lockstep mode must find. Rows with an immediate operand (ADDIU,
// ADDI, ORI, XORI, ANDI, SLTI, SLTIU) add one to the immediate; the stores SB, SH and SW store
// the register next to rt (rt ^ 1) instead of rt. Never set it outside tests.

#include "engines/jit/frontend.h"

namespace isomorph::engines::jit {

// Rewrites the instructions of guest that the variable names; does nothing when it is unset.
void plant_divergence(GuestBlock& guest);

} // namespace isomorph::engines::jit
