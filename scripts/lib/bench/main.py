"""scripts/bench: create/destroy throughput of PyClassKit's point classes against their peers.

Runs worker.py in each interpreter under test (the free-threaded 3.13t with the GIL off, and the
system 3.11), collects every repetition, counts instructions per object under callgrind, evaluates
the targets (targets.json), runs the freelist matrix (kinds of object × freelist strategies ×
threads, wall clock and instructions), and writes markdown tables (stdout and results.md), a JSON
document with every raw figure, a throughput plot and the matrix's plot. Run through
scripts/bench, which builds the interpreter, the example modules and the peer modules first.

The modules beside this one: rows (the row catalogues), stats (medians and ratios), running (the
workers and instruction counts), machine (CPU, load, commit), report (tables, markdown, JSON,
plot), matrix (the freelist matrix's figures), targets (the targets), paths (where things are).
"""
import argparse
import os
import sys
import time

from paths import FT, GIL311, PYTHON311, PYTHON313T, ROOT

DEFAULT_OPS = 500_000
QUICK_OPS = 2_000
DEFAULT_MATRIX_OPS = 200_000  # the matrix has 24 rows: fewer operations keep its run short
MIN_REPEATS = 5


def parse_threads(text):
    """'1,2,4' -> [1, 2, 4] (sorted, unique, each at least 1)."""
    try:
        counts = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of integers: {text!r}") from None
    if not counts or counts[0] < 1:
        raise argparse.ArgumentTypeError("thread counts must be at least 1")
    return counts


def parse_args(argv=None):
    """The command line (see --help); --quick shrinks every size and skips the instruction counts."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0].split(": ", 1)[1])
    parser.add_argument("--ops", type=int, help=f"operations per thread (default {DEFAULT_OPS:,}; "
                                                f"--quick: {QUICK_OPS:,})")
    parser.add_argument("--repeats", type=int, help=f"repetitions, median reported (default and minimum "
                                                    f"{MIN_REPEATS}; --quick: 1)")
    parser.add_argument("--processes", type=int, help="worker processes per interpreter and mode, their "
                                                      "repetitions pooled (default 3; --quick: 1)")
    parser.add_argument("--threads", type=parse_threads, default=[1, 2, 4], help="thread counts (default 1,2,4)")
    parser.add_argument("--python313t", default=PYTHON313T,
                        help="the free-threaded interpreter (default: the bootstrapped one)")
    parser.add_argument("--python311", default=PYTHON311,
                        help="the GIL-build interpreter (default /usr/bin/python3.11)")
    parser.add_argument("--only", choices=[FT, GIL311], help="run on one interpreter only")
    parser.add_argument("--rows", help="only rows whose name or binding contains one of these comma-separated "
                                       "substrings, e.g. 'points.,pyo3'")
    parser.add_argument("--skip-memory", action="store_true", help="no memory measurements")
    parser.add_argument("--skip-modes", action="store_true", help="no cross-thread and thread-churn modes")
    parser.add_argument("--skip-instructions", action="store_true",
                        help="no instruction counts under callgrind (--quick skips them too)")
    parser.add_argument("--skip-matrix", action="store_true",
                        help="no freelist matrix (kinds of object × strategies × threads)")
    parser.add_argument("--matrix-only", action="store_true",
                        help="the freelist matrix alone: no other mode, memory measurement, instruction count "
                             "of the main rows or target")
    parser.add_argument("--matrix-ops", type=int, help=f"operations per thread in the freelist matrix (default "
                                                       f"{DEFAULT_MATRIX_OPS:,}; --quick: {QUICK_OPS:,})")
    parser.add_argument("--json", default=os.path.join(ROOT, "build", "bench", "results.json"),
                        help="JSON output (default build/bench/results.json)")
    parser.add_argument("--markdown", default=os.path.join(ROOT, "build", "bench", "results.md"),
                        help="markdown output (default build/bench/results.md)")
    parser.add_argument("--plot", default=os.path.join(ROOT, "build", "bench", "throughput.png"),
                        help="throughput plot (default build/bench/throughput.png)")
    parser.add_argument("--matrix-plot", default=os.path.join(ROOT, "build", "bench", "freelist-matrix.png"),
                        help="the freelist matrix's plot (default build/bench/freelist-matrix.png)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and 1 repetition: a smoke test")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a worker counts as hung")
    args = parser.parse_args(argv)
    args.ops = args.ops or (QUICK_OPS if args.quick else DEFAULT_OPS)
    args.repeats = args.repeats or (1 if args.quick else MIN_REPEATS)
    args.processes = args.processes or (1 if args.quick else 3)
    args.matrix_ops = args.matrix_ops or (QUICK_OPS if args.quick else DEFAULT_MATRIX_OPS)
    args.skip_instructions = args.skip_instructions or args.quick
    if args.skip_matrix and args.matrix_only:
        parser.error("--skip-matrix and --matrix-only exclude each other")
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    if args.ops < 1 or args.matrix_ops < 1:
        parser.error("--ops and --matrix-ops must be at least 1")
    if args.repeats < (1 if args.quick else MIN_REPEATS):
        parser.error(f"--repeats must be at least {MIN_REPEATS} (or use --quick)")
    # Sizes of the other modes; --quick shrinks them.
    args.batch = 1000
    args.churn_threads, args.churn_ops = (20, 1000) if args.quick else (200, 5000)
    args.memory_ops = 100_000 if args.quick else 10_000_000
    args.memory_threads, args.memory_first = (100, 10) if args.quick else (1000, 100)
    args.memory_thread_ops = 1000 if args.quick else 3000
    return args


def run(args):
    """Runs every interpreter and mode, prints and writes the report; 0 when everything ran."""
    # The rows come from the freelist strategies the built example modules report (rows.py):
    # imported here, not above, so that --help needs nothing built.
    import machine
    import matrix
    import running
    import targets
    from report import render, write_outputs
    from rows import MATRIX_ROWS, ROWS, select_rows

    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    busy_start, own_start = machine.machine_busy_seconds(), machine.own_cpu_seconds()
    rows = [] if args.matrix_only else select_rows(ROWS, args.rows)
    matrix_rows = [] if args.skip_matrix else select_rows(MATRIX_ROWS, args.rows)
    if not rows and not matrix_rows:
        print(f"bench: no row matches --rows {args.rows!r}", file=sys.stderr)
        return 2
    target_list = [] if args.matrix_only else targets.load_targets()
    chosen = [(label, python) for label, python in ((FT, args.python313t), (GIL311, args.python311))
              if args.only in (None, label)]
    errors, interpreters = [], {}
    for label, python in chosen:
        try:
            interpreters[label] = running.run_interpreter(
                args, label, python, rows, targets.rows_needed(target_list, label, "instructions"), errors,
                matrix_rows)
        except running.WorkerError as error:
            errors.append(str(error))
    report = {
        "machine": machine.machine_info(interpreters),
        "load_average": {"start": load_start, "end": os.getloadavg()[0]},
        "seconds": time.perf_counter() - started,
        "other_cpu_share": machine.other_cpu_share(
            None if busy_start is None else machine.machine_busy_seconds() - busy_start,
            machine.own_cpu_seconds() - own_start, time.perf_counter() - started, os.cpu_count()),
        "interpreters": interpreters,
        "targets": targets.evaluate_targets(target_list, interpreters),
        "matrix": matrix.matrix_document(interpreters, args.threads),
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
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
