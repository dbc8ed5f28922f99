#!/usr/bin/env python3
"""Error-path tests for the isomorph command line (ctest label "cli").

Each case runs isomorph on something wrong (a malformed ELF file, a bad command line, a guest
that faults) and checks the exact one-line message on stderr and the exit status, and that the
host process did not crash: no sanitizer report, no core, no host signal other than the one the
guest's fault asked for. docs/errors.md lists every message with the case that tests it.

Usage: check_errors.py --list
       check_errors.py --isomorph PATH --case NAME [--guest-programs DIR] [--cli-programs DIR]
                       [--nm PATH] [--cross-tools]
Exit status 0 on success, 1 on failure, 77 when the case cannot run here (ctest SKIP_RETURN_CODE).
"""

import argparse
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

SKIP = 77

# ELF constants (System V gABI; MIPS supplement).
ET_REL, ET_EXEC, ET_DYN, ET_CORE = 1, 2, 3, 4
EM_386, EM_MIPS, EM_ARM, EM_X86_64 = 3, 8, 40, 62
PT_LOAD, PT_INTERP, PT_GNU_STACK = 1, 3, 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4
FLAGS_MIPS32R2_O32 = 0x70001000  # EF_MIPS_ARCH_32R2 | EF_MIPS_ABI_O32

BASE = 0x00400000
CODE_OFFSET = 0x100


def encode_immediate(opcode, rs, rt, immediate):
    return (opcode << 26) | (rs << 21) | (rt << 16) | (immediate & 0xFFFF)


SYSCALL = 0x0000000C


def exit_with(status):
    """li $a0, status; li $v0, 4001 (exit); syscall"""
    return [encode_immediate(0x09, 0, 4, status), encode_immediate(0x09, 0, 2, 4001), SYSCALL]


def exit_with_word_at(address):
    """lui $t0, %hi; lw $a0, %lo($t0); li $v0, 4001; syscall -- exits with the word at address."""
    high = (address + 0x8000) >> 16
    return [encode_immediate(0x0F, 0, 8, high), encode_immediate(0x23, 8, 4, address - (high << 16)),
            encode_immediate(0x09, 0, 2, 4001), SYSCALL]


class Elf:
    """A minimal static mipsel executable that exits with status 42, built field by field so that
    each case can break exactly one thing. Layout: ELF header, program headers, code at 0x100, all
    in one PT_LOAD at BASE (like a real static binary's text segment)."""

    def __init__(self):
        self.ident = bytearray(b"\x7fELF" + bytes([1, 1, 1]) + bytes(9))  # 32-bit, little-endian
        self.type = ET_EXEC
        self.machine = EM_MIPS
        self.version = 1
        self.entry = BASE + CODE_OFFSET
        self.phoff = 52
        self.flags = FLAGS_MIPS32R2_O32
        self.ehsize = 52
        self.phentsize = 32
        self.phnum = None  # None: the number of segments
        self.code = exit_with(42)
        self.extra = {}  # file offset -> bytes placed after the code
        self.size = None  # None: just large enough
        self.segments = [dict(type=PT_LOAD, offset=0, vaddr=BASE, filesz=None, memsz=None, flags=PF_R | PF_X)]

    def content_end(self):
        end = CODE_OFFSET + 4 * len(self.code)
        for offset, data in self.extra.items():
            end = max(end, offset + len(data))
        return end

    def build(self):
        end = self.content_end()
        data = bytearray(max(end, self.size or 0))
        header = struct.pack("<16sHHIIIIIHHHHHH", bytes(self.ident), self.type, self.machine, self.version, self.entry,
                             self.phoff, 0, self.flags, self.ehsize, self.phentsize,
                             len(self.segments) if self.phnum is None else self.phnum, 40, 0, 0)
        data[0:len(header)] = header
        for index, segment in enumerate(self.segments):
            filesz = end if segment["filesz"] is None else segment["filesz"]
            memsz = filesz if segment["memsz"] is None else segment["memsz"]
            entry = struct.pack("<IIIIIIII", segment["type"], segment["offset"], segment["vaddr"], segment["vaddr"],
                                filesz, memsz, segment["flags"], 0x1000)
            position = self.phoff + 32 * index
            if position + 32 <= len(data):
                data[position:position + 32] = entry
        data[CODE_OFFSET:CODE_OFFSET + 4 * len(self.code)] = struct.pack(f"<{len(self.code)}I", *self.code)
        for offset, extra in self.extra.items():
            data[offset:offset + len(extra)] = extra
        if self.size is not None:
            del data[self.size:]
        return bytes(data)


class Result:
    def __init__(self, raw_status, stdout, stderr, max_rss_kib, elapsed, timed_out):
        self.raw_status = raw_status
        self.stdout = stdout
        self.stderr = stderr
        self.max_rss_kib = max_rss_kib
        self.elapsed = elapsed
        self.timed_out = timed_out
        if os.WIFSIGNALED(raw_status):
            self.signal = os.WTERMSIG(raw_status)
            self.status = 128 + self.signal  # what a shell reports
        else:
            self.signal = None
            self.status = os.WEXITSTATUS(raw_status)

    def describe(self):
        how = f"killed by host signal {self.signal}" if self.signal else f"exit status {self.status}"
        return f"{how}\n--- stdout:\n{self.stdout[:2000]!r}\n--- stderr:\n{self.stderr[:4000]}"


class Failure(Exception):
    pass


class Context:
    def __init__(self, options, directory):
        self.isomorph = os.path.abspath(options.isomorph) if options.isomorph else None
        self.guest_programs = options.guest_programs
        self.cli_programs = options.cli_programs
        self.nm = options.nm
        self.cross_tools = options.cross_tools
        self.directory = directory

    def path(self, name):
        return os.path.join(self.directory, name)

    def write(self, name, data, mode=0o755):
        path = self.path(name)
        with open(path, "wb") as file:
            file.write(data)
        os.chmod(path, mode)
        return path

    def run(self, arguments, timeout=60, user=None):
        """Runs isomorph with arguments; returns a Result with the raw wait status and rusage."""
        command = [self.isomorph] + arguments
        if user is not None:
            command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--"] + command
        out_path, err_path = self.path(".stdout"), self.path(".stderr")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            started = time.monotonic()
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=self.directory)
            timed_out = False
            while True:
                pid, raw_status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid != 0:
                    break
                if time.monotonic() - started > timeout:
                    process.kill()
                    timed_out = True
                    pid, raw_status, usage = os.wait4(process.pid, 0)
                    break
                time.sleep(0.005)
            process.returncode = 0  # already reaped by wait4
            elapsed = time.monotonic() - started
        with open(out_path, "rb") as out, open(err_path, "rb") as err:
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        return Result(raw_status, stdout, stderr, usage.ru_maxrss, elapsed, timed_out)


SANITIZER_MARKERS = ("AddressSanitizer", "UndefinedBehaviorSanitizer", "LeakSanitizer", "runtime error:",
                     "DEADLYSIGNAL")


def host_crash_problems(result):
    """What, if anything, shows that the host process itself crashed or misbehaved."""
    problems = []
    if result.timed_out:
        problems.append("did not finish (killed after the timeout)")
    for marker in SANITIZER_MARKERS:
        if marker in result.stderr:
            problems.append(f"sanitizer report ({marker}) on stderr")
            break
    if os.WIFSIGNALED(result.raw_status) and os.WCOREDUMP(result.raw_status):
        problems.append("dumped core")
    if result.status == 70 or "internal error" in result.stderr:
        problems.append("reported an internal error")
    if result.signal is not None:
        # Only the guest's own fault may end the process by a signal, after a one-line report.
        name = signal.Signals(result.signal).name
        last_line = result.stderr.rstrip("\n").split("\n")[-1]
        if not re.match(rf"isomorph: guest terminated by {name}\b", last_line):
            problems.append(f"killed by host signal {name} without a guest report")
    return problems


def check(result, status, stderr=None, stderr_pattern=None, stdout=None):
    problems = host_crash_problems(result)
    if result.status != status:
        problems.append(f"exit status {result.status}, expected {status}")
    if stderr is not None and result.stderr != stderr:
        problems.append(f"stderr is not exactly {stderr!r}")
    if stderr_pattern is not None:
        if result.stderr.count("\n") != 1 or not result.stderr.endswith("\n"):
            problems.append("stderr is not exactly one line")
        elif not re.fullmatch(stderr_pattern, result.stderr[:-1]):
            problems.append(f"stderr does not match {stderr_pattern!r}")
    if stdout is not None and result.stdout != stdout:
        problems.append(f"stdout is not exactly {stdout!r}")
    if problems:
        raise Failure("; ".join(problems) + "\n" + result.describe())


def file_error(context, elf_or_bytes, problem, name="program"):
    """Writes a file, runs it, and expects "isomorph: '<path>' <problem>" with status 1."""
    data = elf_or_bytes.build() if isinstance(elf_or_bytes, Elf) else elf_or_bytes
    path = context.write(name, data)
    check(context.run(["run", path]), 1, stderr=f"isomorph: '{path}' {problem}\n", stdout="")


CASES = {}


def case(function):
    CASES[function.__name__] = function
    return function


def elf_with(**changes):
    elf = Elf()
    for key, value in changes.items():
        setattr(elf, key, value)
    return elf


# --- The baseline: the generator's executable runs, so the cases below break only one thing. ---

@case
def elf_minimal_runs(context):
    path = context.write("program", Elf().build())
    check(context.run(["run", path]), 42, stderr="", stdout="")


@case
def elf_dynamic_position_runs(context):
    # ET_DYN linked at 0 is moved to 0x400000.
    elf = elf_with(type=ET_DYN, entry=CODE_OFFSET)
    elf.segments[0]["vaddr"] = 0
    check(context.run(["run", context.write("program", elf.build())]), 42, stderr="")


@case
def elf_dynamic_linked_high_runs(context):
    # ET_DYN linked above the preferred base moves down: the bias is negative.
    elf = elf_with(type=ET_DYN, entry=0x10000000 + CODE_OFFSET)
    elf.segments[0]["vaddr"] = 0x10000000
    check(context.run(["run", context.write("program", elf.build())]), 42, stderr="")


@case
def elf_unaligned_segment_is_read(context):
    # p_offset and p_vaddr disagree modulo the page size: the segment cannot be mapped from the
    # file and is read instead. Offset 0x100 (the code) goes to BASE + 0x200.
    elf = elf_with(entry=BASE + 0x200)
    elf.segments[0].update(offset=CODE_OFFSET, vaddr=BASE + 0x200, filesz=4 * len(elf.code))
    check(context.run(["run", context.write("program", elf.build())]), 42, stderr="")


@case
def elf_segments_sharing_a_page(context):
    # A second segment on the same page as the first (mapped RWX); its bytes must be there and
    # its bss part zero. The program exits with the word at BASE + 0x204.
    elf = elf_with(code=exit_with_word_at(BASE + 0x204))
    elf.extra = {0x200: struct.pack("<II", 0, 0x33), 0x208: struct.pack("<I", 0xFFFFFFFF)}
    elf.segments[0]["filesz"] = 0x200
    elf.segments.append(dict(type=PT_LOAD, offset=0x200, vaddr=BASE + 0x200, filesz=8, memsz=0x100,
                             flags=PF_R | PF_W | PF_X))
    check(context.run(["run", context.write("program", elf.build())]), 0x33, stderr="")


@case
def elf_bss_is_zero(context):
    # The last file page is shared with bytes that follow the segment in the file: the loader must
    # clear what lies beyond p_filesz. The program exits with the word just past the file data.
    elf = elf_with(code=exit_with_word_at(BASE + 0x200))
    elf.extra = {0x200: struct.pack("<I", 0x77)}
    elf.segments[0].update(filesz=0x200, memsz=0x1000)
    check(context.run(["run", context.write("program", elf.build())]), 0, stderr="")


@case
def elf_huge_sparse_file(context):
    # An 8 GiB sparse file whose segments are small: only the headers and segments are read.
    path = context.write("program", Elf().build())
    os.truncate(path, 8 << 30)
    result = context.run(["run", path], timeout=30)
    check(result, 42, stderr="")
    if result.max_rss_kib > 512 * 1024:
        raise Failure(f"used {result.max_rss_kib} KiB of memory for an 8 GiB sparse file")


@case
def elf_huge_sparse_segment(context):
    # A 1.5 GiB PT_LOAD in a sparse file: mapped from the file, not read into memory.
    elf = Elf()
    elf.segments[0]["filesz"] = elf.segments[0]["memsz"] = 3 << 29
    path = context.write("program", elf.build())
    os.truncate(path, 3 << 29)
    result = context.run(["run", path], timeout=30)
    check(result, 42, stderr="")
    if result.max_rss_kib > 512 * 1024:
        raise Failure(f"used {result.max_rss_kib} KiB of memory for a 1.5 GiB sparse segment")


# --- Files that are not programs. ---

@case
def file_missing(context):
    path = context.path("no-such-program")
    check(context.run(["run", path]), 1, stderr=f"isomorph: '{path}' cannot be opened: No such file or directory\n")


@case
def file_directory(context):
    check(context.run(["run", context.directory]), 1,
          stderr=f"isomorph: '{context.directory}' is a directory, not an executable\n")


@case
def file_fifo(context):
    # A FIFO with no writer: opening it must not block.
    path = context.path("fifo")
    os.mkfifo(path)
    check(context.run(["run", path], timeout=20), 1, stderr=f"isomorph: '{path}' is not a regular file\n")


@case
def file_unreadable(context):
    path = context.write("program", Elf().build(), mode=0o000)
    user = None
    if os.geteuid() == 0:
        # Root reads any file: run as nobody, which needs setpriv and a path nobody can reach.
        if shutil.which("setpriv") is None:
            print("running as root without setpriv: cannot make a file unreadable")
            return SKIP
        os.chmod(context.directory, 0o755)
        user = 65534
        probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                "test", "-x", context.isomorph])
        if probe.returncode != 0:
            print(f"nobody cannot execute {context.isomorph}")
            return SKIP
    check(context.run(["run", path], user=user), 1, stderr=f"isomorph: '{path}' cannot be opened: Permission denied\n")


@case
def file_empty(context):
    file_error(context, b"", "is empty")


@case
def file_text(context):
    file_error(context, b"hello, world\n", "is not an ELF file")


@case
def file_tiny(context):
    file_error(context, b"\x7fE", "is not an ELF file")


@case
def file_name_with_control_characters(context):
    # The message stays on one line: control characters in the path are shown as escapes.
    path = context.write("bad\nname\x1b", b"hello, world\n")
    shown = path.replace("\n", "\\n").replace("\x1b", "\\x1b")
    check(context.run(["run", path]), 1, stderr=f"isomorph: '{shown}' is not an ELF file\n")


@case
def run_unknown_option_with_control_characters(context):
    usage_error(context, ["run", "--a\nb", "program"], r"run: unknown option '--a\\nb' \(see isomorph run --help\)")


@case
def file_script(context):
    file_error(context, b"#!/bin/sh\necho hi\n", "is a script, not an ELF executable")


# --- ELF identification and header. ---

@case
def elf_truncated_identification(context):
    file_error(context, Elf().build()[:10], "is truncated: its ELF header is incomplete")


@case
def elf_truncated_header(context):
    file_error(context, Elf().build()[:40], "is truncated: its ELF header is incomplete")


@case
def elf_64bit_mips(context):
    elf = Elf()
    elf.ident[4] = 2
    file_error(context, elf, "is a 64-bit MIPS program (n64 ABI); only 32-bit o32 programs are supported")


@case
def elf_64bit_x86(context):
    elf = elf_with(machine=EM_X86_64)
    elf.ident[4] = 2
    file_error(context, elf, "is a 64-bit ELF file; only 32-bit little-endian MIPS (o32) programs are supported")


@case
def elf_invalid_class(context):
    elf = Elf()
    elf.ident[4] = 0
    file_error(context, elf, "has an invalid ELF class (0)")


@case
def elf_invalid_data_encoding(context):
    elf = Elf()
    elf.ident[5] = 3
    file_error(context, elf, "has an invalid ELF data encoding (3)")


@case
def elf_big_endian(context):
    # Only e_ident says big-endian; e_machine is read in that byte order (0x0800 -> 8 swapped).
    elf = elf_with(machine=EM_MIPS << 8)
    elf.ident[5] = 2
    file_error(context, elf, "is big-endian MIPS; only little-endian MIPS (mipsel) is supported")


@case
def elf_wrong_machine_x86(context):
    file_error(context, elf_with(machine=EM_386), "is not a MIPS program (it is for x86)")


@case
def elf_wrong_machine_arm(context):
    file_error(context, elf_with(machine=EM_ARM), "is not a MIPS program (it is for ARM)")


@case
def elf_wrong_machine_unknown(context):
    file_error(context, elf_with(machine=0x4321), "is not a MIPS program (ELF machine 17185)")


@case
def elf_type_relocatable(context):
    file_error(context, elf_with(type=ET_REL), "is a relocatable object file (ELF type REL), not an executable")


@case
def elf_type_core(context):
    file_error(context, elf_with(type=ET_CORE), "is a core dump (ELF type CORE), not an executable")


@case
def elf_type_unknown(context):
    file_error(context, elf_with(type=0x1234), "has an unknown ELF type (4660), not an executable")


@case
def elf_arch_mips64(context):
    file_error(context, elf_with(flags=0x60001000), "is built for MIPS64, which this MIPS32 Release 2 machine cannot run")


@case
def elf_arch_mips3(context):
    file_error(context, elf_with(flags=0x20001000), "is built for MIPS III, which this MIPS32 Release 2 machine cannot run")


@case
def elf_arch_r6(context):
    file_error(context, elf_with(flags=0x90001000),
               "is built for MIPS32 Release 6, which this MIPS32 Release 2 machine cannot run")


@case
def elf_abi_n32(context):
    file_error(context, elf_with(flags=0x70000020), "uses the n32 ABI; only the o32 ABI is supported")


@case
def elf_abi_eabi32(context):
    file_error(context, elf_with(flags=0x70003000), "uses the EABI32 ABI; only the o32 ABI is supported")


@case
def elf_abi_unknown(context):
    file_error(context, elf_with(flags=0x70005000),
               "uses an unknown ABI (EF_MIPS_ABI 0x5000); only the o32 ABI is supported")


@case
def elf_big_endian_other_machine(context):
    elf = elf_with(machine=EM_ARM << 8)
    elf.ident[5] = 2
    file_error(context, elf, "is a big-endian file, not a little-endian MIPS program (it is for ARM)")


@case
def elf_nan2008(context):
    file_error(context, elf_with(flags=FLAGS_MIPS32R2_O32 | 0x400),
               "uses the IEEE 754-2008 NaN encoding (NaN2008), which is not supported")


@case
def elf_mips16(context):
    file_error(context, elf_with(flags=FLAGS_MIPS32R2_O32 | 0x04000000),
               "uses the MIPS16 or microMIPS instruction set, which is not supported")


@case
def elf_micromips(context):
    file_error(context, elf_with(flags=FLAGS_MIPS32R2_O32 | 0x02000000),
               "uses the MIPS16 or microMIPS instruction set, which is not supported")


@case
def elf_old_mips1_runs(context):
    # e_flags 0 (MIPS I, no ABI field) is what old toolchains write; the kernel accepts it.
    check(context.run(["run", context.write("program", elf_with(flags=0).build())]), 42, stderr="")


# --- Program headers. ---

@case
def elf_no_program_headers(context):
    file_error(context, elf_with(phnum=0), "has no program headers")


@case
def elf_program_header_size(context):
    file_error(context, elf_with(phentsize=40), "has program headers of 40 bytes (expected 32)")


@case
def elf_program_header_count(context):
    file_error(context, elf_with(phnum=129), "has 129 program headers (at most 128 are allowed)")


@case
def elf_program_header_count_absurd(context):
    file_error(context, elf_with(phnum=0xFFFF), "has 65535 program headers (at most 128 are allowed)")


@case
def elf_program_headers_outside_file(context):
    file_error(context, elf_with(phoff=0x10000), "has a program header table outside the file")


@case
def elf_program_headers_offset_overflow(context):
    file_error(context, elf_with(phoff=0xFFFFFFF0), "has a program header table outside the file")


@case
def elf_program_headers_truncated(context):
    # The file ends inside the program header table.
    file_error(context, elf_with(size=60), "has a program header table outside the file")


@case
def elf_load_outside_file(context):
    elf = Elf()
    elf.segments[0]["offset"] = 0x1000
    file_error(context, elf, "has a PT_LOAD segment outside the file (bytes 0x1000-0x110c of a 268-byte file)")


@case
def elf_load_size_outside_file(context):
    elf = Elf()
    elf.segments[0]["filesz"] = elf.segments[0]["memsz"] = 0x10000
    file_error(context, elf, "has a PT_LOAD segment outside the file (bytes 0x0-0x10000 of a 268-byte file)")


@case
def elf_load_offset_overflow(context):
    elf = Elf()
    elf.segments[0]["offset"] = 0xFFFFF000
    elf.segments[0]["filesz"] = elf.segments[0]["memsz"] = 0x2000
    file_error(context, elf, "has a PT_LOAD segment outside the file (bytes 0xfffff000-0x100001000 of a 268-byte file)")


@case
def elf_load_file_size_exceeds_memory_size(context):
    elf = Elf()
    elf.segments[0]["memsz"] = 0x10
    file_error(context, elf, "has a PT_LOAD segment whose file size (0x10c) exceeds its memory size (0x10)")


@case
def elf_load_above_2gib(context):
    elf = elf_with(entry=0x80000000 + CODE_OFFSET)
    elf.segments[0]["vaddr"] = 0x80000000
    file_error(context, elf, "has a PT_LOAD segment at 0x80000000-0x8000010c above the 2 GiB user address space")


@case
def elf_load_crossing_2gib(context):
    elf = Elf()
    elf.segments.append(dict(type=PT_LOAD, offset=0, vaddr=0x7FFFF000, filesz=0, memsz=0x2000, flags=PF_R | PF_W))
    file_error(context, elf, "has a PT_LOAD segment at 0x7ffff000-0x80001000 above the 2 GiB user address space")


@case
def elf_load_huge_memory_size(context):
    elf = Elf()
    elf.segments[0]["memsz"] = 0xFFFFFFFF
    file_error(context, elf, "has a PT_LOAD segment at 0x00400000-0x1003fffff above the 2 GiB user address space")


@case
def elf_load_overlaps_stack(context):
    elf = Elf()
    elf.segments.append(dict(type=PT_LOAD, offset=0, vaddr=0x7F800000, filesz=0, memsz=0x1000, flags=PF_R | PF_W))
    file_error(context, elf,
               "has a PT_LOAD segment at 0x7f800000-0x7f801000 that overlaps the stack at 0x7f7f0000-0x7fff0000")


@case
def elf_no_load_segment(context):
    elf = Elf()
    elf.segments = [dict(type=PT_GNU_STACK, offset=0, vaddr=0, filesz=0, memsz=0, flags=PF_R | PF_W)]
    file_error(context, elf, "has no loadable (PT_LOAD) segment")


@case
def elf_entry_outside_segments(context):
    file_error(context, elf_with(entry=0x00500000), "has its entry point 0x00500000 outside its executable segments")


@case
def elf_entry_in_data_segment(context):
    elf = Elf()
    elf.segments[0]["flags"] = PF_R | PF_W
    file_error(context, elf, "has its entry point 0x00400100 outside its executable segments")


# A dynamic program run without a root file system that has its interpreter.
INTERPRETER_MISSING = ("the program interpreter /lib/ld.so.1 was not found (looked for /lib/ld.so.1); "
                       "give the guest's root file system with -L ROOT or ISOMORPH_LD_PREFIX")


@case
def elf_interpreter(context):
    elf = Elf()
    elf.extra = {0x180: b"/lib/ld.so.1\0"}
    elf.segments.append(dict(type=PT_INTERP, offset=0x180, vaddr=BASE + 0x180, filesz=13, memsz=13, flags=PF_R))
    path = context.write("program", elf.build())
    check(context.run(["run", path]), 1, stderr=f"isomorph: {INTERPRETER_MISSING}\n", stdout="")


@case
def elf_interpreter_unterminated(context):
    elf = Elf()
    elf.extra = {0x180: b"/lib/ld.so.1"}
    elf.segments.append(dict(type=PT_INTERP, offset=0x180, vaddr=BASE + 0x180, filesz=12, memsz=12, flags=PF_R))
    file_error(context, elf, "has a malformed PT_INTERP segment")


@case
def elf_interpreter_outside_file(context):
    elf = Elf()
    elf.segments.append(dict(type=PT_INTERP, offset=0x8000, vaddr=0, filesz=13, memsz=13, flags=PF_R))
    file_error(context, elf, "has a malformed PT_INTERP segment")


@case
def elf_real_dynamic_program(context):
    # A real dynamically linked program from the cross toolchain.
    program = require_program(context, context.cli_programs, "hello_dynamic")
    if program is None:
        return SKIP
    check(context.run(["run", program]), 1, stderr=f"isomorph: {INTERPRETER_MISSING}\n", stdout="")


@case
def elf_header_fuzz(context):
    # Every byte of the ELF and program headers set to 0x00, 0xff, 0x80 and flipped in its lowest
    # bit: each run must end with a clean message or a clean guest exit, never a host crash.
    baseline = Elf()
    baseline.segments.append(dict(type=PT_GNU_STACK, offset=0, vaddr=0, filesz=0, memsz=0, flags=PF_R | PF_W))
    original = baseline.build()
    header_end = 52 + 32 * len(baseline.segments)
    failures = []
    runs = 0
    for offset in range(header_end):
        for value in sorted({0x00, 0xFF, 0x80, original[offset] ^ 1}):
            if value == original[offset]:
                continue
            mutated = bytearray(original)
            mutated[offset] = value
            path = context.write("program", bytes(mutated))
            result = context.run(["run", path], timeout=20)
            runs += 1
            problems = host_crash_problems(result)
            if result.status == 1 and not re.fullmatch(re.escape(f"isomorph: '{path}' ") + r"[^\n]+\n", result.stderr):
                problems.append("status 1 without exactly one 'isomorph: <path> <problem>' line")
            if problems:
                failures.append(f"byte {offset} = 0x{value:02x}: {'; '.join(problems)}\n{result.describe()}")
    print(f"{runs} mutated executables")
    if failures:
        raise Failure(f"{len(failures)} of {runs} mutations misbehaved:\n" + "\n".join(failures[:5]))


@case
def elf_real_program_truncated(context):
    # A real static glibc program cut short anywhere before the end of its last segment's data:
    # always one line and status 1.
    program = require_program(context, context.guest_programs, "hello")
    if program is None:
        return SKIP
    with open(program, "rb") as file:
        data = file.read()
    phoff, = struct.unpack_from("<I", data, 28)
    phnum, = struct.unpack_from("<H", data, 44)
    end = 0
    for index in range(phnum):
        p_type, p_offset, _, _, p_filesz = struct.unpack_from("<IIIII", data, phoff + 32 * index)
        if p_type == PT_LOAD:
            end = max(end, p_offset + p_filesz)
    lengths = {0, 1, 3, 4, 15, 16, 17, 51, 52, 53, phoff + 32 * phnum - 1, phoff + 32 * phnum, end - 1}
    lengths |= {end * step // 37 for step in range(37)}
    failures = []
    for length in sorted(lengths):
        path = context.write("truncated", data[:length])
        result = context.run(["run", path])
        problems = host_crash_problems(result)
        if result.status != 1 or not re.fullmatch(re.escape(f"isomorph: '{path}' ") + r"[^\n]+\n", result.stderr):
            problems.append(f"expected one 'isomorph: <path> <problem>' line and status 1")
        if problems:
            failures.append(f"{length} bytes: {'; '.join(problems)}\n{result.describe()}")
    print(f"{len(lengths)} truncated copies of {program}")
    if failures:
        raise Failure("\n".join(failures[:5]))


# --- The command line. ---

def usage_error(context, arguments, pattern):
    check(context.run(arguments), 2, stderr_pattern=r"isomorph: " + pattern, stdout="")


@case
def command_none(context):
    usage_error(context, [], r"no command given \(usage: isomorph run \[OPTIONS\] PROGRAM \[ARGS\.\.\.\]; see isomorph --help\)")


@case
def command_unknown(context):
    usage_error(context, ["frob"], r"unknown command 'frob' \(the command is run; see isomorph --help\)")


@case
def command_unknown_option(context):
    usage_error(context, ["--frob"], r"unknown option '--frob' \(see isomorph --help\)")


@case
def command_unknown_option_before_run(context):
    usage_error(context, ["--frob", "run", "program"], r"unknown option '--frob' \(see isomorph --help\)")


@case
def command_stray_argument_before_run(context):
    usage_error(context, ["frob", "run", "program"],
                r"unexpected argument 'frob' \(usage: isomorph run \[OPTIONS\] PROGRAM \[ARGS\.\.\.\]\)")


@case
def run_without_program(context):
    usage_error(context, ["run"], r"run: no PROGRAM given \(usage: isomorph run \[OPTIONS\] PROGRAM \[ARGS\.\.\.\]\)")


@case
def run_without_program_after_separator(context):
    usage_error(context, ["run", "--"], r"run: no PROGRAM given \(usage: isomorph run \[OPTIONS\] PROGRAM \[ARGS\.\.\.\]\)")


@case
def run_unknown_option(context):
    usage_error(context, ["run", "--frob", "program"], r"run: unknown option '--frob' \(see isomorph run --help\)")


@case
def run_unknown_engine(context):
    usage_error(context, ["run", "--engine", "warp", "program"], r"unknown engine 'warp' \(choose [a-z, ]+\)")


@case
def run_engine_without_value(context):
    usage_error(context, ["run", "--engine"], r"--engine: 1 required TEXT missing")


@case
def run_environment_without_equals(context):
    usage_error(context, ["run", "-E", "FOO", context.write("program", Elf().build())],
                r"-E expects VAR=VALUE, got 'FOO'")


@case
def run_environment_empty_name(context):
    usage_error(context, ["run", "-E", "=value", context.write("program", Elf().build())],
                r"-E expects VAR=VALUE, got '=value'")


@case
def run_environment_takes_one_value(context):
    # -E VAR=VALUE must not swallow the PROGRAM after it.
    path = context.write("program", Elf().build())
    check(context.run(["run", "-E", "A=1", "-E", "B=2", "-U", "C", path]), 42, stderr="")


@case
def run_separator_before_program(context):
    path = context.write("program", Elf().build())
    check(context.run(["run", "--", path, "--frob"]), 42, stderr="")


@case
def run_options_after_program_belong_to_guest(context):
    path = context.write("program", Elf().build())
    check(context.run(["run", path, "--engine", "warp", "--frob"]), 42, stderr="")


@case
def help_top_level(context):
    result = context.run(["--help"])
    check(result, 0, stderr="")
    if "Usage:" not in result.stdout or "run" not in result.stdout:
        raise Failure("--help does not print the usage\n" + result.describe())


@case
def help_run(context):
    result = context.run(["run", "--help"])
    check(result, 0, stderr="")
    if "--engine" not in result.stdout or "PROGRAM" not in result.stdout:
        raise Failure("run --help does not print the run options\n" + result.describe())


# --- Guest faults: the report line names the signal, the guest pc and the faulting address. ---

def require_program(context, directory, name):
    """The cross-compiled program, or None (skip) when there is no cross toolchain here."""
    if directory:
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    if context.cross_tools:
        raise Failure(f"{name} was not built in {directory}")
    print(f"no cross toolchain: {name} is not available")
    return None


def symbols(context, program):
    output = subprocess.run([context.nm, program], check=True, capture_output=True, text=True).stdout
    table = {}
    for line in output.splitlines():
        fields = line.split()
        if len(fields) == 3:
            table[fields[2]] = int(fields[0], 16)
    return table


SIGNAL_STATUS = {"SIGILL": 132, "SIGTRAP": 133, "SIGBUS": 135, "SIGFPE": 136, "SIGSEGV": 139}


ENGINES = ("interp", "threaded", "jit")


def fault_report(name, signal_name, pc, address=None, delay_slot=False, directory="guest"):
    """pc and address: a symbol name, "symbol+offset", an integer, or None (no address in the
    report); address "any" accepts any address. One case per engine: every engine must stop at
    the same precise guest state."""
    for engine in ENGINES:
        fault_report_for_engine(engine, name, signal_name, pc, address, delay_slot, directory)


def fault_report_for_engine(engine, name, signal_name, pc, address, delay_slot, directory):
    def run_case(context):
        program = require_program(context, context.guest_programs if directory == "guest" else context.cli_programs,
                                  f"fault_{name}")
        if program is None:
            return SKIP
        table = symbols(context, program)

        def resolve(value):
            if isinstance(value, int):
                return f"0x{value:08x}"
            symbol, _, offset = value.partition("+")
            return f"0x{table[symbol] + int(offset or '0', 0):08x}"

        pattern = rf"isomorph: guest terminated by {signal_name}\b.*\bpc {resolve(pc)}\b"
        if delay_slot:
            pattern += r".*\bdelay slot\b"
        if address == "any":
            pattern += r".*\baddress 0x[0-9a-f]{8}\b"
        elif address is not None:
            pattern += rf".*\baddress {resolve(address)}\b"
        pattern += ".*"
        check(context.run(["run", "--engine", engine, program]), SIGNAL_STATUS[signal_name], stderr_pattern=pattern,
              stdout="before the fault\n")

    run_case.__name__ = f"fault_report_{engine}_{name}"
    CASES[run_case.__name__] = run_case


fault_report("load_unmapped", "SIGSEGV", "fault_here", 0)
fault_report("store_unmapped", "SIGSEGV", "fault_here", 0x10000000)
fault_report("store_text", "SIGSEGV", "fault_here", "__start")
fault_report("store_rodata", "SIGSEGV", "fault_here", "message")
fault_report("load_misaligned", "SIGBUS", "fault_here", "message+1")
fault_report("store_misaligned", "SIGBUS", "fault_here", "scratch+2")
fault_report("halfword_misaligned", "SIGBUS", "fault_here", "message+1")
fault_report("kernel_address", "SIGSEGV", "fault_here", 0x80000000)
fault_report("jump_unmapped", "SIGSEGV", 0x10000000, 0x10000000)
fault_report("jump_null", "SIGSEGV", 0, 0)
fault_report("jump_data", "SIGSEGV", "code_in_data", "code_in_data")
fault_report("stack_overflow", "SIGSEGV", "fault_here", "any")
fault_report("delay_slot_load", "SIGSEGV", "fault_here", 0, delay_slot=True)
fault_report("delay_slot_store", "SIGSEGV", "fault_here", "__start", delay_slot=True)
fault_report("reserved_instruction", "SIGILL", "fault_here")
fault_report("integer_overflow", "SIGFPE", "fault_here")
fault_report("trap", "SIGTRAP", "fault_here")
fault_report("break", "SIGTRAP", "fault_here")
# Where qemu-mipsel 7.2 and Linux disagree, Linux decides (tests/cli/programs/*.S say why).
fault_report("jump_misaligned", "SIGBUS", "__start+2", "__start+2", directory="cli")
fault_report("trap_divide", "SIGFPE", "fault_here", directory="cli")
fault_report("break_overflow", "SIGFPE", "fault_here", directory="cli")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print the case names, one a line")
    parser.add_argument("--isomorph")
    parser.add_argument("--case")
    parser.add_argument("--guest-programs")
    parser.add_argument("--cli-programs")
    parser.add_argument("--nm", default="mipsel-linux-gnu-nm")
    parser.add_argument("--cross-tools", action="store_true", help="the cross toolchain is present: never skip")
    options = parser.parse_args()
    if options.list:
        print("\n".join(CASES))
        return 0
    if not options.isomorph or options.case not in CASES:
        parser.error("--isomorph and a known --case are required")
    directory = tempfile.mkdtemp(prefix="isomorph-cli-")
    try:
        outcome = CASES[options.case](Context(options, directory))
        if outcome == SKIP:
            return SKIP
        print(f"{options.case}: passed")
        return 0
    except Failure as failure:
        print(f"{options.case}: FAILED: {failure}")
        return 1
    finally:
        for root, directories, _ in os.walk(directory):
            for name in directories:
                os.chmod(os.path.join(root, name), 0o755)
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
