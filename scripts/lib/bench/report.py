"""The report: markdown tables and the whole markdown document, the JSON document, the
throughput plot's series, the freelist matrix's tables, and writing them all."""
import json
import os
import sys

import matrix
from rows import FLOOR, PLAIN_FLOOR, binding_of, floor_of, kind_of
from stats import figure, memory_row, ratio, scaling_of

SCHEMA = "pyclasskit-bench/2"
BUSY_SHARE = 0.10  # other processes using more than this share of the CPUs: the notes say so


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


def fmt_instructions(value):
    """Instructions per object, to the instruction with thousands separators; '—' for no value."""
    return "—" if value is None else f"{value:,.0f}"


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


def status_cell(statuses, key):
    """The text shown in place of figures for a row that did not run (e.g. 'missing')."""
    status = (statuses or {}).get(key, "ok")
    return "ok" if status == "ok" else status.split(":")[0]


def strategies_of(raw):
    """{row key: freelist strategy} from the workers' freelist_stats."""
    return {key: (row.get("freelist_stats") or {}).get("strategy") for key, row in raw["rows"].items()
            if row.get("freelist_stats")}


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


def instruction_table(counts, strategies=None):
    """The instruction table of one interpreter: instructions per C(1.0, 2.0) of each counted row."""
    rows = [[row_label(key), binding_of(key, strategies),
             fmt_instructions(cell["instructions"]) if cell["status"] == "ok" else cell["status"]]
            for key, cell in counts.items()]
    return markdown_table(["row", "binding", "instructions per object"], rows)


def targets_table(results):
    """The targets table: one line per target with its measured figure and PASS / MISS / not measured."""
    rows = [[t["interpreter"], t["description"], t["shown"], t["figures"], f"**{t['result']}**"] for t in results]
    return markdown_table(["interpreter", "target", "measured", "figures", "result"], rows,
                          ["l", "l", "r", "l", "l"])


def median_count(args):
    """How many repetitions each median is taken over, as the tables say it."""
    if args.processes == 1:
        return f"{args.repeats}"
    return f"{args.repeats * args.processes} ({args.processes} processes × {args.repeats} repetitions)"


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
    strategies = strategies_of(main["raw"]) if main else None
    if main:
        raw = main["raw"]
        statuses = {k: r["status"] for k, r in raw["rows"].items()}
        keys = list(raw["rows"])
        parts.append(f"### Create/destroy `C(1.0, 2.0)`: T threads behind a barrier, "
                     f"{raw['ops_per_thread']:,} ops per thread, median of {median_count(args)}\n\n"
                     "ns/op: per thread (wall time / N); Mops/s: aggregate (T·N / wall time); "
                     "× columns: baseline ns/op ÷ row ns/op (> 1 = faster than the baseline); "
                     f"× C floor: against `{FLOOR}` for freelist rows, `{PLAIN_FLOOR}` for the others.\n\n"
                     + main_table(main["summary"], keys, args.threads, statuses, strategies))
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
    counts = entry.get("instructions")
    if counts and counts["rows"]:
        parts.append("### Instructions per `C(1.0, 2.0)` (callgrind, 1 thread)\n\n"
                     "The same loop under valgrind with N and 2N iterations in fresh processes, "
                     f"(count(2N) − count(N)) / N with N = {counts['iterations']:,} "
                     "(scripts/lib/bench/instructions.py): repeatable to the instruction, whatever the machine "
                     "is doing.\n\n" + instruction_table(counts["rows"], strategies))
    return parts


# ---------------------------------------------------------------- the freelist matrix

def fmt_times(value):
    """A ratio as the matrix shows it: '0.88×'; '—' for no value."""
    return "—" if value is None else f"{value:.2f}×"


def matrix_strategy_label(cell):
    """The strategy column of the matrix: the Swift strategy, or the peer and its freelist."""
    if matrix.is_swift(cell):
        return cell["strategy"]
    peer = cell["binding"].split(",")[0]
    return f"{peer}, {'no freelist' if cell['strategy'] == 'none' else cell['strategy']}"


def matrix_instruction_cell(cell):
    """'1,206 (0.88×)'; the baseline's count alone; the status when the row did not run."""
    if cell is None:
        return "—"
    if cell["status"] != "ok":
        return cell["status"].split(":")[0]
    if cell["instructions"] is None:
        return "—"
    if cell["key"] == cell["baseline"]:
        return fmt_instructions(cell["instructions"])
    return f"{fmt_instructions(cell['instructions'])} ({fmt_times(cell['instructions_vs_none'])})"


def matrix_speed_cell(cell, threads):
    """'1.10 / 0.95 / 0.40' (speed vs none per T); the baseline's own ns/op; the status if it did not run."""
    if cell is None:
        return "—"
    if cell["status"] != "ok":
        return cell["status"].split(":")[0]
    per_t = [cell["threads"].get(str(t)) for t in threads]
    if cell["key"] == cell["baseline"]:
        return joined([p and p["ns_per_op"] for p in per_t], fmt_ns) + " ns"
    return joined([p and p["speed_vs_none"] for p in per_t], fmt_ratio)


def matrix_summary_table(document, threads):
    """The README's table: every kind × strategy (and the peers' twins), instructions and speed
    against no freelist, on every interpreter that ran the matrix, side by side."""
    labels = list(document["interpreters"])
    slash = " / ".join(f"{t}T" for t in threads)
    headers = ["kind", "strategy"]
    for label in labels:
        headers += [f"{label} instructions (× none)", f"{label} speed × none ({slash})"]
    by_label = {label: {c["key"]: c for c in figures["cells"]} for label, figures in document["interpreters"].items()}
    keys = list(dict.fromkeys(key for cells in by_label.values() for key in cells))
    rows, previous_kind = [], None
    for key in keys:
        cell = next(cells[key] for cells in by_label.values() if key in cells)
        kind = kind_of(cell["kind"]).title
        row = [f"**{kind}**" if kind != previous_kind else "", matrix_strategy_label(cell)]
        previous_kind = kind
        for label in labels:
            mine = by_label[label].get(key)
            row += [matrix_instruction_cell(mine), matrix_speed_cell(mine, threads)]
        rows.append(row)
    return markdown_table(headers, rows, ["l", "l"] + ["r"] * (len(headers) - 2))


def matrix_detail_table(cells, threads):
    """One interpreter's matrix with every figure: size, instructions, ns/op and speed per T."""
    ts = [str(t) for t in threads]
    slash = " / ".join(f"{t}T" for t in ts)
    headers = (["row", "binding", "basicsize", "instructions", "× none"] + [f"{t}T ns/op" for t in ts]
               + [f"Mops/s ({slash})", f"speed × none ({slash})"])
    rows = []
    for cell in cells:
        if cell["status"] != "ok":
            rows.append([row_label(cell["key"]), cell["binding"]] + [cell["status"].split(":")[0]]
                        + ["—"] * (len(headers) - 3))
            continue
        per_t = [cell["threads"].get(t) for t in ts]
        size = "—" if cell["basicsize"] is None else f"{cell['basicsize']}{' + GC' if cell['gc'] else ''}"
        rows.append([row_label(cell["key"]), cell["binding"], size, fmt_instructions(cell["instructions"]),
                     fmt_times(cell["instructions_vs_none"])]
                    + [fmt_ns(p and p["ns_per_op"]) for p in per_t]
                    + [joined([p and p["ops_per_s"] for p in per_t], fmt_mops),
                       joined([p and p["speed_vs_none"] for p in per_t], fmt_ratio)])
    return markdown_table(headers, rows, ["l", "l"] + ["r"] * (len(headers) - 2))


def verdict_text(choice, fmt):
    """'perThread (0.88×)' of a (strategy, ratio) pair; '—' for none."""
    return "—" if choice is None else f"{choice[0]} ({fmt(choice[1])})"


def matrix_verdict_table(document, threads):
    """Per kind and interpreter: the Swift strategy with the fewest instructions, the fastest at
    each thread count (with its ratio to no freelist), and the strategies at least as fast as no
    freelist at every thread count."""
    headers = (["kind", "interpreter", "fewest instructions (× none)"]
               + [f"fastest at {t}T (speed × none)" for t in threads] + ["never slower than none"])
    rows = []
    for kind_name in dict.fromkeys(v["kind"] for figures in document["interpreters"].values()
                                   for v in figures["verdicts"]):
        for label, figures in document["interpreters"].items():
            verdict = next((v for v in figures["verdicts"] if v["kind"] == kind_name), None)
            if verdict is None:
                continue
            always = [s for s, ts in verdict["pays_at"].items() if len(ts) == len(threads)]
            rows.append([kind_of(kind_name).title, label, verdict_text(verdict["fewest_instructions"], fmt_times)]
                        + [verdict_text(verdict["fastest"].get(str(t)), lambda v: f"{v:.2f}×") for t in threads]
                        + [", ".join(always) or "none"])
    return markdown_table(headers, rows)


def render_matrix(report, args):
    """The markdown section of the freelist matrix ('' when it did not run)."""
    document = report.get("matrix") or {}
    if not document.get("interpreters"):
        return ""
    threads = document["threads"]
    parts = ["## When a freelist pays: kinds of object × strategies × threads",
             f"Each cell is a class of its own: one kind of object (below) without a freelist and with "
             f"each safe strategy (capacity 32), and for the GC holder the Cython and PyO3 twins, with and "
             f"without their freelist of 32. `C(1.0, 2.0)` created and dropped, T threads behind a barrier, "
             f"{args.matrix_ops:,} ops per thread, median of {median_count(args)}. **instructions**: callgrind, "
             f"1 thread, per object, and (× none) ÷ the same kind's class without a freelist (< 1: fewer); "
             f"**speed × none**: the class without a freelist's ns/op ÷ the row's, in this run (> 1: faster; the "
             f"row without a freelist shows its own ns/op instead). The peers are read against their own plain "
             f"twins.\n\n"
             + "\n".join(f"- **{kind.title}**: {kind.description}"
                         for kind in map(kind_of, dict.fromkeys(c["kind"] for figures in document["interpreters"].values()
                                                               for c in figures["cells"]))),
             matrix_summary_table(document, threads),
             "### Which strategy, per kind\n\nPyClassKit's strategies only; \"never slower than none\": speed × "
             "none ≥ 1.00 at every thread count of this run.\n\n" + matrix_verdict_table(document, threads)]
    for label, figures in document["interpreters"].items():
        entry = report["interpreters"][label]
        parts.append(f"### The matrix in detail: {describe_interpreter(label, entry)}\n\n"
                     "basicsize: `__basicsize__` (+ GC: garbage-collected, with CPython's GC header before it "
                     "on 3.11).\n\n" + matrix_detail_table(figures["cells"], threads))
    return "\n\n".join(parts)


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
        sections = render_interpreter(label, entry, args)
        if len(sections) > 1 or not getattr(args, "matrix_only", False):  # the matrix alone: its own sections
            parts += sections
    matrix_section = render_matrix(report, args)
    if matrix_section:
        parts.append(matrix_section)
    if report["targets"]:
        parts.append("## Targets\n\nFrom scripts/lib/bench/targets.json. Measured: the row's figure ÷ the reference "
                     "row's (instructions per object, or aggregate Mops/s at the thread counts shown), or the "
                     "figure itself where the target names no reference row. A MISS is not an error.\n\n"
                     + targets_table(report["targets"]))
    notes = []
    for label, entry in report["interpreters"].items():
        notes += [f"{label}: WARNING: {w}" for w in entry["warnings"]]
        consts = [m["raw"]["constants"] for m in entry["modes"].values()] + (
            [entry["matrix"]["raw"]["constants"]] if entry.get("matrix") else [])
        if consts and consts[0]["immortal"]:
            notes.append(f"{label}: the float constants passed to the constructors are immortal "
                         "(no shared refcount between threads).")
        if entry["info"]["free_threaded"] and ("main" in entry["modes"] or entry.get("matrix")):
            notes.append(f"{label}: Cython compiles `@cython.freelist` out on free-threaded builds, so "
                         "`cython_points.Point` and `cython_points.Holder` have no freelist there.")
    if other is not None and other > BUSY_SHARE:
        notes.append(f"the machine was busy: other processes used {other:.0%} of its {machine['cpu_count']} CPUs "
                     "during the run. Absolute figures are pessimistic; ratios come from interleaved "
                     "repetitions of the same run.")
    notes += [f"ERROR: {e}" for e in report["errors"]]
    if notes:
        parts.append("## Notes\n\n" + "\n".join(f"- {n}" for n in notes))
    return "\n\n".join(parts) + "\n"


def json_document(report, args):
    """The JSON results: configuration, machine, every raw repetition, medians, instruction counts and targets."""
    return {
        "schema": SCHEMA,
        "config": {k: v for k, v in vars(args).items() if k not in ("json", "plot", "markdown", "matrix_plot")},
        "machine": report["machine"],
        "load_average": report["load_average"],
        "other_cpu_share": report["other_cpu_share"],
        "seconds": report["seconds"],
        "interpreters": report["interpreters"],
        "targets": report["targets"],
        "matrix": report.get("matrix"),
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
    """results.md, results.json and the plots; a failing plot is a warning, not an error."""
    for path in (args.markdown, args.json, args.plot, args.matrix_plot):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(args.markdown, "w") as file:
        file.write(markdown)
    with open(args.json, "w") as file:
        json.dump(json_document(report, args), file, indent=1)
    print(f"bench: wrote {args.markdown} and {args.json}", file=sys.stderr)
    try:
        import plot
        series = throughput_series(report)
        if series:
            plot.plot_throughput(series, args.plot, f"create/destroy C(1.0, 2.0), {args.ops:,} ops per thread, "
                                                    f"median of {median_count(args)}")
            print(f"bench: wrote {args.plot}", file=sys.stderr)
        document = report.get("matrix") or {}
        if document.get("interpreters"):
            plot.plot_matrix(matrix.plot_series(document), args.matrix_plot,
                             f"freelist matrix: speed against no freelist, C(1.0, 2.0), {args.matrix_ops:,} ops "
                             f"per thread, median of {median_count(args)}")
            print(f"bench: wrote {args.matrix_plot}", file=sys.stderr)
    except ImportError as error:
        print(f"bench: no plot ({error}); scripts/bench installs matplotlib in $PYCLASSKIT_CACHE/venv-bench",
              file=sys.stderr)
