"""scripts/bench: create/destroy throughput of PyClassKit's point classes against their peers.

Runs worker.py in each interpreter under test (the free-threaded 3.13t with the GIL off, and the
system 3.11), collects every repetition, and writes markdown tables (stdout and results.md), a
JSON document with every raw figure, and a throughput plot. Run through scripts/bench, which
builds the interpreter, the example module and the peer modules first.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import glob
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
WORKER = os.path.join(HERE, "worker.py")
RESULT_PREFIX = "BENCH-RESULT "
CACHE = os.environ.get("PYCLASSKIT_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pyclasskit")

FT, GIL311 = "3.13t", "3.11"
DEFAULT_OPS = 500_000
QUICK_OPS = 2_000
MIN_REPEATS = 5
BUSY_SHARE = 0.10  # other processes using more than this share of the CPUs: the notes say so


@dataclasses.dataclass(frozen=True)
class Row:
    """One class under test: how the tables name it and where the worker finds it."""

    module: str  # "__main__" for classes defined in worker.py
    cls: str
    binding: str
    max_threads: int | None = None  # RacyPoint: 1
    freelist: bool = False  # read against the C floor with a freelist (else the plain floor)

    @property
    def key(self) -> str:
        return self.cls if self.module == "__main__" else f"{self.module}.{self.cls}"

    def spec(self) -> dict:
        return {"key": self.key, "module": self.module, "cls": self.cls, "max_threads": self.max_threads}


ROWS = [
    Row("points", "Point", "Swift, default strategy", freelist=True),
    Row("points", "MutexPoint", "Swift, mutex", freelist=True),
    Row("points", "PyMutexPoint", "Swift, PyMutex", freelist=True),
    Row("points", "PerThreadPoint", "Swift, per-thread", freelist=True),
    Row("points", "LockFreePoint", "Swift, lock-free", freelist=True),
    Row("points", "PlainPoint", "Swift, no freelist (baseline)"),
    Row("points", "RacyPoint", "Swift, unsynchronised (ceiling, 1T only)", max_threads=1, freelist=True),
    Row("pyo3_points", "Point", "PyO3, freelist = 32", freelist=True),
    Row("pyo3_points", "PlainPoint", "PyO3, no freelist"),
    Row("cython_points", "Point", "Cython, @freelist(32)", freelist=True),
    Row("cython_points", "PlainPoint", "Cython cdef class"),
    Row("nanobind_points", "Point", "nanobind, nb::pooled(32)", freelist=True),
    Row("nanobind_points", "PlainPoint", "nanobind, no pool"),
    Row("c_points", "Point", "hand-written C, no freelist"),
    Row("c_floor_points", "Point", "C floor, per-thread freelist (32)", freelist=True),
    Row("c_floor_points", "PlainPoint", "C floor, no freelist"),
    Row("__main__", "SlotsPoint", "pure Python, __slots__"),
]
DEFAULT, BASELINE, PYO3, CYTHON = "points.Point", "points.PlainPoint", "pyo3_points.Point", "cython_points.Point"
FLOOR, PLAIN_FLOOR = "c_floor_points.Point", "c_floor_points.PlainPoint"  # the C floor of each kind
SWIFT_FREELISTS = ["points.Point", "points.MutexPoint", "points.PyMutexPoint", "points.PerThreadPoint",
                   "points.LockFreePoint"]
MODE_ROWS = SWIFT_FREELISTS + [BASELINE, PYO3, "pyo3_points.PlainPoint"]  # cross-thread and churn
MEMORY_ROWS = SWIFT_FREELISTS + [BASELINE]


MODULES = ("points", "pyo3_points", "cython_points", "nanobind_points", "c_points",
           "c_floor_points")  # the extension modules under test


class WorkerError(Exception):
    """A worker process failed or printed no result."""


# ---------------------------------------------------------------- pure helpers

def median(values):
    """The median of a non-empty sequence of numbers."""
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def ratio(baseline_ns, row_ns):
    """How many times faster the row is than the baseline (baseline_ns / row_ns); None if unknown."""
    if baseline_ns is None or row_ns is None or row_ns <= 0:
        return None
    return baseline_ns / row_ns


def parse_threads(text):
    """'1,2,4' -> [1, 2, 4] (sorted, unique, each at least 1)."""
    try:
        counts = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of integers: {text!r}") from None
    if not counts or counts[0] < 1:
        raise argparse.ArgumentTypeError("thread counts must be at least 1")
    return counts


def select_rows(rows, pattern):
    """The rows whose key or binding contains one of the comma-separated substrings (any case)."""
    if not pattern:
        return list(rows)
    needles = [part.strip().lower() for part in pattern.split(",") if part.strip()]
    return [row for row in rows if any(n in row.key.lower() or n in row.binding.lower() for n in needles)]


def summarize(walls, ops_per_worker, workers_at):
    """Medians of one mode's raw wall times.

    walls: {row key: {str(T): [seconds per repetition]}}; ops_per_worker: operations each
    thread (or pair) performs; workers_at(T): how many threads (or pairs) share the work.
    Returns {key: {str(T): {"walls", "median_wall", "ns_per_op", "ops_per_s", "vs_baseline",
    "vs_pyo3"}}} where ns_per_op is per thread (median wall / ops_per_worker) and ops_per_s the
    aggregate (workers x ops_per_worker / median wall)."""
    summary = {}
    for key, cells in walls.items():
        summary[key] = {}
        for t, samples in cells.items():
            if not samples:
                continue
            wall = median(samples)
            summary[key][t] = {
                "walls": list(samples), "median_wall": wall,
                "ns_per_op": wall / ops_per_worker * 1e9,
                "ops_per_s": workers_at(int(t)) * ops_per_worker / wall,
            }
    for key, cells in summary.items():
        for t, cell in cells.items():
            cell["vs_baseline"] = ratio(figure(summary, BASELINE, t), cell["ns_per_op"])
            cell["vs_pyo3"] = ratio(figure(summary, PYO3, t), cell["ns_per_op"])
    return summary


def figure(summary, key, t, field="ns_per_op"):
    """One median figure of a summary, or None when the row or cell was not measured."""
    if summary is None:
        return None
    cell = summary.get(key, {}).get(str(t))
    return None if cell is None else cell[field]


def fmt_ns(value):
    """ns/op with about three significant digits; '—' for no value."""
    if value is None:
        return "—"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def fmt_mops(ops_per_s):
    """Operations per second as Mops/s; '—' for no value."""
    if ops_per_s is None:
        return "—"
    mops = ops_per_s / 1e6
    return f"{mops:.2f}" if mops < 10 else f"{mops:.1f}"


def fmt_ratio(value):
    """A ratio with two decimals; '—' for no value."""
    return "—" if value is None else f"{value:.2f}"


def joined(values, fmt):
    """'a / b / c' of formatted values."""
    return " / ".join(fmt(value) for value in values)


def markdown_table(headers, rows, align=None):
    """A GitHub markdown table. align: one of 'l'/'r' per column (default: first two left)."""
    align = align or ["l", "l"] + ["r"] * (len(headers) - 2)
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, table has {len(headers)} columns: {row}")
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---:" if a == "r" else ":---" for a in align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def row_label(key):
    """A row's name as the tables show it."""
    return f"`{key}`"


def binding_of(key, strategies=None):
    """The binding column of a row; the default class names its strategy when known."""
    row = next((r for r in ROWS if r.key == key), None)
    text = row.binding if row else key
    strategy = (strategies or {}).get(key)
    if key == DEFAULT and strategy:
        text = f"Swift, default = {strategy}"
    return text


def floor_of(key):
    """The C floor a row is read against: the freelist floor for freelist rows, else the plain one."""
    row = next((r for r in ROWS if r.key == key), None)
    return FLOOR if row is not None and row.freelist else PLAIN_FLOOR


def status_cell(statuses, key):
    """The text shown in place of figures for a row that did not run (e.g. 'missing')."""
    status = (statuses or {}).get(key, "ok")
    return "ok" if status == "ok" else status.split(":")[0]


def main_table(summary, keys, threads, statuses=None, strategies=None):
    """The create/destroy table of one interpreter: per-T ns/op, Mops/s, scaling and ratios."""
    ts = [str(t) for t in threads]
    slash = " / ".join(f"{t}T" for t in ts)
    headers = ["row", "binding"] + [f"{t}T ns/op" for t in ts] + [f"Mops/s ({slash})"]
    scaling = "1" in ts and "2" in ts
    if scaling:
        headers.append("2T/1T")
    headers += [f"× no-freelist ({slash})", f"× PyO3 freelist ({slash})", f"× C floor ({slash})"]
    rows = []
    for key in keys:
        status = status_cell(statuses, key)
        if status != "ok":
            rows.append([row_label(key), binding_of(key, strategies)] + [status] * len(ts)
                        + ["—"] * (len(headers) - 2 - len(ts)))
            continue
        row = [row_label(key), binding_of(key, strategies)]
        row += [fmt_ns(figure(summary, key, t)) for t in ts]
        row.append(joined([figure(summary, key, t, "ops_per_s") for t in ts], fmt_mops))
        if scaling:
            row.append(fmt_ratio(scaling_of(summary, key)))
        row.append(joined([figure(summary, key, t, "vs_baseline") for t in ts], fmt_ratio))
        row.append(joined([figure(summary, key, t, "vs_pyo3") for t in ts], fmt_ratio))
        row.append(joined([ratio(figure(summary, floor_of(key), t), figure(summary, key, t)) for t in ts],
                          fmt_ratio))
        rows.append(row)
    return markdown_table(headers, rows)


def scaling_of(summary, key, low="1", high="2"):
    """Aggregate throughput at `high` threads over aggregate at `low` threads."""
    low_rate, high_rate = figure(summary, key, low, "ops_per_s"), figure(summary, key, high, "ops_per_s")
    if low_rate is None or high_rate is None:
        return None
    return high_rate / low_rate


def cross_table(summary, keys, threads, statuses=None, strategies=None):
    """The cross-thread table: ns per object per pair, aggregate Mops/s and ratios, per T."""
    ts = [str(t) for t in threads]
    slash = " / ".join(f"{t}T" for t in ts)
    headers = (["row", "binding"] + [f"{t}T ns/object" for t in ts]
               + [f"Mops/s ({slash})", f"× no-freelist ({slash})", f"× PyO3 freelist ({slash})"])
    rows = []
    for key in keys:
        status = status_cell(statuses, key)
        if status != "ok":
            rows.append([row_label(key), binding_of(key, strategies)] + [status] * len(ts) + ["—"] * 3)
            continue
        rows.append([row_label(key), binding_of(key, strategies)]
                    + [fmt_ns(figure(summary, key, t)) for t in ts]
                    + [joined([figure(summary, key, t, "ops_per_s") for t in ts], fmt_mops),
                       joined([figure(summary, key, t, "vs_baseline") for t in ts], fmt_ratio),
                       joined([figure(summary, key, t, "vs_pyo3") for t in ts], fmt_ratio)])
    return markdown_table(headers, rows)


def churn_table(summary, keys, t, statuses=None, strategies=None):
    """The thread-churn table: overall ns/op, Mops/s and ratios."""
    headers = ["row", "binding", "ns/op", "Mops/s", "× no-freelist", "× PyO3 freelist"]
    rows = []
    for key in keys:
        status = status_cell(statuses, key)
        if status != "ok":
            rows.append([row_label(key), binding_of(key, strategies), status, "—", "—", "—"])
            continue
        rows.append([row_label(key), binding_of(key, strategies), fmt_ns(figure(summary, key, t)),
                     fmt_mops(figure(summary, key, t, "ops_per_s")),
                     fmt_ratio(figure(summary, key, t, "vs_baseline")), fmt_ratio(figure(summary, key, t, "vs_pyo3"))])
    return markdown_table(headers, rows)


def other_cpu_share(busy_seconds, own_seconds, wall_seconds, cpus):
    """The share of the machine's CPU time that processes other than the benchmark used during it.

    busy_seconds: CPU time all processes used over the run (from /proc/stat); own_seconds: what
    the benchmark and its workers used; None when unknown."""
    if busy_seconds is None or not wall_seconds or not cpus:
        return None
    return max(0.0, busy_seconds - own_seconds) / (wall_seconds * cpus)


def mib(value_bytes):
    """Bytes as MiB (None stays None)."""
    return None if value_bytes is None else value_bytes / 2 ** 20


def memory_row(entry):
    """Figures of one memory measurement: peak MiB, churn MiB after first/all threads, difference."""
    steady, churn = entry.get("steady") or {}, entry.get("churn") or {}
    peak = steady.get("maxrss_kib") / 1024 if steady.get("status") == "ok" else None
    first = mib(churn.get("rss_bytes_first")) if churn.get("status") == "ok" else None
    last = mib(churn.get("rss_bytes_all")) if churn.get("status") == "ok" else None
    difference = None if first is None or last is None else last - first
    return peak, first, last, difference


def memory_table(entries, memory_ops, first, total):
    """The memory table (3.13t): one row per class."""
    headers = ["class", "strategy", f"peak RSS after {memory_ops:,} ops (MiB)",
               f"churn RSS after {first} threads (MiB)", f"after {total} (MiB)", "difference (MiB)"]
    rows = []
    for entry in entries:
        peak, after_first, after_all, difference = memory_row(entry)
        missing = entry.get("status", "—")
        cells = ["—" if v is None else f"{v:.1f}" for v in (peak, after_first, after_all)]
        cells.append("—" if difference is None else f"{difference:+.2f}")
        if missing != "ok":
            cells = [missing if cell == "—" else cell for cell in cells]
        rows.append([row_label(entry["key"]), entry.get("strategy") or "—"] + cells)
    return markdown_table(headers, rows, ["l", "l", "r", "r", "r", "r"])


def target(interpreter, name, measured, threshold, detail="", at_most=False):
    """One target: PASS when measured >= threshold (<= with at_most), N/A when not measured."""
    if measured is None:
        result = "N/A"
    else:
        result = "PASS" if (measured <= threshold if at_most else measured >= threshold) else "MISS"
    return {"interpreter": interpreter, "target": name, "measured": measured, "threshold": threshold,
            "comparison": "<=" if at_most else ">=", "detail": detail, "result": result}


def evaluate_targets(ft_main, gil_main, memory, threads):
    """Issue 4's targets for points.Point, from the medians of this run.

    ft_main / gil_main: the create/destroy summaries of 3.13t / 3.11 (None when not run);
    memory: the 3.13t memory entries; threads: the thread counts run."""
    targets = []

    def faster(interp, summary, other, t, times, what):
        """Adds the target: points.Point at least `times` as fast as row `other` at t threads."""
        mine, theirs = figure(summary, DEFAULT, t), figure(summary, other, t)
        detail = "" if mine is None or theirs is None else f"{fmt_ns(mine)} vs {fmt_ns(theirs)} ns/op"
        name = f"≥ {times:g}× faster than {what} at {t}T" if times != 1 else f"at least as fast as {what} at {t}T"
        targets.append(target(interp, name, ratio(theirs, mine), times, detail))

    if ft_main is not None:
        faster(FT, ft_main, PYO3, "1", 2, "PyO3 freelist")
        faster(FT, ft_main, PYO3, "2", 5, "PyO3 freelist")
        faster(FT, ft_main, CYTHON, "1", 1, "Cython cdef class")
        faster(FT, ft_main, CYTHON, "2", 1, "Cython cdef class")
        for t in threads:
            faster(FT, ft_main, BASELINE, str(t), 1.1, "Swift PlainPoint")
        agg1, agg2 = figure(ft_main, DEFAULT, "1", "ops_per_s"), figure(ft_main, DEFAULT, "2", "ops_per_s")
        targets.append(target(FT, "aggregate at 2T ≥ 1.8× aggregate at 1T", scaling_of(ft_main, DEFAULT), 1.8,
                              "" if agg1 is None or agg2 is None
                              else f"{fmt_mops(agg2)} vs {fmt_mops(agg1)} Mops/s"))
        entry = next((e for e in memory or [] if e["key"] == DEFAULT), None)
        difference = memory_row(entry)[3] if entry else None
        targets.append(target(FT, "thread-churn RSS growth ≤ 1 MiB (after all vs after the first threads)",
                              difference, 1.0, "" if difference is None else f"{difference:+.2f} MiB", at_most=True))
    if gil_main is not None:
        faster(GIL311, gil_main, BASELINE, "1", 1.1, "Swift PlainPoint")
        others = [f"{t}T {fmt_ratio(figure(gil_main, DEFAULT, str(t), 'vs_baseline'))}×" for t in threads if t != 1]
        if others and targets[-1]["measured"] is not None:
            targets[-1]["detail"] += "; other T (reported, not targets): " + ", ".join(others)
    return targets


def targets_table(targets):
    """The Targets table: one line per target with its measured figure and PASS / MISS / N/A."""
    rows = []
    for t in targets:
        measured = "—" if t["measured"] is None else (
            f"{t['measured']:+.2f} MiB" if "MiB" in t["target"] else f"{t['measured']:.2f}×")
        rows.append([t["interpreter"], t["target"], measured, t["detail"] or "—", f"**{t['result']}**"])
    return markdown_table(["interpreter", "target (points.Point)", "measured", "figures", "result"], rows,
                          ["l", "l", "r", "l", "l"])


# ---------------------------------------------------------------- running the workers

def worker_env():
    """The environment of a worker: no PYTHON_GIL (the GIL stays as the build decides), no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_GIL", "PYTHONPATH")}
    env["PYTHONFAULTHANDLER"] = "1"
    return env


def run_worker(python, spec, timeout):
    """Runs worker.py with `spec` under `python`; its stderr (progress) passes through. Returns its result."""
    command = [python, WORKER, json.dumps(spec)]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, timeout=timeout,
                              env=worker_env(), cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise WorkerError(f"{spec['label']} {spec['mode']}: worker timed out after {timeout:.0f}s") from None
    except OSError as error:
        raise WorkerError(f"{spec['label']} {spec['mode']}: cannot run {python}: {error}") from None
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        raise WorkerError(f"{spec['label']} {spec['mode']}: worker exited with status {done.returncode}"
                          + ("" if lines else " and no result"))
    return json.loads(lines[-1][len(RESULT_PREFIX):])


def interpreter_info(python):
    """Version, SOABI and build kind of an interpreter."""
    code = ("import json, platform, sys, sysconfig; print(json.dumps({'version': sys.version.split()[0], "
            "'implementation': platform.python_implementation(), 'soabi': sysconfig.get_config_var('SOABI'), "
            "'free_threaded': sysconfig.get_config_var('Py_GIL_DISABLED') == 1, 'executable': sys.executable}))")
    try:
        done = subprocess.run([python, "-c", code], capture_output=True, text=True, env=worker_env())
    except OSError as error:
        raise WorkerError(f"cannot run {python}: {error}") from None
    if done.returncode != 0:
        raise WorkerError(f"cannot run {python}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def base_spec(args, label, build_dir, mode, rows):
    """What a worker is told: its mode, rows and sizes (see worker.py)."""
    return {
        "label": label, "mode": mode, "build_dir": build_dir, "rows": [row.spec() for row in rows],
        "threads": args.threads, "ops": args.ops, "repeats": args.repeats, "batch": args.batch,
        "churn_threads": args.churn_threads, "churn_ops": args.churn_ops, "churn_concurrency": 2,
        "memory_ops": args.memory_ops, "memory_threads": args.memory_threads, "memory_first": args.memory_first,
        "memory_thread_ops": args.memory_thread_ops, "memory_keep": 100, "memory_steady_threads": 2,
    }


def merge_runs(runs):
    """One worker result from several worker processes of the same mode: every repetition's wall
    time, per row and thread count, from all of them (the first run supplies everything else).

    Each process has its own memory layout (ASLR, allocator state), which shifts a single-thread
    tight loop by tens of percent from one process to the next; a median over several processes
    averages that out, where repetitions inside one process cannot."""
    merged = dict(runs[0])
    merged["walls"] = {key: {t: list(values) for t, values in per_t.items()} for key, per_t in runs[0]["walls"].items()}
    for other in runs[1:]:
        for key, per_t in other["walls"].items():
            for t, values in per_t.items():
                merged["walls"].setdefault(key, {}).setdefault(t, []).extend(values)
    merged["processes"] = len(runs)
    return merged


def digest_mode(mode, raw):
    """The summary of one worker's timed mode: medians and ratios from its raw wall times."""
    if mode == "main":
        return summarize(raw["walls"], raw["ops_per_thread"], lambda t: t)
    if mode == "cross":
        return summarize(raw["walls"], raw["objects_per_pair"], lambda t: t // 2)
    return summarize(raw["walls"], raw["ops_total"], lambda t: 1)


def strategies_of(raw):
    """{row key: freelist strategy} from the workers' freelist_stats."""
    return {key: (row.get("freelist_stats") or {}).get("strategy") for key, row in raw["rows"].items()
            if row.get("freelist_stats")}


def snapshot_modules(source_dir, snapshot_dir):
    """Copies the extension modules under test from build/<SOABI>/ into snapshot_dir, so that every
    worker of this run loads the same binaries even if they are rebuilt meanwhile.

    Returns {file name: sha256} of the copies."""
    os.makedirs(snapshot_dir, exist_ok=True)
    for stale in glob.glob(os.path.join(snapshot_dir, "*.so")):
        os.remove(stale)
    digests = {}
    for path in sorted(glob.glob(os.path.join(source_dir, "*.so"))):
        name = os.path.basename(path)
        if name.split(".")[0] in MODULES:
            shutil.copy2(path, os.path.join(snapshot_dir, name))
            with open(os.path.join(snapshot_dir, name), "rb") as module:
                digests[name] = hashlib.sha256(module.read()).hexdigest()
    return digests


def run_interpreter(args, label, python, rows, errors):
    """Every mode on one interpreter; returns its entry of the report."""
    info = interpreter_info(python)
    if label == FT and not info["free_threaded"]:
        raise WorkerError(f"{python} is not a free-threaded build")
    build_dir = os.path.join(ROOT, "build", "bench", "modules", info["soabi"])
    modules = snapshot_modules(os.path.join(ROOT, "build", info["soabi"]), build_dir)
    entry = {"python": python, "info": info, "build_dir": build_dir, "modules": modules, "modes": {},
             "memory": [], "warnings": []}
    modes = ["main"] if args.skip_modes else ["main", "cross", "churn"]
    for mode in modes:
        mode_rows = rows if mode == "main" else [row for row in rows if row.key in MODE_ROWS]
        if not mode_rows or (mode == "cross" and not [t for t in args.threads if t >= 2 and t % 2 == 0]):
            continue
        try:
            runs = []
            for process in range(args.processes):
                print(f"bench: {label} {mode}: {len(mode_rows)} rows, process {process + 1} of {args.processes}",
                      file=sys.stderr, flush=True)
                runs.append(run_worker(python, base_spec(args, label, build_dir, mode, mode_rows), args.timeout))
        except WorkerError as error:
            errors.append(str(error))
            continue
        raw = merge_runs(runs)
        entry["modes"][mode] = {"raw": raw, "summary": digest_mode(mode, raw)}
        warning = raw["constants"]["warning"]
        if warning and warning not in entry["warnings"]:
            entry["warnings"].append(warning)
    if info["free_threaded"] and not args.skip_memory:
        entry["memory"] = run_memory(args, label, python, build_dir, rows, errors)
    return entry


def run_memory(args, label, python, build_dir, rows, errors):
    """Peak and churn RSS of each Swift class, each measurement in a fresh worker process."""
    entries = []
    for row in [row for row in rows if row.key in MEMORY_ROWS]:
        entry = {"key": row.key, "status": "ok"}
        for kind in ("steady", "churn"):
            spec = base_spec(args, label, build_dir, f"memory-{kind}", [row])
            try:
                result = run_worker(python, spec, args.timeout)
            except WorkerError as error:
                errors.append(str(error))
                entry["status"] = "failed"
                continue
            entry[kind] = result
            if result["status"] != "ok":
                entry["status"] = result["status"].split(":")[0]
            stats = result["rows"][row.key].get("freelist_stats") or {}
            entry["strategy"] = stats.get("strategy", entry.get("strategy"))
        entries.append(entry)
    return entries


# ---------------------------------------------------------------- the report

def machine_busy_seconds():
    """CPU time every process on the machine has used since boot, from /proc/stat; None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            user, nice, system, idle, iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
    except (OSError, ValueError):
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    """CPU time this process and its finished children (the workers) have used."""
    return sum(usage.ru_utime + usage.ru_stime for usage in
               (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def git_commit():
    """The checkout's commit, with '+dirty' when the tree has changes; None outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+dirty" if dirty else "")


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (or what platform knows)."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def peer_versions(soabis):
    """Versions of the tools the peers were built with, as far as the build cache tells cheaply."""
    versions = {}
    crates = os.path.join(CACHE, "peers", "debian-crates", "crates.txt")
    try:
        with open(crates) as listing:
            for line in listing:  # "pyo3 0.28.2 librust-pyo3-dev 0.28.2-2"
                parts = line.split()
                if len(parts) >= 4 and parts[0] == "pyo3":
                    versions["pyo3"] = f"{parts[1]} (Debian {parts[2]} {parts[3]})"
    except OSError:
        pass
    for soabi in soabis:
        found = glob.glob(os.path.join(CACHE, f"venv-peers-{soabi}", "lib", "python*", "site-packages",
                                       "[Cc]ython-*.dist-info"))
        if found:
            versions[f"cython ({soabi})"] = os.path.basename(found[0])[len("cython-"):-len(".dist-info")]
        found = glob.glob(os.path.join(CACHE, f"venv-peers-{soabi}", "lib", "python*", "site-packages",
                                       "nanobind-*.dist-info"))
        if found:
            versions[f"nanobind ({soabi})"] = os.path.basename(found[0])[len("nanobind-"):-len(".dist-info")]
    try:
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True, timeout=30)
        versions["swift"] = (swift.stdout or swift.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        pass
    return versions


def machine_info(interpreters):
    """Date, CPU, commit, interpreter and peer versions, for the report and the JSON."""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(), "cpu_model": cpu_model(), "platform": platform.platform(),
        "git_commit": git_commit(),
        "interpreters": {label: entry["info"] for label, entry in interpreters.items()},
        "peers": peer_versions([entry["info"]["soabi"] for entry in interpreters.values()]),
    }


def describe_interpreter(label, entry):
    """'3.13t: Python 3.13.5 (free-threaded, GIL off), `path`'."""
    info = entry["info"]
    kind = "free-threaded, GIL off" if info["free_threaded"] else "GIL build"
    return f"{label}: Python {info['version']} ({kind}), `{entry['python']}`"


def probe_sentence(share):
    """What the worker's __del__ probe says about where handed-over objects are freed."""
    if share is None:
        return ""
    text = (f"A `__del__` probe with the same batches finds {share:.0%} of the objects finalised on a thread "
            "other than their creator")
    if share < 0.5:
        text += (": free-threaded CPython's biased reference counting hands an object dropped by a thread "
                 "that does not own it back to its owner, which frees it (unless the owner has exited)")
    return text + "."


def render_interpreter(label, entry, args):
    """The markdown sections of one interpreter."""
    parts = [f"## {describe_interpreter(label, entry)}"]
    main = entry["modes"].get("main")
    if main:
        raw = main["raw"]
        statuses = {k: r["status"] for k, r in raw["rows"].items()}
        keys = list(raw["rows"])
        parts.append(f"### Create/destroy `C(1.0, 2.0)`: T threads behind a barrier, "
                     f"{raw['ops_per_thread']:,} ops per thread, median of {median_count(args)}\n\n"
                     "ns/op: per thread (wall time / N); Mops/s: aggregate (T·N / wall time); "
                     "× columns: baseline ns/op ÷ row ns/op (> 1 = faster than the baseline); "
                     f"× C floor: against `{FLOOR}` for freelist rows, `{PLAIN_FLOOR}` for the others.\n\n"
                     + main_table(main["summary"], keys, args.threads, statuses, strategies_of(raw)))
        missing = [f"`{k}`: {s}" for k, s in statuses.items() if s != "ok"]
        if missing:
            parts.append("Not run: " + "; ".join(missing) + ".")
    cross = entry["modes"].get("cross")
    if cross:
        raw = cross["raw"]
        ts = [t for t in args.threads if t >= 2 and t % 2 == 0]
        parts.append(f"### Cross-thread: T/2 producer → consumer pairs, {raw['objects_per_pair']:,} objects per "
                     f"pair in batches of {raw['batch']:,}, median of {median_count(args)}\n\n"
                     "The producer builds each batch (`list(map(C, ...))`) and hands it over a queue; the "
                     "consumer drops it. ns/object: per pair (wall time / objects); Mops/s: aggregate. "
                     + probe_sentence(raw.get("freed_on_other_thread")) + "\n\n"
                     + cross_table(cross["summary"], list(raw["rows"]), ts,
                                   {k: r["status"] for k, r in raw["rows"].items()}, strategies_of(raw)))
    churn = entry["modes"].get("churn")
    if churn:
        raw = churn["raw"]
        parts.append(f"### Thread churn: {raw['threads_total']} threads × {raw['ops_per_thread']:,} objects, "
                     f"{raw['concurrency']} at a time, median of {median_count(args)}\n\n"
                     "ns/op: wall time (thread start-up included) / all operations.\n\n"
                     + churn_table(churn["summary"], list(raw["rows"]), str(raw["concurrency"]),
                                   {k: r["status"] for k, r in raw["rows"].items()}, strategies_of(raw)))
    if entry["memory"]:
        parts.append(f"### Memory ({label}, each class and measurement in a fresh process)\n\n"
                     f"Peak RSS: `ru_maxrss` after {args.memory_ops:,} create/destroy, split over 2 threads. Churn: "
                     f"{args.memory_threads} threads, 2 at a time, each creating {args.memory_thread_ops:,} "
                     "objects with 100 alive at a time; current RSS (/proc/self/statm) after the first "
                     f"{args.memory_first} threads and after all of them.\n\n"
                     + memory_table(entry["memory"], args.memory_ops, args.memory_first, args.memory_threads))
    return parts


def header_line(report, args):
    """When, where and how long: the line under the report's title."""
    machine, load, other = report["machine"], report["load_average"], report["other_cpu_share"]
    commit = machine["git_commit"] or "unknown"
    items = [machine["date"], f"{machine['cpu_model']}, {machine['cpu_count']} CPUs",
             f"commit `{commit[:12]}{'+dirty' if commit.endswith('+dirty') else ''}`",
             f"{report['seconds']:.0f} s"]
    if other is not None:
        items.append(f"other processes used {other:.0%} of the CPUs meanwhile")
    items.append(f"load average {load['start']:.2f} at start, {load['end']:.2f} at end")
    if args.quick:
        items.append("**--quick: a smoke test, the figures are noise**")
    return " · ".join(items)


def render(report, args):
    """The whole markdown report."""
    machine = report["machine"]
    other = report["other_cpu_share"]
    parts = ["# PyClassKit create/destroy benchmark", header_line(report, args)]
    for label, entry in report["interpreters"].items():
        parts += render_interpreter(label, entry, args)
    if report["targets"]:
        parts.append("## Targets (issue 4)\n\nFor the default class `points.Point`; measured: the other row's "
                     "median ns/op ÷ `points.Point`'s (> 1 = `points.Point` is faster), aggregate 2T ÷ 1T, and the "
                     "memory table's churn difference.\n\n" + targets_table(report["targets"]))
    notes = []
    for label, entry in report["interpreters"].items():
        notes += [f"{label}: WARNING: {w}" for w in entry["warnings"]]
        consts = [m["raw"]["constants"] for m in entry["modes"].values()]
        if consts and consts[0]["immortal"]:
            notes.append(f"{label}: the float constants passed to the constructors are immortal "
                         "(no shared refcount between threads).")
        if entry["info"]["free_threaded"] and "main" in entry["modes"]:
            notes.append(f"{label}: Cython compiles `@cython.freelist` out on free-threaded builds, so "
                         "`cython_points.Point` has no freelist there.")
    if other is not None and other > BUSY_SHARE:
        notes.append(f"the machine was busy: other processes used {other:.0%} of its {machine['cpu_count']} CPUs "
                     "during the run. Absolute figures are pessimistic; ratios come from interleaved "
                     "repetitions of the same run.")
    notes += [f"ERROR: {e}" for e in report["errors"]]
    if notes:
        parts.append("## Notes\n\n" + "\n".join(f"- {n}" for n in notes))
    return "\n\n".join(parts) + "\n"


def json_document(report, args):
    """The JSON results: configuration, machine, every raw repetition, medians and targets."""
    return {
        "schema": "pyclasskit-bench/1",
        "config": {k: v for k, v in vars(args).items() if k not in ("json", "plot", "markdown")},
        "machine": report["machine"],
        "load_average": report["load_average"],
        "other_cpu_share": report["other_cpu_share"],
        "seconds": report["seconds"],
        "interpreters": report["interpreters"],
        "targets": report["targets"],
        "errors": report["errors"],
    }


def throughput_series(report):
    """{interpreter label: {row key: [(T, aggregate ops/s), ...]}} of the create/destroy mode."""
    series = {}
    for label, entry in report["interpreters"].items():
        main = entry["modes"].get("main")
        if not main:
            continue
        series[label] = {key: sorted((int(t), cell["ops_per_s"]) for t, cell in cells.items())
                         for key, cells in main["summary"].items() if cells}
    return series


def write_outputs(report, args, markdown):
    """results.md, results.json and the plot; a failing plot is a warning, not an error."""
    for path in (args.markdown, args.json, args.plot):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(args.markdown, "w") as file:
        file.write(markdown)
    with open(args.json, "w") as file:
        json.dump(json_document(report, args), file, indent=1)
    print(f"bench: wrote {args.markdown} and {args.json}", file=sys.stderr)
    try:
        import plot
        plot.plot_throughput(throughput_series(report), args.plot,
                             f"create/destroy C(1.0, 2.0), {args.ops:,} ops per thread, median of {median_count(args)}")
        print(f"bench: wrote {args.plot}", file=sys.stderr)
    except ImportError as error:
        print(f"bench: no plot ({error}); scripts/bench installs matplotlib in $PYCLASSKIT_CACHE/venv-bench",
              file=sys.stderr)


# ---------------------------------------------------------------- command line

def parse_args(argv=None):
    """The command line (see --help); --quick shrinks every size."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0].split(": ", 1)[1])
    parser.add_argument("--ops", type=int, help=f"operations per thread (default {DEFAULT_OPS:,}; "
                                                f"--quick: {QUICK_OPS:,})")
    parser.add_argument("--repeats", type=int, help=f"repetitions, median reported (default and minimum "
                                                    f"{MIN_REPEATS}; --quick: 1)")
    parser.add_argument("--processes", type=int, help="worker processes per interpreter and mode, their "
                                                      "repetitions pooled (default 3; --quick: 1)")
    parser.add_argument("--threads", type=parse_threads, default=[1, 2, 4], help="thread counts (default 1,2,4)")
    parser.add_argument("--python313t", default=os.path.join(CACHE, "cpython-3.13.5-ft", "bin", "python3.13t"),
                        help="the free-threaded interpreter (default: the bootstrapped one)")
    parser.add_argument("--python311", default=os.environ.get("PYCLASSKIT_PYTHON311", "/usr/bin/python3.11"),
                        help="the GIL-build interpreter (default /usr/bin/python3.11)")
    parser.add_argument("--only", choices=[FT, GIL311], help="run on one interpreter only")
    parser.add_argument("--rows", help="only rows whose name or binding contains one of these comma-separated "
                                       "substrings, e.g. 'points.,pyo3'")
    parser.add_argument("--skip-memory", action="store_true", help="no memory measurements")
    parser.add_argument("--skip-modes", action="store_true", help="no cross-thread and thread-churn modes")
    parser.add_argument("--json", default=os.path.join(ROOT, "build", "bench", "results.json"),
                        help="JSON output (default build/bench/results.json)")
    parser.add_argument("--markdown", default=os.path.join(ROOT, "build", "bench", "results.md"),
                        help="markdown output (default build/bench/results.md)")
    parser.add_argument("--plot", default=os.path.join(ROOT, "build", "bench", "throughput.png"),
                        help="throughput plot (default build/bench/throughput.png)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and 1 repetition: a smoke test")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a worker counts as hung")
    args = parser.parse_args(argv)
    args.ops = args.ops or (QUICK_OPS if args.quick else DEFAULT_OPS)
    args.repeats = args.repeats or (1 if args.quick else MIN_REPEATS)
    args.processes = args.processes or (1 if args.quick else 3)
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    if args.ops < 1:
        parser.error("--ops must be at least 1")
    if args.repeats < (1 if args.quick else MIN_REPEATS):
        parser.error(f"--repeats must be at least {MIN_REPEATS} (or use --quick)")
    # Sizes of the other modes; --quick shrinks them.
    args.batch = 1000
    args.churn_threads, args.churn_ops = (20, 1000) if args.quick else (200, 5000)
    args.memory_ops = 100_000 if args.quick else 10_000_000
    args.memory_threads, args.memory_first = (100, 10) if args.quick else (1000, 100)
    args.memory_thread_ops = 1000 if args.quick else 3000
    return args


def median_count(args):
    """How many repetitions each median is taken over, as the tables say it."""
    if args.processes == 1:
        return f"{args.repeats}"
    return f"{args.repeats * args.processes} ({args.processes} processes × {args.repeats} repetitions)"


def run(args):
    """Runs every interpreter and mode, prints and writes the report; 0 when everything ran."""
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    busy_start, own_start = machine_busy_seconds(), own_cpu_seconds()
    rows = select_rows(ROWS, args.rows)
    if not rows:
        print(f"bench: no row matches --rows {args.rows!r}", file=sys.stderr)
        return 2
    chosen = [(label, python) for label, python in ((FT, args.python313t), (GIL311, args.python311))
              if args.only in (None, label)]
    errors, interpreters = [], {}
    for label, python in chosen:
        try:
            interpreters[label] = run_interpreter(args, label, python, rows, errors)
        except WorkerError as error:
            errors.append(str(error))
    ft_main = interpreters.get(FT, {}).get("modes", {}).get("main")
    gil_main = interpreters.get(GIL311, {}).get("modes", {}).get("main")
    report = {
        "machine": machine_info(interpreters),
        "load_average": {"start": load_start, "end": os.getloadavg()[0]},
        "seconds": time.perf_counter() - started,
        "other_cpu_share": other_cpu_share(
            None if busy_start is None else machine_busy_seconds() - busy_start,
            own_cpu_seconds() - own_start, time.perf_counter() - started, os.cpu_count()),
        "interpreters": interpreters,
        "targets": evaluate_targets(ft_main and ft_main["summary"], gil_main and gil_main["summary"],
                                    interpreters.get(FT, {}).get("memory"), args.threads),
        "errors": errors,
    }
    markdown = render(report, args)
    print(markdown)
    write_outputs(report, args, markdown)
    for error in errors:
        print(f"bench: error: {error}", file=sys.stderr)
    print(f"bench: {'failed' if errors else 'done'} in {report['seconds']:.0f} s", file=sys.stderr)
    return 1 if errors else 0


def main(argv=None):
    """Entry point: python main.py [flags]."""
    sys.path.insert(0, HERE)
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
