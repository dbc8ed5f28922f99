#pragma once

// Flag and number translations between Linux/MIPS o32 and the host where the two ABIs differ.
// Where the numbers agree (access modes, AT_* flags, clock ids, st_mode bits, lseek whence,
// d_type, prot bits, prctl options) the handlers pass values through unchanged.

#include "process/o32/layouts.h"

#include <cstdint>
#include <termios.h>

namespace isomorph::process::o32 {

// open(2) flags (arch/mips/include/uapi/asm/fcntl.h).
namespace open_flag {
constexpr uint32_t append = 0x0008;
constexpr uint32_t dsync = 0x0010;
constexpr uint32_t nonblock = 0x0080;
constexpr uint32_t create = 0x0100;
constexpr uint32_t truncate = 0x0200;
constexpr uint32_t exclusive = 0x0400;
constexpr uint32_t no_controlling_tty = 0x0800;
constexpr uint32_t async = 0x1000;
constexpr uint32_t large_file = 0x2000;
constexpr uint32_t sync = 0x4000; // __O_SYNC; O_SYNC is __O_SYNC | O_DSYNC
constexpr uint32_t direct = 0x8000;
constexpr uint32_t directory = 0x10000;
constexpr uint32_t no_follow = 0x20000;
constexpr uint32_t no_access_time = 0x40000;
constexpr uint32_t close_on_exec = 0x80000;
constexpr uint32_t path = 0x200000;
constexpr uint32_t temporary_file = 0x400000; // __O_TMPFILE
} // namespace open_flag

int open_flags_to_host(uint32_t guest);
uint32_t open_flags_to_guest(int host);

// fcntl(2) commands that MIPS numbers differently from x86.
namespace fcntl_command {
constexpr uint32_t get_lock = 14;
constexpr uint32_t set_lock = 6;
constexpr uint32_t set_lock_wait = 7;
constexpr uint32_t set_owner = 24;
constexpr uint32_t get_owner = 23;
constexpr uint32_t get_lock64 = 33;
constexpr uint32_t set_lock64 = 34;
constexpr uint32_t set_lock_wait64 = 35;
} // namespace fcntl_command

// poll(2) events: MIPS has POLLWRNORM equal to POLLOUT and POLLWRBAND at 0x100.
short poll_events_to_host(uint16_t guest);
uint16_t poll_events_to_guest(short host);

// Resource numbers of getrlimit/setrlimit/prlimit64: MIPS moves NOFILE, AS, RSS, NPROC and
// MEMLOCK. Returns -1 for a number the host does not know.
int resource_to_host(uint32_t guest);

// The kernel's struct termios: MIPS orders the control characters and a few local-mode flags
// (IEXTEN, TOSTOP, FLUSHO) differently from x86.
Termios termios_to_guest(const struct termios& host);
void termios_to_host(const Termios& guest, struct termios& host);

// mmap(2) flags (arch/mips/include/uapi/asm/mman.h); these are interpreted, not translated.
namespace map_flag {
constexpr uint32_t shared = 0x001;
constexpr uint32_t private_ = 0x002;
constexpr uint32_t shared_validate = 0x003;
constexpr uint32_t type_mask = 0x00f;
constexpr uint32_t fixed = 0x010;
constexpr uint32_t no_reserve = 0x0400;
constexpr uint32_t anonymous = 0x0800;
constexpr uint32_t grows_down = 0x1000;
constexpr uint32_t deny_write = 0x2000;
constexpr uint32_t executable = 0x4000;
constexpr uint32_t locked = 0x8000;
constexpr uint32_t populate = 0x10000;
constexpr uint32_t non_block = 0x20000;
constexpr uint32_t stack = 0x40000;
constexpr uint32_t huge_tlb = 0x80000;
constexpr uint32_t fixed_noreplace = 0x100000;
} // namespace map_flag

// Signal-mask operations of rt_sigprocmask: MIPS counts from 1.
constexpr uint32_t sig_block = 1;
constexpr uint32_t sig_unblock = 2;
constexpr uint32_t sig_setmask = 3;

// Signal-action flags (arch/mips/include/uapi/asm/signal.h).
constexpr uint32_t sa_nocldstop = 0x00000001;
constexpr uint32_t sa_siginfo = 0x00000008;
constexpr uint32_t sa_nocldwait = 0x00010000;
constexpr uint32_t sa_onstack = 0x08000000;
constexpr uint32_t sa_restart = 0x10000000;
constexpr uint32_t sa_nodefer = 0x40000000;
constexpr uint32_t sa_resethand = 0x80000000;

// RLIM_INFINITY of the 32-bit getrlimit/setrlimit on MIPS.
constexpr uint32_t rlimit_infinity32 = 0x7FFFFFFF;

} // namespace isomorph::process::o32
