"""The ThreadSanitizer part of scripts/repro: does TSan see a data race inside a freelist, or in
the critical sections of a class with mutable state?

Runs one trial per strategy on the TSan-instrumented 3.13t (GIL off), with the extension built
with Swift's -sanitize=thread, and reads TSan's reports. A report counts as "in the freelist" when
one of its stack frames is a method of a freelist type. The racy list must have such a report; a
safe list must not. Races elsewhere are counted and shown, not judged.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile

import harness

HERE = os.path.dirname(__file__)
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SUPPRESSIONS = os.path.join(HERE, "tsan-suppressions.txt")
WORKLOAD = os.path.join(HERE, "workload.py")
COUNTER_WORKLOAD = os.path.join(HERE, "counter_workload.py")
# A stack frame in PyClassKit's code or in the example module's (mangled or demangled).
PYCLASSKIT_FRAME = re.compile(r"PyClassKit|\$s6Points|\bPoints\.")

# A stack frame in a freelist type's code, mangled (`10PyClassKit22UnsynchronizedFreeListC3pop`)
# or demangled (`PyClassKit.UnsynchronizedFreeList.pop`): every list is a `<Name>FreeList`
# (FreeLists/Strategies/); not the hot path's UnretainedFreeList, which only forwards to them.
FREELIST_FRAME = re.compile(r"PyClassKit\W*\d*(?!Unretained)[A-Z][A-Za-z]*FreeList")
FRAME = re.compile(r"^\s*#\d+\s+(\S+)")


def reports(text: str) -> list[str]:
    """The data-race reports in a TSan log (plain, and Swift access races)."""
    blocks = re.split(r"^==================\n", text, flags=re.M)
    # A race on memory Swift's exclusivity rules govern is reported as a "Swift access race".
    return [block for block in blocks
            if "WARNING: ThreadSanitizer: data race" in block or "WARNING: ThreadSanitizer: Swift access race" in block]


def freelist_frames(report: str) -> list[str]:
    """The frames of a report that are in a freelist type."""
    return [m.group(1) for line in report.splitlines() if (m := FRAME.match(line)) and FREELIST_FRAME.search(m.group(1))]


def analyse(log_text: str) -> dict:
    found = reports(log_text)
    in_freelist = [r for r in found if freelist_frames(r)]
    example = None
    if in_freelist:
        lines = [l for l in in_freelist[0].splitlines() if l.strip()]
        example = "\n".join(lines[:12])
    return {"races": len(found), "races_in_freelist": len(in_freelist), "example": example,
            "frames": sorted({f for r in in_freelist for f in freelist_frames(r)})[:6]}


def pyclasskit_reports(text: str) -> list[str]:
    """The data-race reports in a TSan log with a frame in PyClassKit's or the example's code."""
    return [r for r in reports(text) if any((m := FRAME.match(line)) and PYCLASSKIT_FRAME.search(m.group(1))
                                            for line in r.splitlines())]


def tsan_environment(extension_dir: str, prefix: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_GIL", "PYTHONPATH")}
    env.update(PYTHON_GIL="0", PYTHONPATH=extension_dir,
               TSAN_OPTIONS=f"suppressions={SUPPRESSIONS} log_path={prefix} halt_on_error=0 "
                            f"exitcode=0 report_signal_unsafe=0 history_size=4")
    return env


def extension_directory(python: str) -> str:
    soabi = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_config_var('SOABI'))"],
                           check=True, capture_output=True, text=True, env=dict(os.environ, TSAN_OPTIONS="report_bugs=0")).stdout.strip()
    return os.path.join(ROOT, "build", soabi + "-tsan")


def run_counter(args) -> dict:
    """The shared-Counter workload under TSan: the critical sections of a mutable @PyClass must
    leave no data race in PyClassKit's code (nor in the example's), and the count must be exact."""
    python = args.tsan_python
    iterations = max(200, args.iterations // 20)
    print(f"ThreadSanitizer: one shared points.Counter, {args.threads} threads x {iterations:,} "
          f"increment() + label set/get")
    logdir = tempfile.mkdtemp(prefix="pyclasskit-tsan-counter-")
    try:
        prefix = os.path.join(logdir, "counter")
        command = [python, "-W", "error::RuntimeWarning", COUNTER_WORKLOAD,
                   "--threads", str(args.threads), "--iterations", str(iterations)]
        outcome = harness.run_trial(command, env=tsan_environment(extension_directory(python), prefix),
                                    timeout=max(4 * args.timeout, 60))
        text = "".join(open(path, errors="replace").read() for path in sorted(glob.glob(prefix + ".*")))
        ours = pyclasskit_reports(text)
        result = outcome.result or {}
        reasons = []
        if outcome.outcome != "clean":
            reasons.append(f"tsan Counter: {outcome.outcome} ({outcome.detail})")
        if result.get("gil_enabled"):
            reasons.append("tsan Counter: the GIL was on")
        if ours:
            reasons.append(f"tsan Counter: {len(ours)} data race report(s) in PyClassKit code")
        print(f"  Counter          {outcome.outcome:<9} value {result.get('value')} of {result.get('expected')}, "
              f"data races: {len(reports(text)):>3}, in PyClassKit code: {len(ours):>3} (must have none: "
              f"{'as predicted' if not ours else 'NOT as predicted'})")
        example = "\n".join([l for l in ours[0].splitlines() if l.strip()][:12]) if ours else None
        if example:
            print("    " + example.replace("\n", "\n    "))
        return {"iterations": iterations, "outcome": outcome.outcome, "value": result.get("value"),
                "expected": result.get("expected"), "races": len(reports(text)),
                "races_in_pyclasskit": len(ours), "example": example, "reasons": reasons}
    finally:
        shutil.rmtree(logdir, ignore_errors=True)


def run(args, strategies: dict, racy: set, chosen: list) -> dict:
    python = args.tsan_python
    extension_dir = extension_directory(python)
    iterations = max(200, args.iterations // 10)  # TSan runs code 5-15x slower
    print(f"ThreadSanitizer: one trial per strategy, {args.threads} threads x {iterations:,} objects, "
          f"3.13t built --with-thread-sanitizer, extension built with -sanitize=thread")
    rows, reasons = [], []
    logdir = tempfile.mkdtemp(prefix="pyclasskit-tsan-")
    try:
        for strategy in chosen:
            cls = strategies[strategy][1]
            prefix = os.path.join(logdir, strategy)
            env = tsan_environment(extension_dir, prefix)
            command = [python, "-W", "error::RuntimeWarning", WORKLOAD, "--class", cls,
                       "--threads", str(args.threads), "--iterations", str(iterations), "--seed", str(args.seed)]
            print(f"  {strategy:<15} ", end="", flush=True)
            outcome = harness.run_trial(command, env=env, timeout=max(4 * args.timeout, 60))
            text = "".join(open(path, errors="replace").read() for path in sorted(glob.glob(prefix + ".*")))
            found = analyse(text)
            if outcome.result is not None and outcome.result.get("gil_enabled"):
                reasons.append(f"tsan {strategy}: the GIL was on")
            expected = strategy in racy
            seen = found["races_in_freelist"] > 0
            verdict = "as predicted" if seen == expected else "NOT as predicted"
            print(f"{outcome.outcome:<9} data races: {found['races']:>3}, in the freelist: "
                  f"{found['races_in_freelist']:>3}  ({'must' if expected else 'must not'} have one: {verdict})")
            if seen != expected:
                reasons.append(f"tsan {strategy}: {'no' if expected else 'a'} data race in the freelist "
                               f"({found['races_in_freelist']} of {found['races']} reports)")
            rows.append({"strategy": strategy, "class": cls, "outcome": outcome.outcome, "detail": outcome.detail,
                         **found})
        racy_rows = [r for r in rows if r["strategy"] in racy and r["example"]]
        if racy_rows:
            print("  first report in the racy list:")
            print("    " + racy_rows[0]["example"].replace("\n", "\n    "))
    finally:
        shutil.rmtree(logdir, ignore_errors=True)
    return {"iterations": iterations, "rows": rows, "reasons": reasons}


def main(argv=None) -> int:
    """`python3 scripts/lib/repro/tsan.py --tsan-python PATH`: the shared-Counter check alone
    (what scripts/test runs; `scripts/repro --tsan` runs it after the freelist checks)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    parser.add_argument("--tsan-python", required=True, help="the TSan-instrumented 3.13t")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--iterations", type=int, default=40_000)
    parser.add_argument("--timeout", type=float, default=60)
    report = run_counter(parser.parse_args(argv))
    for reason in report["reasons"]:
        print(f"tsan: {reason}")
    return 1 if report["reasons"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
