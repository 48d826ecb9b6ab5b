"""The example module `points` on the interpreter running pytest (3.13t with the GIL off, or 3.11)."""
import gc
import os
import queue
import subprocess
import sys
import threading

import pytest

import points
from conftest import BUILD_DIR, FREE_THREADED_BUILD
from support import SAFE_STRATEGIES, assert_gil_as_expected, assert_within_limit, run_threads, stats

THREADS = 8
PER_THREAD = 100_000
KEEP_ALIVE = 8  # objects each thread holds at once, so that parks and reuses interleave


def test_import_leaves_gil_disabled():
    code = "import sys, points; assert points.Point(1, 2).norm() > 0; print(sys._is_gil_enabled() if hasattr(sys, '_is_gil_enabled') else 'n/a')"
    env = dict(os.environ, PYTHONPATH=BUILD_DIR)
    env.pop("PYTHON_GIL", None)
    result = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", code],
                            env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ("False" if FREE_THREADED_BUILD else "n/a"), result.stderr
    assert_gil_as_expected()


@pytest.mark.parametrize("cls", [points.Point, points.PlainPoint])
def test_point_basics(cls):
    p = cls(3.0, 4.0)
    assert (p.x, p.y) == (3.0, 4.0)
    assert p.norm() == 5.0
    assert repr(p) == f"{cls.__name__}(x=3.0, y=4.0)"
    assert cls(y=2, x=1).x == 1.0  # keywords, and ints convert
    assert type(p) is cls and cls.__module__ == "points"
    with pytest.raises(AttributeError):
        p.x = 1.0


def test_freelist_configuration():
    assert stats(points.Point)["capacity"] == 32
    assert stats(points.Point)["strategy"] == "perThread"
    assert stats(points.PlainPoint) == {"strategy": "none", "capacity": 0, "limit": 0, "cached": 0,
                                        "hits": 0, "misses": 0, "overflows": 0, "canaries": False,
                                        "handed_out_twice": 0, "parked_twice": 0, "reads_past_end": 0,
                                        "empty_slot_reads": 0,
                                        "violations": 0}


@pytest.mark.thread_unsafe(reason="asserts exact deltas of the class's process-wide freelist counters")
def test_freelist_reuses_memory_lifo():
    first = points.Point(1.0, 2.0)
    address = id(first)
    del first
    before = stats(points.Point)
    again = points.Point(5.0, 6.0)
    after = stats(points.Point)
    assert id(again) == address  # the parked object came back
    assert after["hits"] == before["hits"] + 1
    assert (again.x, again.y) == (5.0, 6.0)


@pytest.mark.thread_unsafe(reason="asserts exact deltas of the class's process-wide freelist counters")
def test_capacity_is_exact():
    # A single-stack strategy holds exactly N (PyO3's list held N - 1); perThread bounds each
    # thread's cache and its depot instead (test_per_thread_memory_stays_bounded...).
    many = [points.MutexPoint(i, i) for i in range(100)]
    del many
    assert stats(points.MutexPoint)["cached"] == 32


BAD_ARGUMENTS = [
    ((), {}, TypeError, "missing required argument 'x'"),
    ((1.0,), {}, TypeError, "missing required argument 'y'"),
    ((1.0, 2.0, 3.0), {}, TypeError, "takes 2 positional arguments but 3 were given"),
    (("a", 2.0), {}, TypeError, "argument 'x' must be a real number, not str"),
    ((1.0, None), {}, TypeError, "argument 'y' must be a real number, not NoneType"),
    ((1.0,), {"z": 2.0}, TypeError, "unexpected keyword argument 'z'"),
    ((1.0, 2.0), {"x": 2.0}, TypeError, "given by name ('x') and position (1)"),
    ((float("nan"), 2.0), {}, ValueError, "must be finite"),
    ((1.0, float("inf")), {}, ValueError, "must be finite"),
]


@pytest.mark.parametrize("args,kwargs,error,message", BAD_ARGUMENTS)
def test_bad_arguments_raise(args, kwargs, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        points.Point(*args, **kwargs)


@pytest.mark.thread_unsafe(reason="asserts exact deltas of the class's process-wide freelist counters")
def test_bad_arguments_leak_nothing():
    gc.collect()
    value = object()
    baseline_type = sys.getrefcount(points.Point)
    baseline_tagged = sys.getrefcount(points.Tagged)
    baseline_value = sys.getrefcount(value)
    baseline_stats = stats(points.Point)
    failures = 0
    # Plain try/except: pytest.raises keeps the last traceback (and what it references) alive.
    for _ in range(10_000):
        for args, kwargs, error, _message in BAD_ARGUMENTS:
            try:
                points.Point(*args, **kwargs)
            except error:
                failures += 1
        for args in ((value, 5), (value, "tag", value)):
            try:
                points.Tagged(*args)
            except TypeError:
                failures += 1
    assert failures == 10_000 * (len(BAD_ARGUMENTS) + 2)
    del args  # the loop variable still holds the last argument tuple
    gc.collect()
    # Counted outside the asserts: pytest's assertion rewriting holds subexpressions in locals.
    counts = sys.getrefcount(points.Point), sys.getrefcount(points.Tagged), sys.getrefcount(value)
    assert counts == (baseline_type, baseline_tagged, baseline_value)
    # Rejected calls never touch the freelist.
    assert stats(points.Point)["hits"] == baseline_stats["hits"]
    assert stats(points.Point)["misses"] == baseline_stats["misses"]


def test_bad_receivers_and_classes():
    with pytest.raises(TypeError, match="doesn't apply to a 'int' object"):
        points.Point.norm(3)
    with pytest.raises(TypeError, match="doesn't apply to a 'points.PlainPoint' object"):
        points.Point.norm(points.PlainPoint(1, 2))
    with pytest.raises(TypeError, match="must be a class, not int"):
        points.freelist_stats(3)
    with pytest.raises(TypeError, match="made by PyClassKit, not int"):
        points.freelist_stats(int)


@pytest.mark.thread_unsafe(reason="asserts exact deltas of the class's process-wide freelist counters")
def test_subclass_allocates_normally():
    class Sub(points.Point):
        def doubled(self):
            return Sub(self.x * 2, self.y * 2)

    before = stats(points.Point)
    subs = [Sub(i, -i) for i in range(50)]
    assert all(type(s) is Sub and s.x == i and s.y == -i for i, s in enumerate(subs))
    assert subs[3].doubled().x == 6.0 and subs[3].norm() == pytest.approx(3 * 2 ** 0.5)
    del subs
    gc.collect()
    after = stats(points.Point)
    assert (after["hits"], after["misses"], after["cached"]) == (before["hits"], before["misses"], before["cached"])


@pytest.mark.thread_unsafe(reason="asserts exact deltas of the class's process-wide freelist counters")
def test_gc_class_is_retracked_after_reuse():
    class Canary:
        deaths = 0

        def __del__(self):
            Canary.deaths += 1

    gc.collect()
    t = points.Tagged(Canary(), "first")
    assert gc.is_tracked(t)
    del t
    before = stats(points.Tagged)
    reused = points.Tagged([1, 2], "second")
    assert stats(points.Tagged)["hits"] == before["hits"] + 1
    assert gc.is_tracked(reused)  # PyO3 forgets this (its PR 6442)
    assert (reused.value, reused.tag) == ([1, 2], "second")
    # A cycle through the Swift state is found and broken by the collector.
    cycle = [Canary()]
    cycle.append(points.Tagged(cycle, "cycle"))
    deaths = Canary.deaths
    del cycle
    gc.collect()
    assert Canary.deaths == deaths + 1


@pytest.mark.thread_unsafe(reason="needs every other thread gone: limit counts the caches of live threads")
@pytest.mark.parametrize("cls", [classes["class"] for classes in SAFE_STRATEGIES.values()]
                         + [points.Point, points.Tagged])
def test_limit_is_reached_when_more_objects_die_than_it_holds(cls):
    """`limit` is what the freelist can hold now, all threads together: `capacity` for a single
    list; for perThread the live threads' caches plus the depot plus the surplus. With no other
    thread alive, more than `limit` objects dying on this thread leave exactly `limit` parked."""
    assert threading.active_count() == 1
    make = (lambda i: cls(i, "tag")) if cls is points.Tagged else (lambda i: cls(i, i))
    many = [make(i) for i in range(50)]
    del many  # this thread now has a cache, if the strategy has caches
    limit = stats(cls)["limit"]  # may shrink as pushes hand back surplus objects, never grow
    many = [make(i) for i in range(limit + 50)]
    del many
    s = stats(cls)
    assert s["capacity"] == 32
    assert s["cached"] == s["limit"], s
    if s["strategy"] == "perThread" and FREE_THREADED_BUILD:
        # This thread's cache and the depot, plus whatever surplus of exited threads' objects
        # earlier tests left (handed back by pushes while the depot has room).
        assert s["limit"] >= s["capacity"] + 4 * s["capacity"], s
    else:
        assert s["limit"] == s["capacity"], s


@pytest.mark.parametrize("strategy", SAFE_STRATEGIES)
def test_strategy_classes(strategy):
    plain, checked = SAFE_STRATEGIES[strategy]["class"], SAFE_STRATEGIES[strategy]["checked_class"]
    for cls in (plain, checked):
        s = stats(cls)
        assert (s["strategy"], s["capacity"], s["canaries"]) == (strategy, 32, cls is checked)
        assert repr(cls(1, 2)) == f"{cls.__name__}(x=1.0, y=2.0)"
    assert "DELIBERATELY UNSAFE" in points.RacyPoint.__doc__
    assert stats(points.RacyPoint)["strategy"] == "unsynchronized"


@pytest.mark.thread_unsafe(reason="starts threads of its own and asserts process-wide freelist counters")
@pytest.mark.parametrize("strategy", SAFE_STRATEGIES)
def test_strategy_threads_with_canaries(strategy):
    """Every safe strategy, checked with canaries: 4 threads x 50 000 objects, each thread
    keeping a ring of 8 alive; no object is handed out twice or parked twice, and every live
    object keeps its own values."""
    cls = SAFE_STRATEGIES[strategy]["checked_class"]
    threads, per_thread = 4, 50_000
    before = stats(cls)

    def work(index):
        ring = []
        for i in range(per_thread):
            p = cls(index, i)
            if any(other is p for other in ring):
                raise AssertionError("an object this thread holds was handed out again")
            ring.append(p)
            if len(ring) > KEEP_ALIVE:
                old = ring.pop(0)
                assert (old.x, old.y) == (index, i - KEEP_ALIVE)

    run_threads(threads, work)
    after = stats(cls)
    assert after["violations"] == 0, after
    assert after["hits"] + after["misses"] - before["hits"] - before["misses"] == threads * per_thread
    assert after["hits"] > before["hits"]
    assert_within_limit(cls)
    assert_gil_as_expected()


@pytest.mark.thread_unsafe(reason="starts threads of its own and asserts process-wide freelist counters")
def test_per_thread_memory_stays_bounded_as_threads_come_and_go():
    """200 short-lived threads, each leaving a full cache behind when it exits: the objects go to
    the shared depot (and its surplus, which later pushes hand back to be freed), so the number
    parked stays bounded however many threads came and went."""
    cls = points.PerThreadPoint
    baseline_refs = sys.getrefcount(cls)

    def work(index):
        keep = [cls(index, i) for i in range(64)]  # more than a cache holds
        del keep

    for _ in range(100):
        run_threads(2, work)
    s = stats(cls)
    # No other thread is alive: at most the main thread's cache, the depot (4 x capacity) and a
    # surplus of the last two exited threads' caches, however many threads came and went.
    assert s["limit"] <= s["capacity"] * (1 + 4 + 2), s
    assert_within_limit(cls)
    assert sys.getrefcount(cls) == baseline_refs
    assert_gil_as_expected()


@pytest.mark.thread_unsafe(reason="starts threads of its own and asserts process-wide freelist counters")
def test_threads_create_and_destroy(report):
    """8 threads x 100 000 instances each, checking every object's own values."""
    gc.collect()
    baseline_refs = sys.getrefcount(points.Point)
    before = stats(points.Point)

    def work(index):
        alive = []
        for i in range(PER_THREAD):
            p = points.Point(index, i)
            alive.append(p)
            if len(alive) > KEEP_ALIVE:
                old = alive.pop(0)
                assert old.x == index and old.y == i - KEEP_ALIVE, (old, index, i)
            if len({id(o) for o in alive}) != len(alive):
                raise AssertionError("two live objects share an address")
        for offset, p in enumerate(alive):
            assert (p.x, p.y) == (index, PER_THREAD - len(alive) + offset)

    run_threads(THREADS, work)
    after = stats(points.Point)
    hits = after["hits"] - before["hits"]
    misses = after["misses"] - before["misses"]
    assert hits + misses == THREADS * PER_THREAD  # every allocation asked the freelist once
    assert hits > 0
    assert_within_limit(points.Point)
    gc.collect()
    refs = sys.getrefcount(points.Point)
    assert refs == baseline_refs
    assert_gil_as_expected()
    report(f"threads: {THREADS} x {PER_THREAD} Point objects created; hits {hits}, misses {misses} "
           f"({hits / (hits + misses):.1%} from the freelist), cached {after['cached']} (limit {after['limit']}, "
           f"capacity {after['capacity']})")


@pytest.mark.thread_unsafe(reason="starts threads of its own and asserts process-wide freelist counters")
def test_cross_thread_subclass_and_concurrent_gc(report):
    """Producers create Points, Sub instances and Tagged cycles; consumers destroy them; the
    collector runs all along."""

    class Sub(points.Point):
        pass

    producers = consumers = THREADS // 2
    per_producer = PER_THREAD // 4
    gc.collect()
    baseline = {cls: sys.getrefcount(cls) for cls in (points.Point, points.Tagged, Sub)}
    before = stats(points.Point)
    handoff = queue.Queue(maxsize=1024)
    # Producers ask for a collection every 2048 objects; a dedicated thread runs them while the
    # workers go on. (A collector looping without pause would stop the world back to back and
    # starve the workers on a free-threaded build.)
    collect_requests = queue.Queue()
    collections = 0
    checked = [0] * consumers

    def collector():
        nonlocal collections
        while collect_requests.get() is not None:
            gc.collect()
            collections += 1

    def work(index):
        if index < producers:
            for i in range(per_producer):
                cls = Sub if i % 3 == 0 else points.Point
                handoff.put((index, i, cls(index, i)))
                if i % 64 == 0:
                    cycle = []
                    cycle.append(points.Tagged(cycle, f"{index}:{i}"))
                if i % 2048 == 0:
                    collect_requests.put(True)
            for _ in range(consumers // producers):
                handoff.put(None)
        else:
            slot = index - producers
            while (item := handoff.get()) is not None:
                producer, i, p = item
                assert (p.x, p.y) == (producer, i)
                assert type(p) is (Sub if i % 3 == 0 else points.Point)
                checked[slot] += 1

    collector_thread = threading.Thread(target=collector)
    collector_thread.start()
    try:
        run_threads(producers + consumers, work)
    finally:
        collect_requests.put(None)
        collector_thread.join()
    after = stats(points.Point)
    exact = producers * per_producer - producers * ((per_producer + 2) // 3)
    assert sum(checked) == producers * per_producer
    assert after["hits"] + after["misses"] - before["hits"] - before["misses"] == exact
    assert after["hits"] > before["hits"]
    assert_within_limit(points.Point)
    assert collections > 0
    gc.collect()
    counts = {cls: sys.getrefcount(cls) for cls in baseline}
    assert counts == baseline
    assert_gil_as_expected()
    report(f"cross-thread: {sum(checked)} objects created by {producers} threads and destroyed by {consumers} "
           f"({exact} exact Points, the rest a Python subclass); {collections} concurrent gc.collect() runs; "
           f"hits {after['hits'] - before['hits']}, misses {after['misses'] - before['misses']}")
