"""Instructions per `C(1.0, 2.0)` create/destroy, counted by valgrind (callgrind), one thread.

Wall-clock figures for one thread move by tens of percent between processes on a shared 2-core
machine; instruction counts do not. Each row runs the same loop twice under callgrind, with N and
2N iterations, in fresh processes; (count(2N) - count(N)) / N is the cost of one iteration, with
interpreter start-up and imports subtracted out. The loop also pays for `range` and the call
itself, identically for every row (the class is a local: no global lookup).

    python3 scripts/lib/bench/instructions.py [--python PATH] [--iterations N] [ROW ...]

ROW is module.Class (default: the Swift strategies and their peers, from build/<SOABI>/). The
modules are loaded from copies stripped of debug information: valgrind 3.19 cannot read the
DWARF 5 that clang writes for PyClassKit's C target.
"""
import argparse
import os
import glob
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
CACHE = os.environ.get("PYCLASSKIT_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "pyclasskit"))
ROWS = ["points.Point", "points.MutexPoint", "points.PyMutexPoint", "points.PerThreadPoint",
        "points.LockFreePoint", "points.RacyPoint", "points.PlainPoint", "pyo3_points.Point",
        "pyo3_points.PlainPoint", "cython_points.Point", "cython_points.PlainPoint", "nanobind_points.Point",
        "nanobind_points.PlainPoint", "c_points.Point", "c_floor_points.Point", "c_floor_points.PlainPoint"]
LOOP = """
import sys
module, name = sys.argv[1].rsplit(".", 1)
C = getattr(__import__(module), name)
def run(C, n):
    a = 1.0
    b = 2.0
    for _ in range(n):
        C(a, b)
run(C, int(sys.argv[2]))
"""


def count(python, env, row, iterations):
    """Instructions callgrind counts for the whole process running the loop `iterations` times."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, "-c", LOOP, row, str(iterations)],
        capture_output=True, text=True, env=env, check=True)
    match = re.search(r"Collected : (\d+)", done.stderr) or re.search(r"refs:\s+([\d,]+)", done.stderr)
    return int(match.group(1).replace(",", ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=os.path.join(CACHE, "cpython-3.13.5-ft", "bin", "python3.13t"))
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("rows", nargs="*", default=ROWS)
    args = parser.parse_args(argv)
    soabi = subprocess.run([args.python, "-c", "import sysconfig; print(sysconfig.get_config_var('SOABI'))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_GIL", "PYTHONPATH")}
    with tempfile.TemporaryDirectory(prefix="pyclasskit-instructions-") as modules:
        for path in glob.glob(os.path.join(ROOT, "build", soabi, "*.so")):
            copy = os.path.join(modules, os.path.basename(path))
            shutil.copy(path, copy)
            subprocess.run(["objcopy", "--strip-debug", copy], check=True)
        env["PYTHONPATH"] = modules
        print(f"| row | instructions per C(1.0, 2.0) ({soabi}, 1 thread, callgrind) |")
        print("|:---|---:|")
        for row in args.rows:
            per_iteration = (count(args.python, env, row, 2 * args.iterations)
                             - count(args.python, env, row, args.iterations)) / args.iterations
            print(f"| `{row}` | {per_iteration:,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
