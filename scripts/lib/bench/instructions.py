"""Instructions per `C(1.0, 2.0)` create/destroy, counted by valgrind (callgrind), one thread.

Wall-clock figures for one thread move by tens of percent between processes on a shared 2-core
machine; instruction counts do not. Each row runs the same loop twice under callgrind, with N and
2N iterations, in fresh processes; (count(2N) - count(N)) / N is the cost of one iteration, with
interpreter start-up and imports subtracted out. The loop also pays for `range` and the call
itself, identically for every row (the class is a local: no global lookup).

--threads T runs THREADED_LOOP instead: the iterations split over T threads started behind a
barrier. Valgrind runs threads one at a time, so this counts the work each object costs when T
threads share the class (a freelist's depot traffic, say) without the hardware's contention;
compare --threads 1 with --threads 2 (not with the default loop, a different program).

    python3 scripts/lib/bench/instructions.py [--python PATH] [--iterations N] [--threads T] [ROW ...]

ROW is module.Class (default: the Swift strategies and their peers, from build/<SOABI>/). The
modules are loaded from copies stripped of debug information: valgrind 3.19 cannot read the
DWARF 5 that clang writes for PyClassKit's C target.

scripts/bench imports it: stripped_modules() and instructions_per_object() count one row on one
interpreter.
"""
import argparse
import contextlib
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

from paths import PYTHON313T, built_modules
from rows import INSTRUCTION_ROWS

DEFAULT_ITERATIONS = 100_000
# The class, and the loop that makes and drops `n` instances of it.
_CLASS_AND_LOOP = """module, name = sys.argv[1].rsplit(".", 1)
C = getattr(__import__(module), name)
def run(C, n):
    a = 1.0
    b = 2.0
    for _ in range(n):
        C(a, b)
"""
LOOP = "\nimport sys\n" + _CLASS_AND_LOOP + "run(C, int(sys.argv[2]))\n"
# The same loop split over argv[3] threads behind a barrier, for --threads (a program of its own,
# also at 1 thread: importing threading alone moves the count by a few percent, so compare its
# counts with each other only).
THREADED_LOOP = "\nimport sys, threading\n" + _CLASS_AND_LOOP + """threads = int(sys.argv[3])
barrier = threading.Barrier(threads)
def worker():
    barrier.wait()
    run(C, int(sys.argv[2]) // threads)
started = [threading.Thread(target=worker) for _ in range(threads)]
for thread in started:
    thread.start()
for thread in started:
    thread.join()
"""


class CountError(Exception):
    """Callgrind could not count a row (the loop failed, or valgrind printed no total)."""


def clean_environment():
    """This process's environment without PYTHON_GIL (the GIL stays as the build decides) and PYTHONPATH."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHON_GIL", "PYTHONPATH")}


def count(python, env, row, iterations, threads=None):
    """Instructions callgrind counts for the whole process running the loop `iterations` times
    (with `threads`, THREADED_LOOP's, split over that many threads)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, "-c",
         LOOP if threads is None else THREADED_LOOP, row, str(iterations)] + ([] if threads is None else [str(threads)]),
        capture_output=True, text=True, env=env)
    if done.returncode != 0:
        own_lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("==")]
        raise CountError(f"{row}: the loop exited with status {done.returncode}"
                         + (f": {own_lines[-1]}" if own_lines else ""))
    match = re.search(r"Collected : (\d+)", done.stderr) or re.search(r"refs:\s+([\d,]+)", done.stderr)
    if match is None:
        raise CountError(f"{row}: no instruction total in valgrind's output")
    return int(match.group(1).replace(",", ""))


@contextlib.contextmanager
def stripped_modules(source_dir):
    """A temporary directory holding copies of source_dir's extension modules without debug information."""
    with tempfile.TemporaryDirectory(prefix="pyclasskit-instructions-") as modules:
        for path in glob.glob(os.path.join(source_dir, "*.so")):
            copy = os.path.join(modules, os.path.basename(path))
            shutil.copy(path, copy)
            subprocess.run(["objcopy", "--strip-debug", copy], check=True)
        yield modules


def instructions_per_object(python, row, modules, iterations=DEFAULT_ITERATIONS, threads=None):
    """Instructions per C(1.0, 2.0) of `row` (module.Class) under `python`, importing the modules
    from `modules` (a stripped_modules directory): (count(2N) - count(N)) / N."""
    env = dict(clean_environment(), PYTHONPATH=modules)
    return (count(python, env, row, 2 * iterations, threads) - count(python, env, row, iterations, threads)) / iterations


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=PYTHON313T)
    parser.add_argument("--iterations", type=int, default=DEFAULT_ITERATIONS)
    parser.add_argument("--threads", type=int, help="run THREADED_LOOP, the iterations split over this many threads")
    parser.add_argument("rows", nargs="*", default=INSTRUCTION_ROWS)
    args = parser.parse_args(argv)
    soabi = subprocess.run([args.python, "-c", "import sysconfig; print(sysconfig.get_config_var('SOABI'))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    with stripped_modules(built_modules(soabi)) as modules:
        threads = "1 thread" if args.threads is None else f"{args.threads} thread(s) of THREADED_LOOP"
        print(f"| row | instructions per C(1.0, 2.0) ({soabi}, {threads}, callgrind) |")
        print("|:---|---:|")
        for row in args.rows:
            per_object = instructions_per_object(args.python, row, modules, args.iterations, args.threads)
            print(f"| `{row}` | {per_object:,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
