"""The timed code of scripts/bench, run *as a script* by each interpreter under test.

    python worker.py SPEC_JSON

SPEC_JSON (written by main.py) names the mode, the rows (module and class), the thread counts and
the sizes. Modes:

  main           every row x every thread count T: T threads released by a threading.Barrier each
                 construct C(1.0, 2.0) and drop it, N times; one wall time per trial. Repetitions
                 are interleaved: repetition r runs every row (in a shuffled order) before r + 1.
  matrix         the same, for the freelist matrix's rows (its own mode only to label its progress).
  cross          producer/consumer pairs: the producer creates batches of objects and hands each
                 batch to its consumer through a queue; the consumer drops it.
  churn          many short-lived threads, `concurrency` at a time, each creating/dropping objects.
  memory-steady  peak RSS (ru_maxrss) after `memory_ops` create/destroy, split over
                 `memory_steady_threads` threads.
  memory-churn   current RSS after the first `memory_first` and after all `memory_threads`
                 short-lived threads, each keeping `memory_keep` objects alive at a time.

Progress goes to stderr; the last line of stdout is `BENCH-RESULT ` followed by the result as JSON.
It imports nothing but the standard library and the modules under test, and runs on 3.11 and on
free-threaded 3.13t (where it checks, after importing every module, that the GIL is still off).
"""
import importlib
import json
import os
import queue
import random
import resource
import sys
import sysconfig
import threading
from itertools import repeat
from time import perf_counter

RESULT_PREFIX = "BENCH-RESULT "
UNROLL = 10  # constructions per loop iteration in construct_loop
IMMORTAL_REFCOUNT = 2 ** 30  # on 3.12+, sys.getrefcount of an immortal object is at least this
GC_FLAG = 1 << 14  # Py_TPFLAGS_HAVE_GC: the class's instances are garbage-collected


class SlotsPoint:
    """The pure-Python row: a class with __slots__."""

    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


# ---------------------------------------------------------------- the timed loops

def construct_loop(cls, rounds, barrier=None):
    """Constructs cls(1.0, 2.0) and drops it, UNROLL * rounds times; the same body for every row.

    Waits on `barrier` first when given. Returns (start, end) from time.perf_counter()."""
    a = 1.0
    b = 2.0
    if barrier is not None:
        barrier.wait()
    start = perf_counter()
    for _ in range(rounds):
        cls(a, b); cls(a, b); cls(a, b); cls(a, b); cls(a, b)  # noqa: E702
        cls(a, b); cls(a, b); cls(a, b); cls(a, b); cls(a, b)  # noqa: E702
    return start, perf_counter()


def produce_batches(cls, batches, batch_size, handoff, barrier):
    """Cross-thread producer: puts `batches` lists of batch_size new objects on `handoff`, then None.

    map() builds each batch in C, so the cost per object is dominated by its construction."""
    a = 1.0
    b = 2.0
    barrier.wait()
    start = perf_counter()
    for _ in range(batches):
        handoff.put(list(map(cls, repeat(a, batch_size), repeat(b, batch_size))))
    handoff.put(None)
    return start, perf_counter()


def consume_batches(handoff, barrier):
    """Cross-thread consumer: drops every batch it is handed until it gets None."""
    barrier.wait()
    start = perf_counter()
    get = handoff.get
    batch = get()
    while batch is not None:
        batch.clear()
        batch = get()
    return start, perf_counter()


def keep_alive_loop(cls, count, keep):
    """Memory churn: creates `count` objects, keeping the last `keep` alive (so caches fill)."""
    a = 1.0
    b = 2.0
    ring = [None] * keep
    for i in range(count):
        ring[i % keep] = cls(a, b)


TIMED_FUNCTIONS = (construct_loop, produce_batches, keep_alive_loop)


class FreeProbe:
    """Records, for each object finalised, whether a thread other than its creator finalised it."""

    __slots__ = ("creator",)
    finalised = []  # one bool per object; list.append is atomic, and a finaliser must not take locks

    def __init__(self, x, y):
        self.creator = threading.get_ident()

    def __del__(self):
        FreeProbe.finalised.append(threading.get_ident() != self.creator)


def cross_thread_probe(batches, batch_size):
    """The share of objects handed from producer to consumer (one pair, as in a cross trial) that
    are finalised on a thread other than their creator. On free-threaded 3.13, biased reference
    counting hands an object dropped by a non-owner thread back to its owner, which frees it,
    unless the owner has exited by then."""
    FreeProbe.finalised = []
    cross_trial(FreeProbe, 1, batches, batch_size)
    finalised, FreeProbe.finalised = FreeProbe.finalised, []
    return sum(finalised) / len(finalised) if finalised else None


# ---------------------------------------------------------------- threads

def run_in_threads(calls):
    """Runs each (function, args) in its own thread, joins them all and returns their results.

    Raises RuntimeError if any of them raised."""
    results = [None] * len(calls)
    errors = []

    def call(index, function, args):
        try:
            results[index] = function(*args)
        except BaseException as error:  # noqa: BLE001 - reported to the caller
            errors.append(error)
            raise

    threads = [threading.Thread(target=call, args=(i, f, a)) for i, (f, a) in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"a benchmark thread failed: {errors[0]!r}") from errors[0]
    return results


def span(results):
    """Wall time from the earliest start to the latest end of (start, end) pairs."""
    return max(end for _, end in results) - min(start for start, _ in results)


def main_trial(cls, threads, rounds):
    """T threads behind a barrier, each running construct_loop; the wall time of the timed region."""
    barrier = threading.Barrier(threads)
    return span(run_in_threads([(construct_loop, (cls, rounds, barrier))] * threads))


def cross_trial(cls, pairs, batches, batch_size):
    """`pairs` producer/consumer pairs; the wall time from the barrier to the last thread's end."""
    barrier = threading.Barrier(2 * pairs)
    calls = []
    for _ in range(pairs):
        handoff = queue.SimpleQueue()
        calls += [(produce_batches, (cls, batches, batch_size, handoff, barrier)),
                  (consume_batches, (handoff, barrier))]
    return span(run_in_threads(calls))


def churn_trial(cls, total_threads, rounds, concurrency):
    """`total_threads` short-lived threads, `concurrency` at a time; the wall time of all of them,
    thread creation included."""
    start = perf_counter()
    for first in range(0, total_threads, concurrency):
        wave = min(concurrency, total_threads - first)
        run_in_threads([(construct_loop, (cls, rounds))] * wave)
    return perf_counter() - start


# ---------------------------------------------------------------- environment checks

def free_threaded_build():
    """Whether this interpreter is a free-threaded (Py_GIL_DISABLED) build."""
    return sysconfig.get_config_var("Py_GIL_DISABLED") == 1


def gil_enabled():
    """sys._is_gil_enabled() where it exists; a build without it always has the GIL."""
    return sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True


def constant_refcounts():
    """sys.getrefcount of every float constant the timed loops pass, e.g. {"1.0": 4294967295}."""
    counts = {}
    for function in TIMED_FUNCTIONS:
        for constant in function.__code__.co_consts:
            if type(constant) is float:
                counts[repr(constant)] = min(counts.get(repr(constant), sys.maxsize), sys.getrefcount(constant))
    return counts


def constants_check():
    """Whether the loops' float constants are immortal; None where there is no immortality (< 3.12).

    On free-threaded 3.13, mortal constants are a shared refcount every thread writes to."""
    counts = constant_refcounts()
    if sys.version_info < (3, 12):
        return {"refcounts": counts, "immortal": None, "warning": None}
    immortal = all(count >= IMMORTAL_REFCOUNT for count in counts.values())
    warning = None if immortal else (
        f"float constants passed to the constructors are NOT immortal (refcounts {counts}): "
        "threads contend on their reference counts, which slows every row's multi-thread figures")
    return {"refcounts": counts, "immortal": immortal, "warning": warning}


def load_rows(spec):
    """Imports each row's module from spec["build_dir"]; returns {key: class or reason string}.

    A module or class that does not exist is reported as missing; any other import failure, or
    the GIL coming back on in a free-threaded interpreter, ends the worker."""
    sys.path.insert(0, spec["build_dir"])
    modules, loaded = {}, {}
    for row in spec["rows"]:
        name = row["module"]
        if name == "__main__":
            modules[name] = sys.modules[__name__]
        elif name not in modules:
            try:
                modules[name] = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                modules[name] = f"missing: no module {name} in {spec['build_dir']}"
            if free_threaded_build() and gil_enabled():
                raise SystemExit(f"worker: importing {name} enabled the GIL")
        module = modules[name]
        if isinstance(module, str):
            loaded[row["key"]] = module
        elif not hasattr(module, row["cls"]):
            loaded[row["key"]] = f"missing: {name} has no class {row['cls']}"
        else:
            loaded[row["key"]] = getattr(module, row["cls"])
    if free_threaded_build():
        assert sys._is_gil_enabled() is False, "the GIL is enabled after importing the modules under test"
    return loaded, modules


def freelist_stats(row, cls, modules):
    """The PyClassKit freelist counters of a class, or None for classes from other modules."""
    stats = getattr(modules.get(row["module"]), "freelist_stats", None)
    if stats is None:
        return None
    try:
        return dict(stats(cls))
    except TypeError:
        return None


def current_rss():
    """Resident set size now, in bytes (Linux /proc/self/statm)."""
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def progress(spec, text):
    """One line of live progress on stderr."""
    print(f"  [{spec['label']} {spec['mode']}] {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- modes

def rounds_for(ops):
    """construct_loop rounds for at least `ops` constructions (at least one round)."""
    return max(1, -(-ops // UNROLL))


def thread_counts(spec, row):
    """The thread counts a row runs at (RacyPoint: 1 only)."""
    limit = row.get("max_threads")
    return [t for t in spec["threads"] if limit is None or t <= limit]


def run_interleaved(spec, classes, cells, trial, describe):
    """Runs trial(cls, t) for every row and each of its thread counts t, repetition by repetition.

    cells(row) gives a row's thread counts. Within a repetition the rows come in an order shuffled
    by the repetition's index, so every row's samples come from the same period. Returns
    ({key: {str(t): [wall seconds per repetition]}}, [row order of each repetition])."""
    runnable = [row for row in spec["rows"] if not isinstance(classes[row["key"]], str)]
    walls = {row["key"]: {str(t): [] for t in cells(row)} for row in runnable}
    for row in runnable:  # warm-up: fill freelists and caches, start the first threads
        trial(classes[row["key"]], cells(row)[0], warmup=True)
    orders = []
    for repetition in range(spec["repeats"]):
        order = list(runnable)
        random.Random(repetition).shuffle(order)
        orders.append([row["key"] for row in order])
        for row in order:
            figures = []
            for t in cells(row):
                wall = trial(classes[row["key"]], t)
                walls[row["key"]][str(t)].append(wall)
                figures.append(describe(t, wall))
            progress(spec, f"rep {repetition + 1}/{spec['repeats']} {row['key']:<22} " + "  ".join(figures))
    return walls, orders


def mode_main(spec, classes):
    """Create/destroy: every row at every thread count, interleaved repetitions."""
    rounds = rounds_for(spec["ops"])
    ops = rounds * UNROLL

    def trial(cls, threads, warmup=False):
        return main_trial(cls, threads, rounds_for(min(ops, 20_000)) if warmup else rounds)

    walls, orders = run_interleaved(
        spec, classes, lambda row: thread_counts(spec, row), trial,
        lambda t, wall: f"{t}T {wall / ops * 1e9:7.1f} ns/op")
    return {"ops_per_thread": ops, "walls": walls, "orders": orders}


def mode_cross(spec, classes):
    """Cross-thread: T/2 producer/consumer pairs for each even T, interleaved repetitions."""
    batch = min(spec["batch"], spec["ops"])
    batches = max(1, spec["ops"] // batch)
    objects = batch * batches
    pair_counts = [t // 2 for t in spec["threads"] if t >= 2 and t % 2 == 0]

    def trial(cls, threads, warmup=False):
        return cross_trial(cls, threads // 2, 1 if warmup else batches, batch)

    walls, orders = run_interleaved(
        spec, classes, lambda row: [2 * p for p in pair_counts], trial,
        lambda t, wall: f"{t}T {wall / objects * 1e9:7.1f} ns/object")
    return {"objects_per_pair": objects, "batch": batch, "walls": walls, "orders": orders,
            "freed_on_other_thread": cross_thread_probe(batches, batch)}


def mode_churn(spec, classes):
    """Thread churn: many short-lived threads per trial, interleaved repetitions."""
    rounds = rounds_for(spec["churn_ops"])
    total = spec["churn_threads"]
    ops = total * rounds * UNROLL

    def trial(cls, _threads, warmup=False):
        return churn_trial(cls, spec["churn_concurrency"] if warmup else total, rounds, spec["churn_concurrency"])

    walls, orders = run_interleaved(
        spec, classes, lambda row: [spec["churn_concurrency"]], trial,
        lambda t, wall: f"{wall / ops * 1e9:7.1f} ns/op")
    return {"ops_total": ops, "threads_total": total, "ops_per_thread": rounds * UNROLL,
            "concurrency": spec["churn_concurrency"], "walls": walls, "orders": orders}


def single_class(spec, classes):
    """The one class a memory mode measures (a missing one ends the worker with its reason)."""
    (row,) = spec["rows"]
    cls = classes[row["key"]]
    if isinstance(cls, str):
        return row, None
    return row, cls


def mode_memory_steady(spec, classes):
    """Peak RSS after memory_ops create/destroy (one class, fresh process)."""
    row, cls = single_class(spec, classes)
    if cls is None:
        return {"status": classes[row["key"]]}
    threads = spec["memory_steady_threads"]
    rounds = rounds_for(spec["memory_ops"] // threads)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = span(run_in_threads([(construct_loop, (cls, rounds))] * threads))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ops = threads * rounds * UNROLL
    progress(spec, f"{row['key']:<22} peak RSS {peak / 1024:.1f} MiB after {ops:,} ops on {threads} threads")
    return {"status": "ok", "ops": ops, "threads": threads, "seconds": seconds,
            "maxrss_kib_before": before, "maxrss_kib": peak}


def mode_memory_churn(spec, classes):
    """RSS after the first memory_first and after all memory_threads short-lived threads."""
    row, cls = single_class(spec, classes)
    if cls is None:
        return {"status": classes[row["key"]]}
    total, first, concurrency = spec["memory_threads"], spec["memory_first"], spec["churn_concurrency"]
    args = (cls, spec["memory_thread_ops"], spec["memory_keep"])
    readings = {"rss_bytes_start": current_rss()}
    finished = 0
    while finished < total:
        wave = min(concurrency, total - finished)
        run_in_threads([(keep_alive_loop, args)] * wave)
        finished += wave
        if finished >= first and "rss_bytes_first" not in readings:
            readings["rss_bytes_first"] = current_rss()
    readings["rss_bytes_all"] = current_rss()
    difference = (readings["rss_bytes_all"] - readings["rss_bytes_first"]) / 2 ** 20
    progress(spec, f"{row['key']:<22} RSS after {first} threads {readings['rss_bytes_first'] / 2**20:.1f} MiB, "
                   f"after {total} {readings['rss_bytes_all'] / 2**20:.1f} MiB ({difference:+.2f} MiB)")
    return {"status": "ok", "threads": total, "first": first, "ops_per_thread": spec["memory_thread_ops"],
            "keep": spec["memory_keep"], **readings}


MODES = {"main": mode_main, "matrix": mode_main, "cross": mode_cross, "churn": mode_churn,
         "memory-steady": mode_memory_steady, "memory-churn": mode_memory_churn}


def main(argv):
    """Runs the mode SPEC_JSON names and prints the result line."""
    spec = json.loads(argv[1])
    classes, modules = load_rows(spec)
    result = MODES[spec["mode"]](spec, classes)
    rows = {}
    for row in spec["rows"]:
        cls = classes[row["key"]]
        if isinstance(cls, str):
            rows[row["key"]] = {"status": cls}
        else:
            rows[row["key"]] = {"status": "ok", "freelist_stats": freelist_stats(row, cls, modules),
                                "basicsize": cls.__basicsize__, "gc": bool(cls.__flags__ & GC_FLAG)}
    result.update({
        "mode": spec["mode"],
        "python": sys.executable,
        "version": sys.version.split()[0],
        "free_threaded_build": free_threaded_build(),
        "gil_enabled": gil_enabled(),
        "constants": constants_check(),
        "rows": rows,
    })
    if result["constants"]["warning"]:
        progress(spec, "WARNING: " + result["constants"]["warning"])
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
