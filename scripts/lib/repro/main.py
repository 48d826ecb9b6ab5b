"""scripts/repro: reproduce the unsynchronised freelist race, and show every safe freelist clean.

For each strategy x interpreter mode, runs K trials (see workload.py), each in its own child
process with a timeout, classifies each (see harness.py), prints a table and exits 0 when what was
observed matches what the design predicts. Run through scripts/repro, which builds what it needs.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402
import strategies  # noqa: E402
import tsan  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
WORKLOAD = os.path.join(os.path.dirname(__file__), "workload.py")


def strategy_classes(python: str) -> dict:
    """Strategy -> (class checked with canaries, for trials; plain class, for ThreadSanitizer), for
    every strategy of the catalogue that the `points` module built for `python` reports, the racy
    ones first."""
    return {s.name: (s.cls("points", "checked_class"), s.cls("points", "class"))
            for s in sorted(strategies.catalogue(python), key=lambda s: s.safe)}


def racy_strategies(python: str) -> set:
    """The catalogue's strategies that are not safe: the racy list the harness reproduces."""
    return {s.name for s in strategies.catalogue(python) if not s.safe}


@dataclasses.dataclass
class Mode:
    """An interpreter and how to start it."""

    name: str
    label: str
    python: str
    env: dict
    expect_gil: bool
    extension_dir: str


def soabi(python: str) -> str:
    import subprocess
    return subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_config_var('SOABI'))"],
                          check=True, capture_output=True, text=True).stdout.strip()


def make_modes(python313t: str, python311: str) -> dict:
    ft_dir = os.path.join(ROOT, "build", soabi(python313t))
    return {
        "ft": Mode("ft", "3.13t GIL off", python313t, {"PYTHON_GIL": "0"}, False, ft_dir),
        "ft-gil": Mode("ft-gil", "3.13t PYTHON_GIL=1", python313t, {"PYTHON_GIL": "1"}, True, ft_dir),
        "3.11": Mode("3.11", "3.11 (GIL build)", python311, {},
                     True, os.path.join(ROOT, "build", soabi(python311))),
    }


def child_command(mode: Mode, cls: str, args, seed: int, iterations: int) -> list:
    command = [mode.python]
    if not mode.expect_gil:
        command += ["-W", "error::RuntimeWarning"]  # a module that re-enables the GIL fails to import
    return command + [WORKLOAD, "--class", cls, "--threads", str(args.threads),
                      "--iterations", str(iterations), "--seed", str(seed)]


def child_env(mode: Mode, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_GIL", "PYTHONPATH")}
    env.update(mode.env)
    env["PYTHONPATH"] = mode.extension_dir
    env["PYTHONFAULTHANDLER"] = "1"  # a crash prints every thread's Python stack to stderr
    env.update(extra or {})
    return env


class SetupError(Exception):
    """The run cannot tell anything: the harness or an interpreter is not what it should be."""


def check_mode(mode: Mode, strategy: str, outcome: harness.TrialOutcome) -> None:
    result = outcome.result
    if result is None:
        return
    if result["gil_enabled"] != mode.expect_gil:
        raise SetupError(f"mode {mode.label}: asked for the GIL {'on' if mode.expect_gil else 'off'}, "
                         f"the child reported sys._is_gil_enabled() = {result['gil_enabled']}")
    if result["strategy"] != strategy:
        raise SetupError(f"class {result['class']} reports strategy {result['strategy']!r}, expected {strategy!r}")


def format_rate(rate) -> str:
    return "-" if rate is None else f"{rate / 1e6:.2f} M"


def table(cells, modes, racy) -> str:
    header = "| strategy | mode | trials | crashed | corrupted | hung | clean | median ops/s |"
    lines = [header, "|---|---|---:|---:|---:|---:|---:|---:|"]
    for cell in cells:
        kinds = cell.signals()
        crashed = str(cell.count("crashed"))
        if kinds:
            crashed += " (" + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ")"
        name = cell.strategy + (" (racy)" if cell.strategy in racy else "")
        lines.append(f"| {name} | {modes[cell.mode].label} | {cell.trials} | {crashed} | "
                     f"{cell.count('corrupted')} | {cell.count('hung')} | {cell.count('clean')} | "
                     f"{format_rate(cell.median_ops_per_second)} |")
    return "\n".join(lines)


SYMBOL = {"crashed": "C", "corrupted": "X", "hung": "H", "clean": "."}


def print_evidence(cells, modes, per_cell=3):
    """What the damaged trials saw, a few per strategy and mode: the signal, the damage, and the
    misuse the canaries counted before a crash."""
    damaged = [(cell, [t for t in cell.outcomes if t.outcome != "clean"]) for cell in cells]
    damaged = [(cell, trials) for cell, trials in damaged if trials]
    if not damaged:
        return
    print()
    print("What the damaged trials saw:")
    for cell, trials in damaged:
        label = f"{cell.strategy} on {modes[cell.mode].label}"
        for trial in trials[:per_cell]:
            print(f"  {label}: {trial.outcome}, {trial.detail}")
        if len(trials) > per_cell:
            print(f"  {label}: ... {len(trials) - per_cell} more (--json has every trial)")


def run(args) -> int:
    modes = make_modes(args.python, args.python311)
    chosen_modes = args.mode or list(modes)
    classes, racy = strategy_classes(args.python), racy_strategies(args.python)
    unknown = [name for name in args.strategy or [] if name not in classes]
    if unknown:
        raise SetupError(f"--strategy {unknown[0]!r} is not in the catalogue (choose from {', '.join(classes)})")
    chosen = args.strategy or list(classes)
    print(f"repro: {len(chosen)} strategies x {len(chosen_modes)} modes x {args.trials} trials; "
          f"{args.threads} threads x {args.iterations:,} objects per trial; timeout {args.timeout:g}s")
    print("  C crashed, X corrupted, H hung, . clean")
    cells, records = [], []
    started = time.perf_counter()
    for mode_name in chosen_modes:
        mode = modes[mode_name]
        for strategy in chosen:
            cls = classes[strategy][0]
            cell = harness.Cell(strategy, mode_name)
            print(f"  {strategy:<15} {mode.label:<19} ", end="", flush=True)
            for trial in range(args.trials):
                seed = args.seed + trial
                outcome = harness.run_trial(child_command(mode, cls, args, seed, args.iterations),
                                            env=child_env(mode), timeout=args.timeout)
                check_mode(mode, strategy, outcome)
                cell.outcomes.append(outcome)
                records.append({"strategy": strategy, "mode": mode_name, "class": cls, "trial": trial,
                                "seed": seed, "outcome": outcome.outcome, "detail": outcome.detail,
                                "returncode": outcome.returncode, "wall_seconds": round(outcome.wall_seconds, 3),
                                "ops_per_second": outcome.ops_per_second, "result": outcome.result,
                                "stderr_tail": outcome.stderr_tail, "last_counters": outcome.last_counters})
                print(SYMBOL[outcome.outcome], end="", flush=True)
            rate = cell.median_ops_per_second
            print(f"  {cell.reproduced}/{cell.trials} damaged" + (f", {format_rate(rate)} ops/s" if rate else ""))
            cells.append(cell)
    elapsed = time.perf_counter() - started
    print()
    print(table(cells, modes, racy))
    print_evidence(cells, modes)
    reasons = harness.verdict(cells, racy=racy, free_threaded_modes=["ft"])

    tsan_report = None
    if args.tsan:
        print()
        tsan_report = tsan.run(args, classes, racy, chosen)
        reasons += tsan_report["reasons"]
        print()
        tsan_report["counter"] = tsan.run_counter(args)
        reasons += tsan_report["counter"]["reasons"]

    print()
    if reasons:
        print("repro: observed what the design does NOT predict:")
        for reason in reasons:
            print(f"  - {reason}")
    else:
        print("repro: observed what the design predicts: the unsynchronised list breaks with the GIL off "
              "and is clean under a GIL; every safe strategy is clean.")
    print(f"repro: {len(records)} trials in {elapsed:.0f}s")
    if args.json:
        document = {
            "config": {k: v for k, v in vars(args).items() if k != "json"},
            "modes": {name: dataclasses.asdict(mode) for name, mode in modes.items() if name in chosen_modes},
            "trials": records,
            "summary": [cell.summary() for cell in cells],
            "tsan": tsan_report,
            "verdict": {"matches_design": not reasons, "reasons": reasons},
            "seconds": elapsed,
        }
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as file:
            json.dump(document, file, indent=1)
        print(f"repro: wrote {args.json}")
    return 1 if reasons else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/repro", description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=4, help="threads per trial (default 4)")
    parser.add_argument("--iterations", type=int, default=40_000, help="objects each thread creates (default 40000)")
    parser.add_argument("--trials", type=int, default=6, help="trials per strategy and mode (default 6)")
    parser.add_argument("--strategy", action="append",
                        help="run only this strategy, as freelist_stats() names it: none, mutex, ... "
                             "(the catalogue's; repeatable)")
    parser.add_argument("--mode", action="append", choices=["ft", "ft-gil", "3.11"],
                        help="run only this mode: ft (3.13t GIL off), ft-gil (3.13t with PYTHON_GIL=1), "
                             "3.11 (system Python) (repeatable)")
    parser.add_argument("--python", required=True, help="the free-threaded 3.13t interpreter")
    parser.add_argument("--python311", required=True, help="the GIL-build 3.11 interpreter")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first trial (trial k uses seed + k)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds before a trial counts as hung")
    parser.add_argument("--json", metavar="PATH", help="write every trial and the summary as JSON")
    parser.add_argument("--tsan", action="store_true", help="also run under ThreadSanitizer")
    parser.add_argument("--tsan-python", help="the TSan-instrumented 3.13t (with --tsan)")
    args = parser.parse_args(argv)
    for name in ("threads", "iterations", "trials"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    try:
        return run(args)
    except SetupError as error:
        print(f"\nrepro: cannot judge this run: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
