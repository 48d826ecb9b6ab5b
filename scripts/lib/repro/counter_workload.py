"""The shared-Counter workload, for ThreadSanitizer (scripts/repro --tsan).

T threads wait on a threading.Barrier, then each calls `increment()` M times on one shared
`points.Counter` (a `mutating` method: the object's critical section), sets its `label` and
reads it and `value` back. The last line of stdout is the result, as JSON after the prefix
`REPRO-RESULT `: {"class", "gil_enabled", "value", "expected", "mismatches", "operations",
"seconds"}; `mismatches` counts a final value that is not exact and label reads that are none
of the written values.
"""
import argparse
import json
import sys
import threading
import time

RESULT_PREFIX = "REPRO-RESULT "


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--iterations", type=int, default=2_000)
    args = parser.parse_args(argv)

    import points

    counter = points.Counter()
    labels = {f"thread-{thread}-{i}" for thread in range(args.threads) for i in range(args.iterations)} | {""}
    barrier = threading.Barrier(args.threads)
    wrong = [0] * args.threads

    def work(thread):
        barrier.wait()
        bad = 0
        for i in range(args.iterations):
            counter.increment()
            counter.label = f"thread-{thread}-{i}"
            if counter.label not in labels:
                bad += 1
            if counter.value <= 0:
                bad += 1
        wrong[thread] = bad

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(t,)) for t in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = args.threads * args.iterations
    result = {
        "class": "Counter",
        "gil_enabled": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True,
        "value": counter.value,
        "expected": expected,
        "mismatches": sum(wrong) + (counter.value != expected),
        "operations": 4 * expected,
        "seconds": time.perf_counter() - started,
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
