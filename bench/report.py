"""The performance report of bench/run: the Markdown table, the chart, the history file."""

import datetime
import json
import math
import os
import subprocess

from engine_statistics import statistics_table


# The last section of the report: how it is made.
METHOD = """## How the report is made

`bench/run` (full mode) runs every workload under each Isomorph engine, under `qemu-mipsel` and
natively, interleaved (one round of every runner, then the next) after a warm-up round, and gives
medians. The Debian programs run with `-L ROOT` under Isomorph and `qemu-mipsel`; natively they are
Debian's amd64 builds of the same packages (installed by the harness when missing). Each run's output
is checked: the kernels and busybox against the native run's output, the Debian programs against
results the harness computes itself (xz's compressed stream is also decoded by Python's `lzma`),
7zz against its own verification. A run that fails, times out or prints a wrong result is listed
as failed for that runner and left out of the means; the other runners go on. 7zz runs for a time
it chooses itself, so its cells give its rating, and its ratios are the inverse ratio of the ratings.

The first round (the warm-up in full mode) also takes engine statistics: the guest instruction count
(`isomorph run --instruction-counts` under the reference interpreter), from which each runner's
guest MIPS follows, and the jit's translation figures (`ISOMORPH_JIT_STATISTICS=1`). `bench/run
--micro` adds the micro-benchmarks of `bench/micro` (Google Benchmark): decoding a realistic
instruction mix, each engine's dispatch over a small loop, and the jit's translation of N blocks.
"""


def geometric_mean(values):
    values = [value for value in values if value and value > 0]
    return math.exp(sum(math.log(value) for value in values) / len(values)) if values else None


def cost(result):
    """What the ratios compare, lower is faster: wall seconds, or for a workload that reports its
    own rating (7zz), the inverse of that rating."""
    if not result or not result.get("ok"):
        return None
    if result.get("rate"):
        return 1.0 / result["rate"]["rating"] if result["rate"].get("rating") else None
    return result.get("wall")


def cell(result):
    if result is None:
        return "—"
    if not result.get("ok"):
        return "failed"
    if result.get("rate"):
        return f"{result['rate']['rating']:,.0f} MIPS"
    return f"{result['wall']:.3f}"


def resources_table(results, workloads, runner_names):
    """Each runner's median CPU time (user + system) and peak resident memory, per workload."""
    header = ["workload"] + [f"{name}: CPU s, peak MiB" for name in runner_names]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for workload in workloads:
        row = results.get(workload.name)
        if row is None:
            continue
        cells = [workload.name]
        for name in runner_names:
            result = row.get(name)
            if not result or not result.get("ok") or result.get("cpu") is None:
                cells.append("—" if not result else "failed")
                continue
            cells.append(f"{result['cpu']:.3f} s, {result['rss_kib'] / 1024:.1f} MiB")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def build_report(root, results, workloads, runner_names, repetitions, warm_up, quick, statistics, micro):
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    cpu_model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                     "unknown")
    header = ["workload"] + [f"{name} (s)" for name in runner_names] + \
             [f"{name} / qemu" for name in runner_names if name.startswith("isomorph")] + \
             [f"{name} / native" for name in runner_names if name != "native"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    ratios_qemu = {name: [] for name in runner_names}
    ratios_native = {name: [] for name in runner_names}
    for workload in workloads:
        if workload.name not in results:
            continue
        row = results[workload.name]
        cells = [workload.name] + [cell(row.get(name)) for name in runner_names]
        qemu = cost(row.get("qemu"))
        native = cost(row.get("native"))
        for name in runner_names:
            if name.startswith("isomorph"):
                mine = cost(row.get(name))
                ratio = mine / qemu if mine and qemu else None
                cells.append("—" if ratio is None else f"{ratio:.2f}×")
                if ratio:
                    ratios_qemu[name].append(ratio)
        for name in runner_names:
            if name != "native":
                mine = cost(row.get(name))
                ratio = mine / native if mine and native else None
                cells.append("—" if ratio is None else f"{ratio:.1f}×")
                if ratio:
                    ratios_native[name].append(ratio)
        lines.append("| " + " | ".join(cells) + " |")
    rows = len(lines) - 2

    def mean_cell(ratios, digits):
        mean = geometric_mean(ratios)
        if not mean:
            return "—"
        # A mean over fewer workloads than the table has (a failed or missing run) says so.
        return f"{mean:.{digits}f}×" + ("" if len(ratios) == rows else f" ({len(ratios)} of {rows})")

    means = ["**geometric mean**"] + [""] * len(runner_names)
    means += [mean_cell(ratios_qemu[n], 2) for n in runner_names if n.startswith("isomorph")]
    means += [mean_cell(ratios_native[n], 1) for n in runner_names if n != "native"]
    lines.append("| " + " | ".join(means) + " |")
    failures = [(workload, name, result["problem"]) for workload, row in results.items()
                for name, result in row.items() if not result.get("ok")]
    return {
        "table": "\n".join(lines),
        "resources": resources_table(results, workloads, runner_names),
        "failures": failures,
        "statistics": statistics_table(results, statistics) if statistics else None,
        "micro": micro_table(micro) if micro else None,
        "commit": commit,
        "cpu": cpu_model,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "repetitions": repetitions,
        "warm_up": warm_up,
        "quick": quick,
        "runners": runner_names,
        "descriptions": [(w.name, w.description) for w in workloads if w.name in results],
        "skipped": [(w.name, w.skipped) for w in workloads if w.skipped],
        "native_missing": [(w.name, w.native_missing) for w in workloads if w.native_missing and not w.skipped],
    }


def micro_table(micro):
    """CPU time per iteration (less disturbed by other work than wall time) and the rate."""
    lines = ["| benchmark | CPU time per iteration | wall time per iteration | rate |", "|---|---|---|---|"]
    for benchmark in micro:
        rate = ""
        per_second = benchmark.get("items_per_second")
        if per_second:
            rate = f"{per_second / 1e6:,.1f} M items/s" if per_second >= 1e6 else f"{per_second / 1e3:,.1f} k items/s"
        unit = benchmark["time_unit"]
        lines.append(f"| {benchmark['name']} | {benchmark['cpu_time']:,.0f} {unit} | {benchmark['real_time']:,.0f} {unit} "
                     f"| {rate} |")
    return "\n".join(lines)


def write_report(root, report, results, statistics, micro):
    docs = root / "docs"
    history = root / "bench" / "results" / "history.jsonl"
    history.parent.mkdir(parents=True, exist_ok=True)
    with open(history, "a") as out:
        out.write(json.dumps({key: report[key] for key in ("commit", "date", "cpu", "repetitions", "quick")} |
                             {"results": results, "statistics": statistics, "micro": micro}) + "\n")
    chart = draw_chart(results, report["runners"], docs / "performance.png")
    skipped = "\n".join(f"- `{name}`: {why}" for name, why in report["skipped"]) or "- none"
    failed = "\n".join(f"- `{workload}` under {runner}: {problem}" for workload, runner, problem in report["failures"])
    missing = "\n".join(f"- `{name}`: {why}" for name, why in report["native_missing"])
    descriptions = "\n".join(f"- `{name}`: {description}" for name, description in report["descriptions"])
    sections = [f"""# Performance report

Generated by `bench/run` (do not edit by hand). Machine: {report['cpu']}, {os.cpu_count()} cores.
Date: {report['date']}. Commit: `{report['commit']}`. Median of {report['repetitions']} interleaved
runs {f"after {report['warm_up']} warm-up round(s)" if report['warm_up'] else "without a warm-up round"}{' (quick mode: small inputs)' if report['quick'] else ''}. Times are wall-clock seconds;
ratios below 1 mean faster than the reference. Every run's output was checked (against the native
run's, or against the result the harness computes itself); a wrong result or a failed run is marked
and left out of the means. `7zz` times itself and reports a rating: its cells give that rating, and
its ratios are the inverse ratio of the ratings. Past results: `bench/results/history.jsonl`.

{report['table']}

{'![wall time relative to native, per workload and runner](performance.png)' if chart else '(chart not drawn: python3-matplotlib is not installed)'}

Workloads:
{descriptions}
"""]
    if failed:
        sections.append(f"Runs that failed (left out of the means):\n{failed}\n")
    if missing:
        sections.append(f"Native runs left out:\n{missing}\n")
    sections.append(f"Workloads not measured in this run:\n{skipped}\n")
    if report["statistics"]:
        sections.append(f"""## Engine statistics

From the first round: guest instructions counted by the reference interpreter
(`isomorph run --instruction-counts`), the rate of each runner in millions of guest instructions
per second of CPU time (its median run), and what the jit did (`ISOMORPH_JIT_STATISTICS=1`).

{report['statistics']}
""")
    if report["micro"]:
        sections.append(f"""## Micro-benchmarks

`build/bench/micro/isomorph_micro_benchmarks` (Google Benchmark), run by `bench/run --micro`.

{report['micro']}
""")
    sections.append(f"""## CPU time and peak memory

The median of each runner's CPU time (user + system) and of its peak resident memory, measured for
the command alone (bench/tools/measure_child.c starts it and reads its resource usage). Each run's
figures are in the history file.

{report['resources']}
""")
    sections.append(METHOD)
    (docs / "performance.md").write_text("\n".join(sections))
    print(f"bench: wrote {docs / 'performance.md'} and {history}")


def draw_chart(results, runner_names, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = [name for name in runner_names if name != "native"]
    workloads = [w for w in results if cost(results[w].get("native"))]
    if not workloads:
        return False
    figure, axes = plt.subplots(figsize=(max(6, 1.2 * len(workloads) * len(names) / 2), 4))
    width = 0.8 / len(names)
    for index, name in enumerate(names):
        values = []
        for w in workloads:
            mine = cost(results[w].get(name))
            values.append(mine / cost(results[w]["native"]) if mine else 0)
        axes.bar([x + index * width for x in range(len(workloads))], values, width, label=name)
    axes.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(workloads))], workloads)
    axes.set_yscale("log")
    axes.set_ylabel("time / native (log scale)")
    axes.axhline(1.0, color="black", linewidth=0.8)
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    return True
