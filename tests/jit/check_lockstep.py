#!/usr/bin/env python3
"""The lockstep mode (`isomorph run --engine jit --lockstep`, docs/jit.md) on the guest program
lockstep_target (tests/guest/programs/lockstep_target.S), whose first block sets t0 = 5 with ADDIU
and stores it with SW. One case per run:
  clean     without a planted fault the program runs as usual and lockstep finds nothing;
  register  with ISOMORPH_JIT_PLANT_DIVERGENCE=ADDIU the run fails with a report that names the
            block at the entry point and register t0 with both values;
  store     with ISOMORPH_JIT_PLANT_DIVERGENCE=SW the report names the stored word with both values;
  needs-jit --lockstep with another engine is refused."""

import argparse
import os
import re
import struct
import subprocess
import sys

DIVERGENCE_STATUS = 70


def entry_point(program):
    with open(program, "rb") as elf:
        header = elf.read(28)
    return struct.unpack_from("<I", header, 24)[0]


def run(isomorph, engine_arguments, program, plant=None):
    environment = dict(os.environ)
    environment.pop("ISOMORPH_JIT_PLANT_DIVERGENCE", None)
    if plant:
        environment["ISOMORPH_JIT_PLANT_DIVERGENCE"] = plant
    return subprocess.run([isomorph, "run", *engine_arguments, program], capture_output=True, timeout=120,
                          env=environment, stdin=subprocess.DEVNULL)


def check_report(result, expected_lines, problems):
    stderr = result.stderr.decode(errors="replace")
    lines = stderr.splitlines()
    if result.returncode != DIVERGENCE_STATUS:
        problems.append(f"exit status {result.returncode}, expected {DIVERGENCE_STATUS}")
    if not lines or not lines[0].startswith("isomorph: error: lockstep divergence"):
        problems.append("stderr does not start with 'isomorph: error: lockstep divergence'")
    for pattern in expected_lines:
        if not any(re.fullmatch(pattern, line) for line in lines):
            problems.append(f"no line of the report matches {pattern!r}")
    if result.stdout:
        problems.append("the guest ran on past the divergence (it printed something)")
    return stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--isomorph", required=True)
    parser.add_argument("--case", required=True, choices=["clean", "register", "store", "needs-jit"])
    parser.add_argument("program")
    arguments = parser.parse_args()
    lockstep = ["--engine", "jit", "--lockstep"]
    entry = entry_point(arguments.program)
    problems = []
    shown = ""

    if arguments.case == "clean":
        result = run(arguments.isomorph, lockstep, arguments.program)
        shown = result.stderr.decode(errors="replace")
        if result.returncode != 0 or result.stdout != b"lockstep target\n":
            problems.append(f"exit status {result.returncode} and stdout {result.stdout!r}, expected 0 and the line")
        if "divergence" in shown:
            problems.append("lockstep reported a divergence")
    elif arguments.case == "register":
        result = run(arguments.isomorph, lockstep, arguments.program, "ADDIU")
        shown = check_report(result, [
            rf"isomorph: error: lockstep divergence in the block at 0x{entry:08x}: .*",
            rf"lockstep:   {entry:08x}:  [0-9a-f]{{8}}  (addiu\tt0,zero,5|li\tt0,5)",
            r"lockstep: differs: register t0 \(\$8\): interpreter 0x00000005, translator 0x00000006",
        ], problems)
    elif arguments.case == "store":
        result = run(arguments.isomorph, lockstep, arguments.program, "SW")
        shown = check_report(result, [
            rf"isomorph: error: lockstep divergence in the block at 0x{entry:08x}: .*",
            r"lockstep: differs: memory 0x[0-9a-f]{8} \(4 bytes, in memory order\): interpreter 05000000, "
            r"translator 07000000 \(before the block 00000000\)",
        ], problems)
    else:
        result = run(arguments.isomorph, ["--engine", "interp", "--lockstep"], arguments.program)
        shown = result.stderr.decode(errors="replace")
        if result.returncode != 2 or "--lockstep needs --engine jit" not in shown:
            problems.append(f"exit status {result.returncode}, expected 2 and the message '--lockstep needs --engine jit'")

    if problems:
        for problem in problems:
            print(f"FAIL: {problem}")
        print("--- isomorph stderr:")
        print(shown)
        return 1
    print(f"ok: {arguments.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
