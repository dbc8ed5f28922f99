#!/usr/bin/env python3
"""Runs a hostile guest program under Isomorph and checks it against what Linux gives.

The programs of tests/hostile/ do things where qemu-mipsel is no reference (it cannot represent
MIPS signals above 62, for one), so each has a file NAME.expected with the output a Linux/MIPS
kernel gives, line by line, and the exit status on its first line ("# exit-status: N").

A file NAME.known may list lines where Isomorph is known to differ from Linux, as
"LINUX LINE => ISOMORPH LINE", each after a comment that says why. Such a line is reported and
not counted; when Isomorph prints the Linux line there instead, the test fails so that the entry
is removed. Any other difference fails, and so does any sign of a host crash: a sanitizer
report, or Isomorph ending by a host signal the guest did not ask for.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HOST_CRASH_MARKERS = ("AddressSanitizer", "UndefinedBehaviorSanitizer", "LeakSanitizer", "runtime error:",
                      "isomorph: internal error", "terminate called")


def read_expected(path):
    status = 0
    lines = []
    with open(path) as file:
        for line in file.read().splitlines():
            if line.startswith("# exit-status: "):
                status = int(line.split(":", 1)[1])
            elif not line.startswith("#"):
                lines.append(line)
    return status, lines


def read_known(path):
    known = {}
    if not os.path.exists(path):
        return known
    with open(path) as file:
        for number, line in enumerate(file.read().splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            if " => " not in line:
                sys.exit(f"{path}:{number}: expected 'LINUX LINE => ISOMORPH LINE'")
            linux, isomorph = line.split(" => ", 1)
            known[linux] = isomorph
    return known


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--isomorph", required=True)
    parser.add_argument("--engine", required=True)
    parser.add_argument("--program", required=True)
    parser.add_argument("--expected", required=True)
    parser.add_argument("--known", required=True)
    parser.add_argument("--timeout", type=int, default=300)
    arguments = parser.parse_args()

    expected_status, expected = read_expected(arguments.expected)
    known = read_known(arguments.known)
    with tempfile.TemporaryDirectory() as work:
        command = [os.path.abspath(arguments.isomorph), "run", "--engine", arguments.engine,
                   os.path.abspath(arguments.program)]
        result = subprocess.run(command,
                                cwd=work, stdin=subprocess.DEVNULL, capture_output=True, timeout=arguments.timeout)
    actual = result.stdout.decode(errors="replace").splitlines()
    stderr = result.stderr.decode(errors="replace")

    problems = []
    known_seen = 0
    for index in range(max(len(expected), len(actual))):
        want = expected[index] if index < len(expected) else "(nothing)"
        got = actual[index] if index < len(actual) else "(nothing)"
        if want == got:
            if want in known:
                problems.append(f"line {index + 1}: known difference fixed, remove it from the .known file: {want}")
        elif known.get(want) == got:
            known_seen += 1
        else:
            problems.append(f"line {index + 1}: Linux gives '{want}', Isomorph printed '{got}'")
    if result.returncode != expected_status:
        problems.append(f"exit status {result.returncode}, Linux gives {expected_status}")
    for marker in HOST_CRASH_MARKERS:
        if marker in stderr:
            problems.append(f"host crash: '{marker}' on stderr")
    if known_seen:
        print(f"{known_seen} known differences from Linux (see {arguments.known})")
    if problems:
        print("\n".join(problems))
        print("--- isomorph stderr (first lines):")
        print("\n".join(stderr.splitlines()[:20]))
        return 1
    print(f"match: {len(actual)} lines as on Linux, exit status {result.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
