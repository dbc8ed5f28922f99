#pragma once

// The o32 signal frame as Linux/MIPS builds it on the user stack (arch/mips/kernel/signal.c,
// uapi asm/sigcontext.h, asm/ucontext.h, asm/siginfo.h) and as qemu-mipsel builds it
// (linux-user/mips/signal.c): the layouts glibc's ucontext_t and siginfo_t read.

#include <array>
#include <cstddef>
#include <cstdint>

namespace isomorph::process::o32 {

// struct sigcontext (o32): 64-bit slots for the PC, the GPRs and the FPU registers, whatever
// the register width.
struct Sigcontext {
    uint32_t sc_regmask; // unused
    uint32_t sc_status;  // unused
    uint64_t sc_pc;      // where the interrupted code resumes (the branch for a delay slot)
    std::array<uint64_t, 32> sc_regs;
    std::array<uint64_t, 32> sc_fpregs;
    uint32_t sc_acx;
    uint32_t sc_fpc_csr; // FCSR
    uint32_t sc_fpc_eir; // unused
    uint32_t sc_used_math;
    uint32_t sc_dsp;
    uint64_t sc_mdhi;                                        // HI
    uint64_t sc_mdlo;                                        // LO
    uint32_t sc_hi1, sc_lo1, sc_hi2, sc_lo2, sc_hi3, sc_lo3; // DSP accumulators
};
static_assert(offsetof(Sigcontext, sc_pc) == 8 && offsetof(Sigcontext, sc_regs) == 16);
static_assert(offsetof(Sigcontext, sc_fpregs) == 272 && offsetof(Sigcontext, sc_fpc_csr) == 532);
static_assert(offsetof(Sigcontext, sc_used_math) == 540 && offsetof(Sigcontext, sc_mdhi) == 552);
static_assert(offsetof(Sigcontext, sc_mdlo) == 560 && sizeof(Sigcontext) == 592);

// stack_t (IRIX order: the size before the flags).
struct SignalStack {
    uint32_t ss_sp;
    uint32_t ss_size;
    int32_t ss_flags;
};
static_assert(sizeof(SignalStack) == 12);

// struct ucontext: the machine context is 8-byte aligned, after the stack.
struct Ucontext {
    uint32_t uc_flags;
    uint32_t uc_link;
    SignalStack uc_stack;
    uint32_t padding; // alignment of uc_mcontext
    Sigcontext uc_mcontext;
    std::array<uint32_t, 4> uc_sigmask; // 128 signals
};
static_assert(offsetof(Ucontext, uc_stack) == 8 && offsetof(Ucontext, uc_mcontext) == 24);
static_assert(offsetof(Ucontext, uc_sigmask) == 616 && sizeof(Ucontext) == 632);

// siginfo_t (MIPS): si_code comes before si_errno, unlike every other architecture. The union
// starts at byte 12; the whole structure is 128 bytes.
struct Siginfo {
    int32_t si_signo;
    int32_t si_code;
    int32_t si_errno;
    std::array<uint32_t, 29> fields; // si_addr, or si_pid and si_uid, or the timer's words
};
static_assert(offsetof(Siginfo, fields) == 12 && sizeof(Siginfo) == 128);

// The frame of a handler installed without SA_SIGINFO: the handler gets (signal, 0, &sf_sc).
// From sf_sc on it matches struct ucontext from uc_mcontext on, so sf_mask is the saved mask.
struct Sigframe {
    std::array<uint32_t, 4> sf_ass;  // argument save area of the o32 calling convention
    std::array<uint32_t, 2> sf_code; // once the return trampoline; unused
    Sigcontext sf_sc;
    std::array<uint32_t, 4> sf_mask;
};
static_assert(offsetof(Sigframe, sf_sc) == 24 && offsetof(Sigframe, sf_mask) == 616 &&
              sizeof(Sigframe) == 632);

// The frame of a SA_SIGINFO handler: (signal, &rs_info, &rs_uc).
struct RtSigframe {
    std::array<uint32_t, 4> rs_ass;
    std::array<uint32_t, 2> rs_code;
    Siginfo rs_info;
    Ucontext rs_uc;
};
static_assert(offsetof(RtSigframe, rs_info) == 24 && offsetof(RtSigframe, rs_uc) == 152);
static_assert(sizeof(RtSigframe) == 784);

// si_code values (asm-generic/siginfo.h with MIPS's own SI_TIMER and neighbours).
constexpr int32_t si_user = 0;
constexpr int32_t si_kernel = 0x80;
constexpr int32_t si_queue = -1;
constexpr int32_t si_timer = -3;
constexpr int32_t si_tkill = -6;
constexpr int32_t ill_illopc = 1;
constexpr int32_t trap_brkpt = 1;
constexpr int32_t fpe_intdiv = 1, fpe_intovf = 2, fpe_fltdiv = 3, fpe_fltovf = 4, fpe_fltund = 5,
                  fpe_fltres = 6, fpe_fltinv = 7, fpe_fltunk = 14;
constexpr int32_t segv_maperr = 1, segv_accerr = 2;
constexpr int32_t bus_adraln = 1, bus_adrerr = 2;

// sigaltstack flags.
constexpr int32_t ss_onstack = 1;
constexpr int32_t ss_disable = 2;

} // namespace isomorph::process::o32
