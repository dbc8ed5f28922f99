"""Workloads and runners of bench/run, and the measurement of one run.

A workload is one or more steps, each a program with arguments, run one after the other; a
runner is an Isomorph engine, qemu-mipsel or the host itself. A step names a MIPS program (a host
path, or a path inside the guest's root file system when the workload has one) and the native
program that does the same work.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time

# What a run keeps of its standard output besides the digest, for the checks.
KEPT_OUTPUT = 1 << 20


class Step:
    def __init__(self, mips, arguments, native=None, stdout_file=None):
        self.mips = mips              # the MIPS program: a host path, or a guest path under the sysroot
        self.arguments = arguments
        self.native = native          # the native program: a path, or a name looked up in PATH
        # Write stdout to this file (it is hashed afterwards). "{runner}" in it and in the arguments
        # is replaced by the runner's name, so that runners do not share files.
        self.stdout_file = stdout_file


class Workload:
    def __init__(self, name, description, steps, check=None, sysroot=None, rate=None, instruction_counts=True):
        self.name = name
        self.description = description
        self.steps = steps
        # check(outputs) returns None when the run printed the right thing, else what was wrong; without
        # one, stdout and the exit status must equal the native run's.
        self.check = check
        self.sysroot = sysroot        # -L ROOT for Isomorph and qemu-mipsel
        # rate(outputs) returns the figures a workload reports itself ({"rating": ...}), higher is faster.
        self.rate = rate
        self.instruction_counts = instruction_counts  # guest instructions are the same under every engine
        self.skipped = None           # why it cannot run here
        self.native_missing = None    # why the native runner is left out
        self.commands = None          # commands(runner, isomorph) overrides the steps (start-up loop)


def runner_name(runner):
    return f"isomorph-{runner[1]}" if runner[0] == "isomorph" else runner[0]


def step_commands(workload, runner, isomorph, extra_options=()):
    """[(argv, stdout file or None)] for one run of workload under runner."""
    if workload.commands is not None:
        return [(workload.commands(runner, isomorph), None)]
    kind, engine = runner
    commands = []
    for index, step in enumerate(workload.steps):
        arguments = [argument.replace("{runner}", runner_name(runner)) for argument in step.arguments]
        if kind == "native":
            native = step.native if os.path.isabs(step.native) else shutil.which(step.native)
            argv = [native or step.native, *arguments]
        else:
            program = str(workload.sysroot) + step.mips if workload.sysroot else step.mips
            sysroot = ["-L", str(workload.sysroot)] if workload.sysroot else []
            if kind == "qemu":
                argv = ["qemu-mipsel", *sysroot, program, *arguments]
            else:
                options = [option.format(step=index) for option in extra_options]
                argv = [str(isomorph), "run", "--engine", engine, *options, *sysroot, program, *arguments]
        output = step.stdout_file.replace("{runner}", runner_name(runner)) if step.stdout_file else None
        commands.append((argv, output))
    return commands


def run_once(argv, stdout_file, environment, timeout, launcher):
    """Runs one command; wall time, CPU time (user + system) and peak RSS of that command alone,
    which the launcher (bench/tools/measure_child.c) reports in a file."""
    start = time.perf_counter()
    sink = open(stdout_file, "wb") if stdout_file else None
    with tempfile.NamedTemporaryFile(prefix="isomorph-bench-", suffix=".usage", delete=False) as report:
        usage_file = report.name
    process = subprocess.Popen([str(launcher), usage_file, *argv], stdout=sink or subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment, start_new_session=True)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    # Drain stderr on a thread so that neither pipe can fill up and block the child.
    stderr = []
    reader = threading.Thread(target=lambda: stderr.append(process.stderr.read()))
    reader.start()
    digest = hashlib.sha256()
    kept = bytearray()
    if sink is None:
        for chunk in iter(lambda: process.stdout.read(1 << 16), b""):
            digest.update(chunk)
            if len(kept) < KEPT_OUTPUT:
                kept += chunk[:KEPT_OUTPUT - len(kept)]
    reader.join()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if timer:
        timer.cancel()
    if sink:
        sink.close()
        with open(stdout_file, "rb") as written:
            for chunk in iter(lambda: written.read(1 << 20), b""):
                digest.update(chunk)
    errors = stderr[0].decode(errors="replace")
    # The launcher's own report; without one (killed at the timeout) its wait4 figures, whose
    # peak memory includes this harness's.
    with open(usage_file) as report:
        figures = report.read().split()
    os.unlink(usage_file)
    rss_kib, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    if len(figures) == 3:
        rss_kib, cpu = int(figures[0]), float(figures[1]) + float(figures[2])
    return {
        "wall": wall,
        "cpu": cpu,
        "rss_kib": rss_kib,
        "status": os.waitstatus_to_exitcode(status),
        "timed_out": timed_out.is_set(),
        "digest": digest.hexdigest(),
        "stdout": bytes(kept),
        "stdout_file": stdout_file,
        "stderr": errors,
    }


def measure(commands, launcher, environment=None, timeout=None):
    """Runs the steps of one run in order, stopping at the first that fails; the sample adds up
    their times and keeps every step's output."""
    sample = {"wall": 0.0, "cpu": 0.0, "rss_kib": 0, "status": 0, "timed_out": False, "outputs": [], "stderr": ""}
    for argv, stdout_file in commands:
        step = run_once(argv, stdout_file, environment, timeout, launcher)
        sample["wall"] += step["wall"]
        sample["cpu"] += step["cpu"]
        sample["rss_kib"] = max(sample["rss_kib"], step["rss_kib"])
        sample["outputs"].append(step)
        sample["stderr"] += step["stderr"]
        sample["status"] = step["status"]
        sample["timed_out"] = step["timed_out"]
        if step["status"] != 0 or step["timed_out"]:
            break
    sample["digest"] = sample["outputs"][-1]["digest"]
    return sample


def problem_with(workload, sample, expected):
    """None when the sample is a correct run, else a short reason. expected is the native run's
    (digest, status) for workloads checked against it."""
    if sample["timed_out"]:
        return f"timed out after {sample['wall']:.0f} s"
    if len(sample["outputs"]) < len(workload.steps or [None]):
        return f"exit status {sample['status']}: {last_line(sample['stderr'])}"
    if workload.check is not None:
        if sample["status"] != 0:
            return f"exit status {sample['status']}: {last_line(sample['stderr'])}"
        return workload.check(sample["outputs"])
    if expected is None:
        return None
    if (sample["digest"], sample["status"]) != expected:
        return f"output or exit status ({sample['status']}) differs from the native run's: {last_line(sample['stderr'])}"
    return None


def last_line(text):
    """The last line of stderr that is not one of the engine's statistics."""
    lines = [line for line in text.strip().splitlines() if line.strip() and not line.startswith("jit: ")]
    return lines[-1][:200] if lines else "(nothing on stderr)"
