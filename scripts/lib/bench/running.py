"""Running the measurements: worker processes for every mode, the memory measurements, the
instruction counts and the freelist matrix of one interpreter, on a snapshot of its extension
modules."""
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys

import instructions
from paths import FT, HERE, ROOT, built_modules
from rows import MATRIX_MODULES, MEMORY_ROWS, MODE_ROWS, MODULES, ROWS
from stats import digest_mode, summarize
from worker import RESULT_PREFIX

WORKER = os.path.join(HERE, "worker.py")


class WorkerError(Exception):
    """A worker process failed or printed no result."""


def worker_env():
    """The environment of a worker: no PYTHON_GIL (the GIL stays as the build decides), no PYTHONPATH."""
    return dict(instructions.clean_environment(), PYTHONFAULTHANDLER="1")


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
        if name.split(".")[0] in MODULES + MATRIX_MODULES:
            shutil.copy2(path, os.path.join(snapshot_dir, name))
            with open(os.path.join(snapshot_dir, name), "rb") as module:
                digests[name] = hashlib.sha256(module.read()).hexdigest()
    return digests


def instruction_keys(rows, needed, snapshot):
    """The rows whose instructions one interpreter counts: the selected extension rows and the rows
    its instruction targets need (`needed`, keys), in catalogue order, whose module is in the
    snapshot ({file name: sha256})."""
    present = {name.split(".")[0] for name in snapshot}
    selected = {row.key for row in rows if row.extension} | set(needed)
    return [row.key for row in ROWS if row.key in selected and row.module in present]


def run_interpreter(args, label, python, rows, instruction_targets, errors, matrix_rows=()):
    """Every mode on one interpreter, then the freelist matrix of `matrix_rows`; returns its entry
    of the report.

    instruction_targets: the keys of the rows its instruction targets need. With
    args.matrix_only, the matrix alone."""
    info = interpreter_info(python)
    if label == FT and not info["free_threaded"]:
        raise WorkerError(f"{python} is not a free-threaded build")
    build_dir = os.path.join(ROOT, "build", "bench", "modules", info["soabi"])
    modules = snapshot_modules(built_modules(info["soabi"]), build_dir)
    entry = {"python": python, "info": info, "build_dir": build_dir, "modules": modules, "modes": {},
             "memory": [], "instructions": None, "matrix": None, "warnings": []}
    modes = [] if args.matrix_only else ["main"] if args.skip_modes else ["main", "cross", "churn"]
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
    if info["free_threaded"] and not args.skip_memory and not args.matrix_only:
        entry["memory"] = run_memory(args, label, python, build_dir, rows, errors)
    if not args.skip_instructions and not args.matrix_only:
        entry["instructions"] = run_instructions(label, python, build_dir,
                                                 instruction_keys(rows, instruction_targets, modules), errors)
    if matrix_rows:
        entry["matrix"] = run_matrix(args, label, python, build_dir, matrix_rows, entry, errors)
    return entry


def run_matrix(args, label, python, build_dir, rows, entry, errors):
    """The freelist matrix on one interpreter: the create/destroy loop of every matrix row at every
    thread count (args.matrix_ops per thread, args.processes workers of args.repeats interleaved
    repetitions, as the main mode), and each row's instructions per object, reusing the counts
    the main rows already have in `entry`. Returns {"raw", "summary", "instructions"}, or None
    when its workers failed (the error is in `errors`)."""
    spec = dict(base_spec(args, label, build_dir, "matrix", rows), ops=args.matrix_ops)
    try:
        runs = []
        for process in range(args.processes):
            print(f"bench: {label} matrix: {len(rows)} rows, process {process + 1} of {args.processes}",
                  file=sys.stderr, flush=True)
            runs.append(run_worker(python, spec, args.timeout))
    except WorkerError as error:
        errors.append(str(error))
        return None
    raw = merge_runs(runs)
    warning = raw["constants"]["warning"]
    if warning and warning not in entry["warnings"]:
        entry["warnings"].append(warning)
    matrix = {"raw": raw, "summary": summarize(raw["walls"], raw["ops_per_thread"], lambda t: t),
              "instructions": None}
    if not args.skip_instructions:
        counted = (entry["instructions"] or {}).get("rows", {})
        present = {name.split(".")[0] for name in entry["modules"]}
        missing = [row.key for row in rows if row.module in present
                   and counted.get(row.key, {}).get("status") != "ok"]
        fresh = run_instructions(f"{label} matrix", python, build_dir, missing, errors)["rows"] if missing else {}
        matrix["instructions"] = {
            "iterations": instructions.DEFAULT_ITERATIONS,
            "rows": {row.key: fresh.get(row.key) or counted.get(row.key) for row in rows
                     if row.key in fresh or row.key in counted}}
    return matrix


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


def run_instructions(label, python, build_dir, keys, errors):
    """Instructions per C(1.0, 2.0) of each row (callgrind, one thread; instructions.py), from the
    snapshot in build_dir. Returns {"iterations": N, "rows": {key: {"status", "instructions"}}};
    a row callgrind cannot count is an error of the run and has status 'failed'."""
    counts = {}
    with instructions.stripped_modules(build_dir) as modules:
        for index, key in enumerate(keys):
            print(f"bench: {label} instructions: {key} ({index + 1} of {len(keys)})", file=sys.stderr, flush=True)
            try:
                counts[key] = {"status": "ok",
                               "instructions": instructions.instructions_per_object(python, key, modules)}
            except (instructions.CountError, OSError) as error:
                errors.append(f"{label} instructions: {error}")
                counts[key] = {"status": "failed", "instructions": None}
    return {"iterations": instructions.DEFAULT_ITERATIONS, "rows": counts}
