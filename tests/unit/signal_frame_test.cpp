// The o32 signal frame: offsets glibc's ucontext_t, mcontext_t and siginfo_t read (as
// mipsel-linux-gnu's <sys/ucontext.h> and <bits/types/siginfo_t.h> lay them out), and the round
// trip of the interrupted state through a sigcontext.
#include "process/o32/signal_frame.h"
#include "process/signal_delivery.h"

#include <gtest/gtest.h>

namespace isomorph::process {
namespace {

using o32::RtSigframe;
using o32::Sigcontext;
using o32::Sigframe;
using o32::Siginfo;
using o32::Ucontext;

// mcontext_t: regmask, status, pc, gregs[32], fpregs[32], fp_owned, fpc_csr, fpc_eir, used_math,
// dsp, mdhi, mdlo, then the DSP accumulators.
static_assert(offsetof(Sigcontext, sc_regs) + 8 * 29 == 248); // gregs[29], the stack pointer
static_assert(offsetof(Sigcontext, sc_fpregs) == offsetof(Sigcontext, sc_regs) + 256);
static_assert(offsetof(Sigcontext, sc_acx) == 528 && offsetof(Sigcontext, sc_dsp) == 544);
static_assert(offsetof(Sigcontext, sc_hi1) == 568 && offsetof(Sigcontext, sc_lo3) == 588);
// ucontext_t: uc_flags, uc_link, uc_stack {ss_sp, ss_size, ss_flags}, uc_mcontext, uc_sigmask.
static_assert(offsetof(Ucontext, uc_link) == 4 && offsetof(Ucontext, uc_stack) + 8 == 16);
static_assert(offsetof(Ucontext, uc_mcontext) + offsetof(Sigcontext, sc_pc) == 32);
// siginfo_t on MIPS: si_signo, si_code, si_errno, then si_addr or si_pid, si_uid.
static_assert(offsetof(Siginfo, si_code) == 4 && offsetof(Siginfo, si_errno) == 8);
// The non-RT frame's sigcontext and mask sit where a ucontext's would from uc_mcontext on.
static_assert(offsetof(Sigframe, sf_mask) - offsetof(Sigframe, sf_sc) ==
              offsetof(Ucontext, uc_sigmask) - offsetof(Ucontext, uc_mcontext));
static_assert(offsetof(RtSigframe, rs_uc) + offsetof(Ucontext, uc_mcontext) == 176);

cpu::CpuState sample_state(bool fr) {
    cpu::CpuState cpu;
    for (unsigned index = 1; index < 32; ++index)
        cpu.gpr[index] = 0x01010101u * index + 0x80000000u;
    cpu.hi = 0xDEADBEEF;
    cpu.lo = 0x12345678;
    cpu.fpu.fr = fr;
    for (unsigned index = 0; index < 32; ++index)
        cpu.fpu.fpr[index] = fr ? 0x1122334455667700ull + index : 0x40000000u + index;
    cpu.fpu.fcsr = 0x01000F83;
    cpu.jump_to(0x00400120);
    return cpu;
}

TEST(SignalFrame, SavesTheInterruptedState) {
    cpu::CpuState cpu = sample_state(true);
    Sigcontext context;
    save_sigcontext(cpu, context);
    EXPECT_EQ(context.sc_pc, 0x00400120u);
    EXPECT_EQ(context.sc_regs[0], 0u);
    EXPECT_EQ(context.sc_regs[31], uint64_t{cpu.gpr[31]}); // zero-extended, as a 32-bit kernel stores it
    EXPECT_EQ(context.sc_mdhi, 0xDEADBEEFu);
    EXPECT_EQ(context.sc_mdlo, 0x12345678u);
    EXPECT_EQ(context.sc_fpregs[5], 0x1122334455667705ull);
    EXPECT_EQ(context.sc_fpc_csr, 0x01000F83u);
    EXPECT_EQ(context.sc_used_math, 1u);
}

TEST(SignalFrame, DelaySlotSavesTheBranch) {
    cpu::CpuState cpu = sample_state(false);
    cpu.pc = 0x00400204;
    cpu.next_pc = 0x00400800;
    cpu.delay_slot = true;
    Sigcontext context;
    save_sigcontext(cpu, context);
    EXPECT_EQ(context.sc_pc, 0x00400200u);
}

TEST(SignalFrame, ThirtyTwoBitRegistersPairInTheEvenSlot) {
    cpu::CpuState cpu = sample_state(false);
    Sigcontext context;
    save_sigcontext(cpu, context);
    EXPECT_EQ(context.sc_fpregs[2], 0x4000000340000002ull);
}

TEST(SignalFrame, RoundTripRestoresEverythingAndResumesAtThePc) {
    for (bool fr : {false, true}) {
        cpu::CpuState original = sample_state(fr);
        Sigcontext context;
        save_sigcontext(original, context);
        context.sc_pc += 4; // a handler skipping the instruction
        context.sc_regs[9] = 0xCAFE;

        cpu::CpuState restored;
        restored.fpu.fr = fr;
        restored.delay_slot = true;
        restored.link_valid = true;
        restore_sigcontext(restored, context);
        EXPECT_EQ(restored.pc, 0x00400124u);
        EXPECT_EQ(restored.next_pc, 0x00400128u);
        EXPECT_FALSE(restored.delay_slot);
        EXPECT_FALSE(restored.link_valid);
        EXPECT_EQ(restored.gpr[9], 0xCAFEu);
        for (unsigned index = 1; index < 32; ++index)
            if (index != 9) {
                EXPECT_EQ(restored.gpr[index], original.gpr[index]) << index;
            }
        EXPECT_EQ(restored.hi, original.hi);
        EXPECT_EQ(restored.lo, original.lo);
        for (unsigned index = 0; index < 32; ++index)
            EXPECT_EQ(restored.fpu.read_word(index), original.fpu.read_word(index)) << index;
        if (fr) {
            EXPECT_EQ(restored.fpu.fpr, original.fpu.fpr);
        }
        EXPECT_EQ(restored.fpu.fcsr, original.fpu.fcsr);
    }
}

} // namespace
} // namespace isomorph::process
