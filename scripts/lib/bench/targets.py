"""The targets: read from targets.json, checked, and evaluated against one run's figures.

A target compares one figure of a row with `threshold` times the same figure of a reference row,
or with the threshold itself when it names no reference (targets.json's "about" says how). Each
result is PASS, MISS (not an error) or "not measured", with the reason, when the run lacks a
figure the target needs.
"""
import dataclasses
import json
import operator
import os
from typing import Callable

from paths import FT, GIL311, HERE
from report import fmt_instructions, fmt_mops
from rows import row_of
from stats import figure, memory_row

TARGETS_FILE = os.path.join(HERE, "targets.json")
COMPARISONS = {"<=": operator.le, ">=": operator.ge}
NOT_MEASURED = "not measured"


class NotMeasured(Exception):
    """A figure a target needs is not in this run; the message says which and why."""


def absent(what, key, status):
    """NotMeasured for row `key`'s `what`, with the row's status when it is not 'ok'."""
    return NotMeasured(f"no {what} for `{key}`" + (f" ({status})" if status not in (None, "ok") else ""))


def aggregate_throughput(entry, key, threads):
    """The create/destroy mode's aggregate ops/s of row `key` at `threads` threads."""
    main = entry["modes"].get("main")
    if main is None:
        raise NotMeasured("the create/destroy mode did not run")
    value = figure(main["summary"], key, threads, "ops_per_s")
    if value is None:
        raise absent(f"wall-clock figure at {threads}T", key, main["raw"]["rows"].get(key, {}).get("status"))
    return value


def instruction_count(entry, key, threads=None):
    """Row `key`'s instructions per object (callgrind runs one thread: `threads` is not used)."""
    counts = entry["instructions"]
    if counts is None:
        raise NotMeasured("instructions not counted (--skip-instructions or --quick)")
    cell = counts["rows"].get(key)
    if cell is None or cell["status"] != "ok":
        raise absent("instruction count", key, cell and cell["status"])
    return cell["instructions"]


def churn_growth(entry, key, threads=None):
    """How many MiB row `key`'s RSS grew over the thread-churn memory measurement (`threads`: not used)."""
    measured = next((e for e in entry["memory"] if e["key"] == key), None)
    difference = memory_row(measured)[3] if measured else None
    if difference is None:
        raise absent("thread-churn RSS", key, measured and measured["status"])
    return difference


@dataclasses.dataclass(frozen=True)
class Source:
    """Where a target's figures come from, and how one reads."""

    read: Callable  # (interpreter entry, row key, threads) -> figure; raises NotMeasured
    text: Callable  # (figure, threads) -> the figure with its unit


SOURCES = {
    "instructions": Source(instruction_count, lambda value, threads: f"{fmt_instructions(value)} instructions"),
    "wall clock": Source(aggregate_throughput, lambda value, threads: f"{fmt_mops(value)} Mops/s at {threads}T"),
    "thread-churn RSS": Source(churn_growth, lambda value, threads: f"{value:+.2f} MiB"),
}


def check_target(target, path):
    """Raises ValueError, naming the file and the target, when a target of the data file is malformed."""
    def require(condition, what):
        if not condition:
            raise ValueError(f"{path}: target {target.get('description')!r}: {what}")

    require(target.get("interpreter") in (FT, GIL311), f"interpreter must be {FT} or {GIL311}")
    require(isinstance(target.get("description"), str), "needs a description")
    require(target.get("source") in SOURCES, f"source must be one of {', '.join(SOURCES)}")
    require(row_of(target.get("row")) is not None, f"unknown row {target.get('row')!r}")
    require("reference" in target, "needs a reference: a row, or null")
    require(target["reference"] is None or row_of(target["reference"]) is not None,
            f"unknown reference row {target.get('reference')!r}")
    require(target.get("comparison") in COMPARISONS, f"comparison must be one of {', '.join(COMPARISONS)}")
    require(isinstance(target.get("threshold"), (int, float)), "threshold must be a number")
    wall_clock = target["source"] == "wall clock"
    for field in ("threads", "reference_threads"):
        value = target.get(field)
        require(value is None or (wall_clock and isinstance(value, int) and value >= 1),
                f"{field} is a thread count (at least 1) of a wall-clock target")
    require(not wall_clock or target.get("threads") is not None, "a wall-clock target needs threads")


def load_targets(path=TARGETS_FILE):
    """The targets of the data file, in its order, each checked (check_target)."""
    with open(path) as file:
        targets = json.load(file)["targets"]
    for target in targets:
        check_target(target, path)
    return targets


def rows_needed(targets, interpreter, source):
    """The keys of the rows that the targets of one interpreter and source read."""
    return {key for t in targets if t["interpreter"] == interpreter and t["source"] == source
            for key in (t["row"], t["reference"]) if key is not None}


def evaluate_target(target, entry):
    """One target against its interpreter's entry of the report: the target with its `measured`
    value (None when not measured), `shown` (that value as the table shows it), `figures` and
    `result` (PASS, MISS or not measured)."""
    source = SOURCES[target["source"]]
    threads = target.get("threads")
    reference_threads = target.get("reference_threads", threads)
    try:
        mine = source.read(entry, target["row"], threads)
        if target["reference"] is None:
            value, shown = mine, source.text(mine, threads)
            figures = f"{shown} vs {source.text(target['threshold'], threads)}"
        else:
            theirs = source.read(entry, target["reference"], reference_threads)
            if theirs <= 0:
                raise NotMeasured(f"`{target['reference']}`'s figure is not positive")
            value = mine / theirs
            shown = f"{value:.2f}×"
            figures = f"{source.text(mine, threads)} vs {source.text(theirs, reference_threads)}"
    except NotMeasured as missing:
        return dict(target, measured=None, shown="—", figures=str(missing), result=NOT_MEASURED)
    passed = COMPARISONS[target["comparison"]](value, target["threshold"])
    return dict(target, measured=value, shown=shown, figures=figures, result="PASS" if passed else "MISS")


def evaluate_targets(targets, interpreters):
    """Every target of an interpreter that ran (interpreters: the report's {label: entry}), in order."""
    return [evaluate_target(t, interpreters[t["interpreter"]]) for t in targets if t["interpreter"] in interpreters]
