#pragma once

// The rows the translator handles natively, with host instructions emitted inline
// (engines/jit/emitter.cpp). Every other row is translated into a call of its helper, which runs
// the shared semantics (engines/jit/helpers.h). A unit test checks that this table and the
// emitter agree.

#include "isa/instruction.h"

#include <algorithm>
#include <array>

namespace isomorph::engines::jit {

using isa::Opcode;

inline constexpr std::array native_opcodes{
    // Shifts and rotates
    Opcode::SLL, Opcode::SRL, Opcode::SRA, Opcode::ROTR, Opcode::SLLV, Opcode::SRLV, Opcode::SRAV, Opcode::ROTRV,
    // Three-register arithmetic, logic and comparisons
    Opcode::ADDU, Opcode::SUBU, Opcode::AND, Opcode::OR, Opcode::XOR, Opcode::NOR, Opcode::SLT, Opcode::SLTU,
    Opcode::MOVZ, Opcode::MOVN,
    // Immediates
    Opcode::ADDIU, Opcode::SLTI, Opcode::SLTIU, Opcode::ANDI, Opcode::ORI, Opcode::XORI, Opcode::LUI,
    // HI/LO and multiplication
    Opcode::MFHI, Opcode::MFLO, Opcode::MTHI, Opcode::MTLO, Opcode::MULT, Opcode::MULTU, Opcode::MUL,
    Opcode::MADD, Opcode::MADDU, Opcode::MSUB, Opcode::MSUBU, Opcode::DIV, Opcode::DIVU,
    // Traps on a register comparison: the helper raises when they trap
    Opcode::TEQ, Opcode::TNE,
    // SPECIAL3 and bit counting
    Opcode::SEB, Opcode::SEH, Opcode::WSBH, Opcode::EXT, Opcode::INS, Opcode::CLZ,
    // Hardware registers: UserLocal (the thread pointer) and the constant ones; CC runs its helper
    Opcode::RDHWR,
    // Loads and stores: one host access against the guest memory base
    Opcode::LB, Opcode::LBU, Opcode::LH, Opcode::LHU, Opcode::LW, Opcode::SB, Opcode::SH, Opcode::SW,
    Opcode::LWL, Opcode::LWR, Opcode::SWL, Opcode::SWR,
    Opcode::LWC1, Opcode::SWC1, Opcode::LDC1, Opcode::SDC1,
    // Floating-point arithmetic: inline when it raises nothing or only Inexact, else the helper
    Opcode::ADD_S, Opcode::ADD_D, Opcode::SUB_S, Opcode::SUB_D, Opcode::MUL_S, Opcode::MUL_D, Opcode::DIV_S,
    Opcode::DIV_D,
    // Branches and jumps
    Opcode::BEQ, Opcode::BNE, Opcode::BLEZ, Opcode::BGTZ, Opcode::BLTZ, Opcode::BGEZ, Opcode::BEQL, Opcode::BNEL,
    Opcode::BLEZL, Opcode::BGTZL, Opcode::BLTZL, Opcode::BGEZL, Opcode::BLTZAL, Opcode::BGEZAL, Opcode::BLTZALL,
    Opcode::BGEZALL, Opcode::J, Opcode::JAL, Opcode::JR, Opcode::JR_HB, Opcode::JALR, Opcode::JALR_HB,
    // No visible effect in user mode
    Opcode::SYNC, Opcode::PREF,
};

constexpr bool is_fpu_arithmetic(Opcode opcode)
{
    switch (opcode) {
    case Opcode::ADD_S: case Opcode::ADD_D: case Opcode::SUB_S: case Opcode::SUB_D:
    case Opcode::MUL_S: case Opcode::MUL_D: case Opcode::DIV_S: case Opcode::DIV_D: return true;
    default: return false;
    }
}

constexpr bool is_native(Opcode opcode)
{
    return std::find(native_opcodes.begin(), native_opcodes.end(), opcode) != native_opcodes.end();
}

// One instruction: as its row, except that RDHWR is native only for UserLocal (29) and the constant
// registers CPUNum, SYNCI_Step and CCRes (0, 1, 3); CC (2), which counts retired instructions, and
// the reserved numbers run the helper like any row that is not native.
constexpr bool is_native(const isa::DecodedInstruction& instruction)
{
    if (instruction.opcode == Opcode::RDHWR) {
        unsigned number = instruction.operands.rd;
        return number == 29 || number == 0 || number == 1 || number == 3;
    }
    return is_native(instruction.opcode);
}

} // namespace isomorph::engines::jit
