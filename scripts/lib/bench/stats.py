"""Figures from the workers' raw results: medians, ratios, the summary of each mode, memory growth."""
import statistics

from rows import BASELINE, PYO3


def median(values):
    """The median of a non-empty sequence of numbers."""
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def ratio(baseline, row):
    """How many times faster the row is than the baseline (baseline / row, e.g. of ns/op); None if unknown."""
    if baseline is None or row is None or row <= 0:
        return None
    return baseline / row


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


def digest_mode(mode, raw):
    """The summary of one worker's timed mode: medians and ratios from its raw wall times."""
    if mode == "main":
        return summarize(raw["walls"], raw["ops_per_thread"], lambda t: t)
    if mode == "cross":
        return summarize(raw["walls"], raw["objects_per_pair"], lambda t: t // 2)
    return summarize(raw["walls"], raw["ops_total"], lambda t: 1)


def figure(summary, key, t, field="ns_per_op"):
    """One median figure of a summary, or None when the row or cell was not measured."""
    if summary is None:
        return None
    cell = summary.get(key, {}).get(str(t))
    return None if cell is None else cell[field]


def scaling_of(summary, key, low="1", high="2"):
    """Aggregate throughput at `high` threads over aggregate at `low` threads."""
    low_rate, high_rate = figure(summary, key, low, "ops_per_s"), figure(summary, key, high, "ops_per_s")
    if low_rate is None or high_rate is None:
        return None
    return high_rate / low_rate


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
