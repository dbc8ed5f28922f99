"""Engine statistics for bench/run, taken in the warm-up round so that they cost no measured time:
the guest instructions a workload executes (`isomorph run --instruction-counts`, under the
reference interpreter) and what the translator did (ISOMORPH_JIT_STATISTICS=1 under the jit)."""

import os
import re

JIT_PATTERNS = {
    "blocks_translated": r"jit: (\d+) blocks translated",
    "guest_instructions_translated": r"blocks translated \((\d+) guest instructions",
    "host_bytes": r"(\d+) host bytes\)",
    "translation_ms": r"host bytes\) in ([\d.]+) ms",
    "chained_exits": r"jit: (\d+) exits chained",
    "dispatcher_exits": r"(\d+) exits through the dispatcher",
    "inline_hits": r"register jumps: (\d+) inline-cache hits",
    "hash_hits": r"(\d+) hash-table hits",
    # The hits are counted only with --profile; the misses always.
    "indirect_misses": r"jit: register jumps: (?:\d+ inline-cache hits, \d+ hash-table hits, )?(\d+) misses",
    "interpreter_steps": r"jit: (\d+) instructions run by the reference interpreter",
}


def counting_options(cache, workload_name):
    """The options that make the interpreter count instructions, one file per step."""
    return ["--instruction-counts", str(cache / f"counts-{workload_name}-{{step}}.txt")]


def instructions_counted(cache, workload_name, steps):
    """The guest instructions of all steps, from their count files; None if one is missing."""
    total = 0
    for step in range(steps):
        path = cache / f"counts-{workload_name}-{step}.txt"
        if not path.exists():
            return None
        with open(path) as counts:
            total += sum(int(line.split()[1]) for line in counts if len(line.split()) == 2)
        os.unlink(path)
    return total


def jit_statistics(stderr):
    """The jit's statistics summed over the processes of a run; None if it printed none."""
    totals = {}
    for key, pattern in JIT_PATTERNS.items():
        values = re.findall(pattern, stderr)
        if values:
            totals[key] = sum(float(value) for value in values)
    return totals or None


def statistics_table(results, statistics):
    """Markdown: guest instructions, million guest instructions per CPU second of each runner, and
    the jit's translation figures, per workload."""
    runners = []  # in the order of the main table
    for row in results.values():
        runners += [name for name in row if name != "native" and name not in runners]
    header = ["workload", "guest instructions (M)"] + [f"{name} MIPS" for name in runners] + \
             ["jit blocks", "translation (ms)", "host bytes / guest instruction", "dispatcher exits", "register-jump misses"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for workload, figures in statistics.items():
        count = figures.get("instructions")
        jit = figures.get("jit") or {}
        cells = [workload, f"{count / 1e6:,.1f}" if count else "—"]
        for name in runners:
            result = results.get(workload, {}).get(name)
            if count and result and result.get("ok") and result.get("cpu"):
                cells.append(f"{count / result['cpu'] / 1e6:,.0f}")
            else:
                cells.append("—")
        if jit:
            translated = jit.get("guest_instructions_translated", 0)
            cells += [f"{jit.get('blocks_translated', 0):,.0f}", f"{jit.get('translation_ms', 0):,.1f}",
                      f"{jit.get('host_bytes', 0) / translated:.0f}" if translated else "—",
                      f"{jit.get('dispatcher_exits', 0):,.0f}",
                      register_jumps(jit)]
        else:
            cells += ["—"] * 5
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def register_jumps(jit):
    """The misses, and the hit rate when the jit counted hits (isomorph run --profile)."""
    misses = jit.get("indirect_misses", 0)
    if "inline_hits" not in jit:
        return f"{misses:,.0f}"
    hits = jit["inline_hits"] + jit.get("hash_hits", 0)
    return f"{misses:,.0f} ({hits / (hits + misses):.1%} hits)" if hits + misses else "0"
