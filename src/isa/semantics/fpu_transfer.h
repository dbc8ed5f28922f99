#pragma once

// Coprocessor 1 instructions that move data without computing: loads and stores, moves between
// the general and the floating-point registers, control registers, branches on condition codes,
// MOV.fmt and the conditional moves. None of them changes FCSR.Cause.

#include "isa/semantics/fpu_support.h"

namespace isomorph::isa::semantics {

// ---- Moves to and from the FPU ------------------------------------------------------------------

// mfc1 rt, fs
template <class Core> void MFC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.set_gpr(o.rt, c.cpu.fpu.read_word(o.rd));
}
// mtc1 rt, fs
template <class Core> void MTC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.cpu.fpu.write_word(o.rd, c.gpr(o.rt));
}
// mfhc1 rt, fs
template <class Core> void MFHC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.set_gpr(o.rt, c.cpu.fpu.read_high_word(o.rd));
}
// mthc1 rt, fs
template <class Core> void MTHC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.cpu.fpu.write_high_word(o.rd, c.gpr(o.rt));
}

// cfc1 rt, fs: FIR (0), the FCSR views FCCR (25), FEXR (26) and FENR (28), FCSR (31). The
// registers a 24Kf-class FPU lacks read as FCSR, except UFR (1) and UNFRE (5), which read as zero.
template <class Core> void CFC1(Core& c, const Operands& o)
{
    require_fpu(c);
    const cpu::FpuState& fpu = c.cpu.fpu;
    uint32_t value;
    switch (o.rd) {
    case 0: value = fpu.fir; break;
    case 1:
    case 5: value = 0; break;
    case 25: value = ((fpu.fcsr >> 24) & 0xFE) | ((fpu.fcsr >> 23) & 1); break;
    case 26: value = fpu.fcsr & 0x0003F07C; break;
    case 28: value = (fpu.fcsr & 0x00000F83) | ((fpu.fcsr >> 22) & 4); break;
    default: value = fpu.fcsr; break;
    }
    c.set_gpr(o.rt, value);
}

// ctc1 rt, fs: writes FCCR (25), FEXR (26), FENR (28) or FCSR (31); a write to another register,
// or one that sets a reserved bit of FCCR, FEXR or FENR, is ignored. Setting a Cause bit whose
// exception is enabled (or Cause.E) traps after the write.
template <class Core> void CTC1(Core& c, const Operands& o)
{
    require_fpu(c);
    uint32_t value = c.gpr(o.rt);
    uint32_t& fcsr = c.cpu.fpu.fcsr;
    switch (o.rd) {
    case 25:
        if (value & 0xFFFFFF00)
            return;
        fcsr = (fcsr & 0x017FFFFF) | ((value & 0xFE) << 24) | ((value & 1) << 23);
        break;
    case 26:
        if (value & 0x007C0000)
            return;
        fcsr = (fcsr & 0xFFFC0F83) | (value & 0x0003F07C);
        break;
    case 28:
        if (value & 0x007C0000)
            return;
        fcsr = (fcsr & 0xFEFFF07C) | (value & 0x00000F83) | ((value & 4) << 22);
        break;
    case 31: fcsr = (value & cpu::fcsr::writable_mask) | (fcsr & ~cpu::fcsr::writable_mask); break;
    default: return;
    }
    uint32_t cause = (fcsr & cpu::fcsr::cause_mask) >> cpu::fcsr::cause_shift;
    uint32_t enabled = ((fcsr & cpu::fcsr::enables_mask) >> cpu::fcsr::enables_shift) | cpu::fpu::Unimplemented;
    if (cause & enabled)
        c.raise(ExitKind::FloatingPoint);
}

// ---- Branches on FPU condition codes ------------------------------------------------------------

// bc1f cc, offset
template <class Core> void BC1F(Core& c, const Operands& o)
{
    require_fpu(c);
    branch_if(c, !fpu_condition(c.cpu.fpu, o.cc_high()), branch_target(c, o));
}
// bc1t cc, offset
template <class Core> void BC1T(Core& c, const Operands& o)
{
    require_fpu(c);
    branch_if(c, fpu_condition(c.cpu.fpu, o.cc_high()), branch_target(c, o));
}
// bc1fl cc, offset
template <class Core> void BC1FL(Core& c, const Operands& o)
{
    require_fpu(c);
    branch_likely_if(c, !fpu_condition(c.cpu.fpu, o.cc_high()), branch_target(c, o));
}
// bc1tl cc, offset
template <class Core> void BC1TL(Core& c, const Operands& o)
{
    require_fpu(c);
    branch_likely_if(c, fpu_condition(c.cpu.fpu, o.cc_high()), branch_target(c, o));
}

// ---- Loads and stores ---------------------------------------------------------------------------

// lwc1 ft, offset(base)
template <class Core> void LWC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.cpu.fpu.write_word(o.rt, c.template load<uint32_t>(effective_address(c, o)));
}
// ldc1 ft, offset(base)
template <class Core> void LDC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.cpu.fpu.write_doubleword(o.rt, c.template load<uint64_t>(effective_address(c, o)));
}
// swc1 ft, offset(base)
template <class Core> void SWC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.template store<uint32_t>(effective_address(c, o), c.cpu.fpu.read_word(o.rt));
}
// sdc1 ft, offset(base)
template <class Core> void SDC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.template store<uint64_t>(effective_address(c, o), c.cpu.fpu.read_doubleword(o.rt));
}

// Effective address of an indexed access: base (rs) + index (rt).
template <class Core> inline uint32_t indexed_address(Core& c, const Operands& o) { return c.gpr(o.rs) + c.gpr(o.rt); }

// lwxc1 fd, index(base)
template <class Core> void LWXC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.cpu.fpu.write_word(o.sa, c.template load<uint32_t>(indexed_address(c, o)));
}
// ldxc1 fd, index(base)
template <class Core> void LDXC1(Core& c, const Operands& o)
{
    require_fpu(c);
    require_even_registers(c, o.sa);
    c.cpu.fpu.write_doubleword(o.sa, c.template load<uint64_t>(indexed_address(c, o)));
}
// luxc1 fd, index(base): the address's low three bits are ignored
template <class Core> void LUXC1(Core& c, const Operands& o)
{
    require_fpu(c);
    require_64_bit_registers(c);
    c.cpu.fpu.write_doubleword(o.sa, c.template load<uint64_t>(indexed_address(c, o) & ~7u));
}
// swxc1 fs, index(base)
template <class Core> void SWXC1(Core& c, const Operands& o)
{
    require_fpu(c);
    c.template store<uint32_t>(indexed_address(c, o), c.cpu.fpu.read_word(o.rd));
}
// sdxc1 fs, index(base)
template <class Core> void SDXC1(Core& c, const Operands& o)
{
    require_fpu(c);
    require_even_registers(c, o.rd);
    c.template store<uint64_t>(indexed_address(c, o), c.cpu.fpu.read_doubleword(o.rd));
}
// suxc1 fs, index(base): the address's low three bits are ignored
template <class Core> void SUXC1(Core& c, const Operands& o)
{
    require_fpu(c);
    require_64_bit_registers(c);
    c.template store<uint64_t>(indexed_address(c, o) & ~7u, c.cpu.fpu.read_doubleword(o.rd));
}
// prefx hint, index(base): a hint with no architectural effect; it never touches memory, so it
// never faults, but as a COP1X instruction it needs coprocessor 1 (as in qemu-mipsel)
template <class Core> void PREFX(Core& c, const Operands&) { require_fpu(c); }

// ---- MOV.fmt and the conditional moves ----------------------------------------------------------

// mov.s fd, fs
template <class Core> void MOV_S(Core& c, const Operands& o)
{
    require_fpu(c);
    write_fpr<Single>(c, o.sa, read_fpr<Single>(c, o.rd));
}
// mov.d fd, fs
template <class Core> void MOV_D(Core& c, const Operands& o)
{
    require_fpu(c);
    require_even_registers(c, o.rd | o.sa);
    write_fpr<Double>(c, o.sa, read_fpr<Double>(c, o.rd));
}

// fd = fs when the condition holds. The double forms do not check the register numbers.
template <class F, class Core> inline void conditional_move(Core& c, const Operands& o, bool condition)
{
    require_fpu(c);
    if (condition)
        write_fpr<F>(c, o.sa, read_fpr<F>(c, o.rd));
}

// movf.s fd, fs, cc
template <class Core> void MOVF_S(Core& c, const Operands& o)
{
    conditional_move<Single>(c, o, !fpu_condition(c.cpu.fpu, o.cc_high()));
}
// movt.s fd, fs, cc
template <class Core> void MOVT_S(Core& c, const Operands& o)
{
    conditional_move<Single>(c, o, fpu_condition(c.cpu.fpu, o.cc_high()));
}
// movf.d fd, fs, cc
template <class Core> void MOVF_D(Core& c, const Operands& o)
{
    conditional_move<Double>(c, o, !fpu_condition(c.cpu.fpu, o.cc_high()));
}
// movt.d fd, fs, cc
template <class Core> void MOVT_D(Core& c, const Operands& o)
{
    conditional_move<Double>(c, o, fpu_condition(c.cpu.fpu, o.cc_high()));
}
// movz.s fd, fs, rt
template <class Core> void MOVZ_S(Core& c, const Operands& o) { conditional_move<Single>(c, o, c.gpr(o.rt) == 0); }
// movz.d fd, fs, rt
template <class Core> void MOVZ_D(Core& c, const Operands& o) { conditional_move<Double>(c, o, c.gpr(o.rt) == 0); }
// movn.s fd, fs, rt
template <class Core> void MOVN_S(Core& c, const Operands& o) { conditional_move<Single>(c, o, c.gpr(o.rt) != 0); }
// movn.d fd, fs, rt
template <class Core> void MOVN_D(Core& c, const Operands& o) { conditional_move<Double>(c, o, c.gpr(o.rt) != 0); }

} // namespace isomorph::isa::semantics
