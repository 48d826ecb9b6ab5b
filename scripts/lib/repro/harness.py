"""Runs reproduction trials in child processes and classifies what happened to each.

A trial is one child process with a timeout, so that a crash is an observation and not the end
of the run. Its outcome is one of:

- ``crashed``: the child died by a signal (SIGSEGV, SIGABRT, ...) or exited non-zero without
  printing its result;
- ``corrupted``: it finished but saw damage: a canary violation, a field that read back wrong,
  or two live objects with the same id();
- ``hung``: it did not finish within the timeout (it is killed);
- ``clean``: it finished and saw nothing wrong.

Python 3.11 standard library only: the harness runs on the system Python and drives any
interpreter.
"""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import statistics
import subprocess
import time
from typing import Collection, Optional, Sequence

RESULT_PREFIX = "REPRO-RESULT "
COUNTERS_PREFIX = "REPRO-COUNTERS "
OUTCOMES = ("crashed", "corrupted", "hung", "clean")


@dataclasses.dataclass
class TrialOutcome:
    """What one child process did."""

    outcome: str
    detail: str
    returncode: Optional[int]
    result: Optional[dict]
    wall_seconds: float
    stderr_tail: str
    #: The freelist counters the child printed last (REPRO-COUNTERS), if any.
    last_counters: Optional[dict] = None

    @property
    def ops_per_second(self) -> Optional[float]:
        if self.outcome in ("crashed", "hung") or not self.result or not self.result.get("seconds"):
            return None
        return self.result["operations"] / self.result["seconds"]


def parse_last_counters(stdout: str) -> Optional[dict]:
    """The freelist counters of the child's last ``REPRO-COUNTERS`` line: what it had seen when it
    last looked, which for a child that then crashed or hung is the evidence before the end."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(COUNTERS_PREFIX):
            try:
                return json.loads(line[len(COUNTERS_PREFIX):])
            except json.JSONDecodeError:
                continue
    return None


def parse_result(stdout: str) -> Optional[dict]:
    """The child's result: the JSON after the last ``REPRO-RESULT`` prefix, if any."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            try:
                return json.loads(line[len(RESULT_PREFIX):])
            except json.JSONDecodeError:
                return None
    return None


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def counter_damage(stats: dict) -> list[str]:
    """The misuse a freelist's counters show, as readable phrases."""
    found = []
    for key, label in (("handed_out_twice", "handed out twice"), ("parked_twice", "parked twice"),
                       ("reads_past_end", "read past the end"),
                       ("empty_slot_reads", "popped an empty slot")):
        if stats.get(key):
            found.append(f"{stats[key]} {label}")
    return found


def damage(result: dict) -> list[str]:
    """The kinds of damage a finished child reported, as readable phrases."""
    found = counter_damage(result.get("stats") or {})
    if result.get("violations") and not found:
        found.append(f"{result['violations']} canary violations")
    if result.get("mismatches"):
        found.append(f"{result['mismatches']} fields read back wrong")
    if result.get("duplicate_ids"):
        found.append(f"{result['duplicate_ids']} duplicate live ids")
    return found


def classify(returncode: Optional[int], result: Optional[dict], timed_out: bool,
             last_counters: Optional[dict] = None) -> tuple[str, str]:
    """The outcome of a trial and a short explanation, from how the child ended. For a child that
    crashed or hung, the explanation adds the misuse its freelist counters showed last."""
    before = counter_damage(last_counters or {})
    evidence = f"; counted before: {', '.join(before)}" if before else ""
    if timed_out:
        return "hung", "killed after the timeout" + evidence
    if returncode is not None and returncode < 0:
        detail = signal_name(-returncode)
        if result is not None:
            detail += " after reporting its result"
        return "crashed", detail + evidence
    if returncode != 0:
        return "crashed", f"exit status {returncode}" + ("" if result is None else " after its result")
    if result is None:
        return "crashed", "exit status 0 without a result"
    found = damage(result)
    if found:
        return "corrupted", ", ".join(found)
    return "clean", "no damage seen"


def run_trial(command: Sequence[str], *, env: Optional[dict] = None, timeout: float = 60.0,
              cwd: Optional[str] = None) -> TrialOutcome:
    """Runs one child to completion, to its timeout, or to its crash, and classifies it."""
    started = time.perf_counter()
    # A session of its own, so that a hung child and anything it started can be killed together.
    child = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env, cwd=cwd, start_new_session=True, text=True, errors="replace")
    timed_out = False
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        stdout, stderr = child.communicate()
    wall = time.perf_counter() - started
    result = parse_result(stdout)
    last_counters = parse_last_counters(stdout)
    outcome, detail = classify(None if timed_out else child.returncode, result, timed_out, last_counters)
    tail = "\n".join(stderr.strip().splitlines()[-8:])
    return TrialOutcome(outcome, detail, None if timed_out else child.returncode, result, wall, tail,
                        last_counters)


@dataclasses.dataclass
class Cell:
    """The trials of one strategy in one interpreter mode."""

    strategy: str
    mode: str
    outcomes: list = dataclasses.field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for trial in self.outcomes if trial.outcome == outcome)

    @property
    def trials(self) -> int:
        return len(self.outcomes)

    @property
    def reproduced(self) -> int:
        return self.count("crashed") + self.count("corrupted")

    @property
    def median_ops_per_second(self) -> Optional[float]:
        rates = [rate for rate in (t.ops_per_second for t in self.outcomes) if rate is not None]
        return statistics.median(rates) if rates else None

    def signals(self) -> dict:
        counted: dict = {}
        for trial in self.outcomes:
            if trial.outcome == "crashed":
                key = trial.detail.split(";")[0].split(" after")[0]  # the signal, without the evidence
                counted[key] = counted.get(key, 0) + 1
        return counted

    def summary(self) -> dict:
        return {"strategy": self.strategy, "mode": self.mode, "trials": self.trials,
                **{outcome: self.count(outcome) for outcome in OUTCOMES},
                "crash_kinds": self.signals(), "median_ops_per_second": self.median_ops_per_second}


def verdict(cells: Sequence[Cell], *, racy: Collection[str], free_threaded_modes: Sequence[str]) -> list[str]:
    """What the design predicts and was not observed; an empty list means all matched.

    A racy strategy (one of `racy`) must crash or corrupt in at least half of its trials with the
    GIL off and stay clean wherever a GIL serialises it; every other strategy must be clean
    everywhere.
    """
    reasons = []
    for cell in cells:
        where = f"{cell.strategy} on {cell.mode}"
        if cell.strategy in racy and cell.mode in free_threaded_modes:
            if cell.reproduced * 2 < cell.trials:
                reasons.append(f"{where}: the race reproduced in {cell.reproduced} of {cell.trials} trials "
                               f"(crashed {cell.count('crashed')}, corrupted {cell.count('corrupted')}, "
                               f"hung {cell.count('hung')}); expected at least half")
        elif cell.count("clean") != cell.trials:
            bad = {o: cell.count(o) for o in OUTCOMES if o != "clean" and cell.count(o)}
            first = next(t for t in cell.outcomes if t.outcome != "clean")
            reasons.append(f"{where}: expected every trial clean, saw "
                           + ", ".join(f"{n} {o}" for o, n in bad.items()) + f" (first: {first.detail})")
    return reasons
