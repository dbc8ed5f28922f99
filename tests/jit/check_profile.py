#!/usr/bin/env python3
"""Checks the shape of `isomorph run --engine jit --profile` on a real guest program: the guest's
own output and exit status are unchanged, and stderr ends with the profile (hottest blocks with
address, share, instructions, executions and symbol) and the translator's statistics."""

import argparse
import re
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--isomorph", required=True)
    parser.add_argument("program", nargs="+")
    arguments = parser.parse_args()

    plain = subprocess.run([arguments.isomorph, "run", "--engine", "jit", *arguments.program],
                           capture_output=True, timeout=300)
    profiled = subprocess.run([arguments.isomorph, "run", "--engine", "jit", "--profile", *arguments.program],
                              capture_output=True, timeout=300)
    problems = []
    if profiled.stdout != plain.stdout or profiled.returncode != plain.returncode:
        problems.append("--profile changed the guest's output or exit status")
    lines = profiled.stderr.decode(errors="replace").splitlines()
    profile = [line for line in lines if line.startswith("profile: ")]
    statistics = [line for line in lines if line.startswith("jit: ")]

    if not profile or not re.fullmatch(r"profile: \d+ blocks, \d+ block executions, \d+ guest instructions.*",
                                       profile[0]):
        problems.append("no profile summary line")
    if len(profile) < 2 or profile[1].split()[1:] != ["address", "share", "instructions", "executions", "symbol"]:
        problems.append("no profile header line")
    row = re.compile(r"profile: ([0-9a-f]{8})  +(\d+\.\d)%  +(\d+)  +(\d+)  (\S+)")
    rows = [row.fullmatch(line) for line in profile[2:]]
    if not rows or not all(rows):
        problems.append("profile rows do not have the expected shape")
    else:
        instructions = [int(match.group(3)) for match in rows]
        if instructions != sorted(instructions, reverse=True):
            problems.append("profile rows are not ordered hottest first")
        if not any(match.group(5) != "?" for match in rows):
            problems.append("no block is named by a symbol of the program")
        if len(rows) > 20:
            problems.append("more than 20 profile rows")
    for key in ("blocks translated", "exits chained", "hit rate", "code cache", "ms"):
        if not any(key in line for line in statistics):
            problems.append(f"the statistics do not mention '{key}'")

    interpreter = subprocess.run([arguments.isomorph, "run", "--engine", "interp", "--profile", *arguments.program],
                                 capture_output=True, timeout=300)
    if interpreter.returncode != 2 or b"--profile needs --engine jit" not in interpreter.stderr:
        problems.append("--profile with another engine is not refused")

    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if problems:
        sys.stderr.write(profiled.stderr.decode(errors="replace"))
        return 1
    print("\n".join(profile + statistics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
