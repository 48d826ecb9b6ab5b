"""The freelist matrix's figures: for every kind of object (rows.KINDS), strategy and thread count,
on each interpreter, what a freelist does against the same class without one.

Each cell is one class (rows.MATRIX_ROWS), read against its `baseline`, the class of the same kind
and binding without a freelist, measured in the same run:

  instructions vs none   the row's instructions per object ÷ the baseline's (< 1: fewer)
  speed vs none          the baseline's ns/op ÷ the row's, at each thread count (> 1: faster),
                         the "× no-freelist" of the main table

running.run_matrix measures; report.py turns these figures into tables and plot.py into a plot.
"""
from rows import KINDS, MATRIX_ROWS, MATRIX_STRATEGIES, kind_of, matrix_row_of
from stats import figure, ratio

PAYS = 1.0  # a strategy "pays" at a thread count when its speed vs none is at least this
TIE = 3  # instruction counts this close are one figure (two runs of a row differ by up to 3)


def instruction_figure(matrix, key):
    """Instructions per object of a matrix row, or None when not counted."""
    cell = ((matrix.get("instructions") or {}).get("rows") or {}).get(key)
    return cell["instructions"] if cell and cell["status"] == "ok" else None


def fraction(row, baseline):
    """row ÷ baseline (e.g. of instructions), or None when either is unknown."""
    if row is None or baseline is None or baseline <= 0:
        return None
    return row / baseline


def matrix_cells(matrix, threads):
    """One dict per row the matrix ran, in catalogue order: key, kind, strategy, binding, baseline,
    status, basicsize, gc, the strategy freelist_stats reported, hits, misses, instructions and
    instructions_vs_none, and per thread count (str) ns_per_op, ops_per_s and speed_vs_none."""
    raw, summary = matrix["raw"], matrix["summary"]
    cells = []
    for row in MATRIX_ROWS:
        result = raw["rows"].get(row.key)
        if result is None:
            continue
        stats = result.get("freelist_stats") or {}
        instructions = instruction_figure(matrix, row.key)
        cell = {
            "key": row.key, "kind": row.kind, "strategy": row.strategy, "binding": row.binding,
            "baseline": row.baseline, "status": result["status"], "basicsize": result.get("basicsize"),
            "gc": result.get("gc"), "reported_strategy": stats.get("strategy"), "hits": stats.get("hits"),
            "misses": stats.get("misses"), "instructions": instructions,
            "instructions_vs_none": fraction(instructions, instruction_figure(matrix, row.baseline)),
            "threads": {},
        }
        for t in map(str, threads):
            ns = figure(summary, row.key, t)
            if ns is None:
                continue
            cell["threads"][t] = {"ns_per_op": ns, "ops_per_s": figure(summary, row.key, t, "ops_per_s"),
                                  "speed_vs_none": ratio(figure(summary, row.baseline, t), ns)}
        cells.append(cell)
    return cells


def is_swift(cell):
    """Whether a cell is one of PyClassKit's classes (not a peer's twin)."""
    return cell["binding"].startswith("Swift")


def verdicts(cells, threads):
    """Per kind: which Swift strategy runs the fewest instructions (all of those within TIE of the
    fewest, e.g. every strategy on a GIL build, where they are one code path) and which is fastest
    at each thread count, each with its ratio to no freelist, and the thread counts at which each
    strategy is at least as fast as no freelist. A list of {"kind", "fewest_instructions":
    ("strategy[, strategy...]", ratio) or None, "fastest": {T: (strategy, speed) or None},
    "pays_at": {strategy: [T, ...]}}."""
    result = []
    for kind in KINDS:
        mine = [c for c in cells if c["kind"] == kind.name and is_swift(c) and c["strategy"] != "none"
                and c["status"] == "ok"]
        if not mine:
            continue
        counted = [c for c in mine if c["instructions_vs_none"] is not None]
        fewest = min(counted, key=lambda c: c["instructions"]) if counted else None
        tied = [c["strategy"] for c in counted if fewest and c["instructions"] - fewest["instructions"] <= TIE]
        fastest, pays_at = {}, {c["strategy"]: [] for c in mine}
        for t in map(str, threads):
            timed = [c for c in mine if (c["threads"].get(t) or {}).get("speed_vs_none") is not None]
            best = max(timed, key=lambda c: c["threads"][t]["speed_vs_none"]) if timed else None
            fastest[t] = (best["strategy"], best["threads"][t]["speed_vs_none"]) if best else None
            for c in timed:
                if c["threads"][t]["speed_vs_none"] >= PAYS:
                    pays_at[c["strategy"]].append(int(t))
        result.append({"kind": kind.name,
                       "fewest_instructions": (", ".join(tied), fewest["instructions_vs_none"]) if fewest else None,
                       "fastest": fastest, "pays_at": pays_at})
    return result


def matrix_document(interpreters, threads):
    """The matrix for the JSON document: the catalogue, and per interpreter its cells and verdicts
    (the raw repetitions are in each interpreter's entry, under "matrix")."""
    document = {"kinds": [{"name": k.name, "title": k.title, "description": k.description} for k in KINDS],
                "strategies": MATRIX_STRATEGIES, "threads": list(threads), "interpreters": {}}
    for label, entry in interpreters.items():
        if not entry.get("matrix"):
            continue
        cells = matrix_cells(entry["matrix"], threads)
        document["interpreters"][label] = {"cells": cells, "verdicts": verdicts(cells, threads)}
    return document


def plot_series(document):
    """{interpreter: {kind title: [(label, is_swift, [(T, speed vs none)], instructions vs none)]}}
    for plot.plot_matrix: every row with a freelist, the baselines left out (1 by definition)."""
    series = {}
    for label, figures in document["interpreters"].items():
        per_kind = series.setdefault(label, {})
        for cell in figures["cells"]:
            if cell["strategy"] == "none" or cell["status"] != "ok":
                continue
            row = matrix_row_of(cell["key"])
            name = cell["strategy"] if is_swift(cell) else row.binding.split(",")[0] + " " + cell["strategy"]
            points = sorted((int(t), v["speed_vs_none"]) for t, v in cell["threads"].items()
                            if v["speed_vs_none"] is not None)
            per_kind.setdefault(kind_of(cell["kind"]).title, []).append((name, is_swift(cell), points, cell["instructions_vs_none"]))
    return series
