"""One reproduction trial, run by the harness in its own interpreter process.

T threads wait on a threading.Barrier, then each creates M objects of one class, keeps a few
alive for a while (a ring of K, so objects die in a mixed order), and reads every object's fields
back: once right after creating it, again when it leaves the ring, and once more at the end. After
the threads finish, the trial looks for two live objects with the same id(). While they run,
the main thread prints the freelist's counters every 5 ms after the prefix `REPRO-COUNTERS `
(the harness quotes the last of them for a trial that crashes). The last line of stdout is the
result, as JSON after the prefix `REPRO-RESULT `:

    {"class": ..., "strategy": ..., "gil_enabled": ..., "free_threaded_build": ...,
     "mismatches": ..., "duplicate_ids": ..., "violations": ..., "stats": {...},
     "operations": ..., "seconds": ...}

It runs on any Python from 3.11 on and imports nothing but the standard library and the module
under test. The harness, not this file, decides what the result means.
"""
import argparse
import json
import random
import sys
import sysconfig
import threading
import time

RESULT_PREFIX = "REPRO-RESULT "
COUNTERS_PREFIX = "REPRO-COUNTERS "
# How often the main thread prints the freelist's counters while the workers run, so that a trial
# that crashes still leaves the misuse its canaries counted before the crash.
COUNTERS_INTERVAL = 0.005


def gil_enabled():
    return sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default="points")
    parser.add_argument("--class", dest="cls", required=True)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--iterations", type=int, default=20_000)
    parser.add_argument("--keep", type=int, default=8, help="objects each thread keeps alive")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    module = __import__(args.module)
    cls = getattr(module, args.cls)
    # Checked after the import: a module without Py_mod_gil=NOT_USED turns the GIL back on.
    gil_after_import = gil_enabled()

    barrier = threading.Barrier(args.threads + 1)
    mismatches = [0] * args.threads
    kept_at_end = [[] for _ in range(args.threads)]

    def work(thread):
        rng = random.Random(args.seed * 1_000_003 + thread)
        ring = []
        wrong = 0
        x = float(thread)
        barrier.wait()
        for i in range(args.iterations):
            y = float(i)
            obj = cls(x, y)
            if obj.x != x or obj.y != y:
                wrong += 1
            if rng.random() < 0.25:
                for other, _, _ in ring:
                    if other is obj:  # handed out while this thread still holds it
                        wrong += 1
                ring.append((obj, x, y))
                if len(ring) > args.keep:
                    old, ox, oy = ring.pop(0)
                    if old.x != ox or old.y != oy:
                        wrong += 1
        for obj, ox, oy in ring:
            if obj.x != ox or obj.y != oy:
                wrong += 1
        mismatches[thread] = wrong
        kept_at_end[thread] = ring

    threads = [threading.Thread(target=work, args=(t,)) for t in range(args.threads)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    # Join with a timeout only to report the counters now and then; the workers never wait on it.
    while any(thread.is_alive() for thread in threads):
        for thread in threads:
            thread.join(COUNTERS_INTERVAL)
        print(COUNTERS_PREFIX + json.dumps(module.freelist_stats(cls)), flush=True)
    seconds = time.perf_counter() - started

    live = [entry for ring in kept_at_end for entry in ring]
    ids = [id(obj) for obj, _, _ in live]
    duplicate_ids = len(ids) - len(set(ids))
    late_mismatches = sum(1 for obj, ox, oy in live if obj.x != ox or obj.y != oy)
    stats = module.freelist_stats(cls)
    result = {
        "class": args.cls,
        "strategy": stats["strategy"],
        "python": sys.version.split()[0],
        "free_threaded_build": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gil_enabled": gil_enabled(),
        "gil_enabled_after_import": gil_after_import,
        "threads": args.threads,
        "iterations": args.iterations,
        "mismatches": sum(mismatches) + late_mismatches,
        "duplicate_ids": duplicate_ids,
        "violations": stats["violations"],
        "stats": stats,
        "operations": args.threads * args.iterations,
        "seconds": seconds,
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
