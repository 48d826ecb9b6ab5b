"""Threaded demo: create and destroy points from many threads, and say what happened."""
import sys
import sysconfig
import threading
import time

import points

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 4
PER_THREAD = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000


def run(cls):
    barrier = threading.Barrier(THREADS + 1)
    wrong = []

    def work(t):
        barrier.wait()
        for i in range(PER_THREAD):
            p = cls(t, i)
            if p.x != t or p.y != i:
                wrong.append(p)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    barrier.wait()
    start = time.perf_counter()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - start
    s = points.freelist_stats(cls)
    print(f"  {cls.__name__:<10} {THREADS * PER_THREAD:>9,} objects in {elapsed:6.2f}s "
          f"({THREADS * PER_THREAD / elapsed / 1e6:5.2f} M/s); freelist {s['strategy']}: "
          f"hits {s['hits']:,}, misses {s['misses']:,}, cached {s['cached']}/{s['capacity']}; "
          f"wrong values: {len(wrong)}")
    return not wrong


free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
print(f"Python {sys.version.split()[0]} ({'free-threaded build' if free_threaded else 'GIL build'}), "
      f"GIL {'enabled' if gil else 'disabled'}; {THREADS} threads x {PER_THREAD:,} objects each")
ok = all([run(points.Point), run(points.PlainPoint)])
sys.exit(0 if ok else 1)
