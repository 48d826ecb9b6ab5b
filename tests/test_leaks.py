"""Leak tests: no freelist path, state destruction or rejected call loses memory or a reference.

Each test measures, the way CPython's own leak hunting does (regrtest -R): warm-up rounds first
(they fill the freelists and whatever caches the interpreter keeps), then several measured
rounds, each between two full collections, and the growth over the measured rounds:

- `sys.getallocatedblocks()`, less the objects parked in the module's freelists: every object
  PyClassKit allocates comes from the interpreter's allocator (pymalloc on 3.11, mimalloc's heaps
  on 3.13t, both counted exactly, so RSS, much coarser, is never needed), and an object dropped
  instead of freed is neither live nor parked: it adds one block that no later round gives back;
- `sys.getrefcount()` of an object the instances hold (`HELD`): a reference the Swift state
  never released;
- `points.tracked_made() - points.tracked_deinitialised()`: `points.Tracked` instances' Swift
  state (a class instance counting its own deinitialisations) not destroyed, or destroyed twice.

A round runs thousands of operations of the path under test, while a passing round moves these
figures by nothing (references, states) or by a few blocks at most: the thresholds are far below
what one lost object per thousand operations would give. The freelist counters
(`points.freelist_stats`) are asserted too, so that each test is known to take the path it names.
"""
import gc
import json
import os
import queue
import subprocess
import sys
import threading
from typing import NamedTuple

import pytest

import conversions
import points
from conftest import BUILD_DIR, FREE_THREADED_BUILD
from support import SAFE_STRATEGIES, assert_gil_as_expected, run_threads, stats

# Every test measures process-wide figures: none may run while another test runs in parallel.
pytestmark = pytest.mark.thread_unsafe(reason="measures process-wide allocated blocks, reference counts and freelist counters")


@pytest.fixture(autouse=True)
def only_in_an_ordinary_run(request):
    """Under pytest-run-parallel (--parallel-threads > 1) a thread_unsafe test runs once, as in an
    ordinary run: these would only run a second time, unchanged (scripts/test runs both)."""
    if str(request.config.getoption("parallel_threads", default=1)) != "1":
        pytest.skip("leak tests measure the whole process: they run in the ordinary pytest run")


WARMUP_ROUNDS = 2
MEASURED_ROUNDS = 3
# Allocated blocks the measured rounds together may gain: the interpreter's own bookkeeping moves
# the count by a block or two now and then; every round below loses or frees thousands.
BLOCK_LIMIT = 30

# The object every Tagged and Tracked instance of these tests holds.
HELD = ["held by Tagged and Tracked instances"]

CAPACITY = 32  # every freelist class of the module

# The point of every safe strategy (the catalogue's), and the module's other freelist classes.
FREELIST_CLASSES = ([classes["class"] for classes in SAFE_STRATEGIES.values()]
                    + [points.Point, points.Tagged, points.Tracked])
ALL_CLASSES = FREELIST_CLASSES + [points.PlainPoint]
PER_THREAD_CLASSES = [points.PerThreadPoint, points.Point, points.Tracked]
STATE_CLASSES = [points.Tagged, points.Tracked]


def class_params(classes):
    return [pytest.param(cls, id=cls.__name__) for cls in classes]


def make(cls):
    """One instance of cls, holding `HELD` if the class holds objects."""
    if cls is points.Tagged:
        return cls(HELD, "tag")
    if cls is points.Tracked:
        return cls(HELD)
    return cls(1.0, 2.0)


def counter_deltas(cls, before):
    after = stats(cls)
    return {key: after[key] - before[key] for key in ("hits", "misses", "overflows")}


# Every class of the module with a freelist, whose parked objects the census leaves out.
PARKING_CLASSES = [cls for cls in vars(points).values()
                   if isinstance(cls, type) and not issubclass(cls, BaseException)
                   and stats(cls)["strategy"] != "none"]


class Census(NamedTuple):
    """What a lost object or reference moves, counted after a full collection (with no other
    thread running, so that the freelist counters are exact)."""
    # Allocated blocks, less the objects parked in freelists: where the parked objects of exited
    # threads' caches end up (depot, surplus) varies from round to round, whether they are
    # parked does not. An object dropped instead of freed is neither live nor parked.
    blocks: int
    # References to HELD.
    held_references: int
    # Tracked states made and not deinitialised.
    tracked_alive: int


def census():
    gc.collect()
    parked = sum(stats(cls)["cached"] for cls in PARKING_CLASSES)
    return Census(sys.getallocatedblocks() - parked, sys.getrefcount(HELD),
                  points.tracked_made() - points.tracked_deinitialised())


def measure(workload, warmups=WARMUP_ROUNDS, rounds=MEASURED_ROUNDS):
    """Runs workload `warmups` times, then `rounds` times between censuses; returns each measured
    round's change."""
    for _ in range(warmups):
        workload()
    changes = []
    for _ in range(rounds):
        before = census()
        workload()
        after = census()
        changes.append(Census(*(a - b for a, b in zip(after, before))))
    return changes


def assert_nothing_lost(changes, what, block_limit=BLOCK_LIMIT, blocks_are="allocated blocks not parked"):
    """No block beyond `block_limit` over the measured rounds, and no reference or state at all."""
    blocks = [change.blocks for change in changes]
    references = [change.held_references for change in changes]
    alive = [change.tracked_alive for change in changes]
    lost = (sum(blocks) > block_limit, any(references), any(alive))
    assert not any(lost), (
        f"{what}: {blocks_are} {sum(blocks):+} ({blocks} per round, at most {block_limit} allowed), "
        f"references to the held object {sum(references):+} ({references}), "
        f"Tracked states alive {sum(alive):+} ({alive}), over {len(changes)} rounds")


# --- Every freelist path ------------------------------------------------------------------------


@pytest.mark.parametrize("cls", class_params(ALL_CLASSES))
def test_reuse_leaks_nothing(cls):
    """The hit path: one object at a time, created and dropped, so each allocation reuses the
    object the previous one parked."""
    count = 5000
    before = stats(cls)

    def workload():
        for _ in range(count):
            make(cls)

    changes = measure(workload)
    assert_nothing_lost(changes, f"{count} {cls.__name__} objects created and dropped one at a time")
    counters = counter_deltas(cls, before)
    if cls in FREELIST_CLASSES:
        rounds = WARMUP_ROUNDS + MEASURED_ROUNDS
        assert counters["hits"] >= rounds * (count - 1), counters


@pytest.mark.parametrize("cls", class_params(ALL_CLASSES))
def test_overflow_frees_what_the_freelist_cannot_hold(cls):
    """The miss and overflow paths: far more objects die at once than the freelist holds, so most
    allocations miss and most deallocations find the list full and must free the object."""
    batch, batches = 1000, 4
    before = stats(cls)

    def workload():
        for _ in range(batches):
            objects = [make(cls) for _ in range(batch)]
            del objects

    changes = measure(workload)
    assert_nothing_lost(changes, f"{batches} x {batch} {cls.__name__} objects dying at once")
    counters = counter_deltas(cls, before)
    if cls in FREELIST_CLASSES:
        rounds = WARMUP_ROUNDS + MEASURED_ROUNDS
        assert counters["misses"] >= rounds * batches * (batch - 10 * CAPACITY), counters
        assert counters["overflows"] >= rounds * batches * (batch - 10 * CAPACITY), counters


@pytest.mark.parametrize("cls", class_params(ALL_CLASSES))
def test_objects_freed_on_another_thread_leak_nothing(cls):
    """Objects made on one thread and freed on another: made by threads that then exit and freed
    by the main thread; made by the main thread and dropped by others; and passed from a producer
    to a consumer through a queue while both run. (On 3.13t an object dropped by a thread that
    does not own it is freed by its owner, or at once when the owner has exited: the census after
    the joins and a collection sees the end state either way.)"""
    threads, per_thread = 4, 500

    def workload():
        made = [None] * threads

        def produce(index):
            made[index] = [make(cls) for _ in range(per_thread)]

        run_threads(threads, produce)
        made.clear()  # freed here, by the main thread, after their makers exited

        batches = [[make(cls) for _ in range(per_thread)] for _ in range(threads)]

        def consume(index):
            batch = batches[index]
            batches[index] = None
            del batch  # the last reference, dropped on this thread

        run_threads(threads, consume)
        del batches

        handoff = queue.SimpleQueue()

        def pipe(index):
            if index == 0:
                for _ in range(threads * per_thread):
                    handoff.put(make(cls))
                handoff.put(None)
            else:
                while handoff.get() is not None:
                    pass

        run_threads(2, pipe)

    changes = measure(workload)
    assert_nothing_lost(changes, f"{3 * threads * per_thread} {cls.__name__} objects freed on another thread than their maker's")
    assert_gil_as_expected()


@pytest.mark.parametrize("cls", class_params(ALL_CLASSES))
def test_thread_exit_leaks_nothing(cls):
    """Many short-lived threads, each leaving objects parked when it exits (the per-thread list
    hands an exiting thread's cache to its depot, and what does not fit to its surplus, which
    later deallocations hand back to be freed); then the main thread allocates and frees."""
    waves, threads, per_thread = 5, 4, 2 * CAPACITY

    def work(index):
        objects = [make(cls) for _ in range(per_thread)]
        del objects  # the thread's cache is full when it exits

    def workload():
        for _ in range(waves):
            run_threads(threads, work)
        for _ in range(per_thread * threads):
            make(cls)
        objects = [make(cls) for _ in range(per_thread * threads)]
        del objects

    changes = measure(workload)
    assert_nothing_lost(changes, f"{waves * threads} threads each parking {cls.__name__} objects, then exiting")
    assert_gil_as_expected()


@pytest.mark.parametrize("cls", class_params(PER_THREAD_CLASSES))
def test_per_thread_depot_and_surplus_hand_overs_leak_nothing(cls):
    """The per-thread list's hand-overs, each many times per round: 8 threads hold 64 objects each
    at once, then drop them (their caches spill into the depot in batches until it is full, then
    overflow) and exit with full caches (to the full depot: the surplus); the main thread then
    takes back more objects than the depot holds (a refill in batches, then the surplus one by
    one), and frees as many while the surplus is handed back. The number of objects parked stays
    bounded all along."""
    threads, per_thread = 8, 2 * CAPACITY
    before = stats(cls)

    def workload():
        holding = threading.Barrier(threads, timeout=60)

        def work(index):
            objects = [make(cls) for _ in range(per_thread)]
            holding.wait()  # every thread holds its objects before any drops them
            del objects

        run_threads(threads, work)
        parked_after_exits = stats(cls)["cached"]
        taken = [make(cls) for _ in range(threads * per_thread)]
        del taken
        for _ in range(threads * per_thread):
            make(cls)
        return parked_after_exits

    parked = []
    changes = measure(lambda: parked.append(workload()))
    assert_nothing_lost(changes, f"{threads} threads x {per_thread} {cls.__name__} objects through the depot and surplus")
    counters = counter_deltas(cls, before)
    assert counters["hits"] > 0 and counters["overflows"] > 0, counters
    # Each exiting thread's cache, the depot (4 x capacity) and the main thread's cache at most.
    bound = CAPACITY * (threads + 4 + 1) if FREE_THREADED_BUILD else CAPACITY
    assert max(parked) <= bound, parked
    assert stats(cls)["cached"] <= bound
    assert_gil_as_expected()


# The module-free test runs in a child process that never starts a thread: free-threaded 3.13
# immortalises every module object (as it does every object that would use deferred reference
# counting) once a second thread has started in the process (CPython gh-117783), so a module
# loaded in this process could never be freed. The child loads the module afresh, again and
# again (multi-phase initialisation makes a new module object, with types and freelists of its
# own, each time), and prints its measurements as JSON.
MODULE_FREE_CHILD = r"""
import gc, importlib.util, json, sys, threading, weakref
import points

NAMES, CAPACITY, WARMUP_ROUNDS, MEASURED_ROUNDS = json.loads(sys.argv[1])
HELD = ["held by Tagged and Tracked instances"]


def census():
    gc.collect()
    return (sys.getallocatedblocks(), sys.getrefcount(HELD), points.tracked_made() - points.tracked_deinitialised())


def load_and_free(fill):
    spec = importlib.util.find_spec("points")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    freed = weakref.ref(module)
    classes = [getattr(module, name) for name in NAMES]
    parked = 0
    if fill:
        for cls in classes:
            make = (lambda: cls(HELD, "tag")) if cls.__name__ == "Tagged" else \
                (lambda: cls(HELD)) if cls.__name__ == "Tracked" else (lambda: cls(1.0, 2.0))
            objects = [make() for _ in range(3 * CAPACITY)]  # a per-thread list's cache and depot
            del objects
            parked += module.freelist_stats(cls)["cached"]
        del make
    statistics = module.freelist_stats
    del module, spec
    gc.collect()
    left = {cls.__name__: statistics(cls)["cached"] for cls in classes if statistics(cls)["cached"]}
    return parked, freed() is None, left


for _ in range(WARMUP_ROUNDS):
    load_and_free(False)
    load_and_free(True)
kept, parked, freed, left = [], [], [], {}
for _ in range(MEASURED_ROUNDS):
    start = census()
    freed.append(load_and_free(False)[1])
    middle = census()
    parked_now, freed_now, left = load_and_free(True)
    end = census()
    parked.append(parked_now)
    freed.append(freed_now)
    kept.append([(e - m) - (m - s) for s, m, e in zip(start, middle, end)])
print(json.dumps({"kept": kept, "parked": parked, "freed": freed, "left": left,
                  "threads": threading.active_count()}))
"""


def test_module_free_frees_parked_objects():
    """When a module object is freed, the objects parked in its classes' freelists are freed (for
    a per-thread list: the calling thread's cache and the depot). Each measured round loads the
    module twice, leaving its freelists empty once and filling them once, and frees it; the
    difference between the two is what the freelists kept. (Each load also leaves its static,
    immortal types behind, the same for both.) Runs in a child process that starts no thread:
    see MODULE_FREE_CHILD."""
    names = [cls.__name__ for cls in FREELIST_CLASSES] + [c["checked_class"].__name__ for c in SAFE_STRATEGIES.values()]
    env = dict(os.environ, PYTHONPATH=BUILD_DIR)
    arguments = json.dumps([names, CAPACITY, WARMUP_ROUNDS, MEASURED_ROUNDS])
    result = subprocess.run([sys.executable, "-c", MODULE_FREE_CHILD, arguments],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    child = json.loads(result.stdout)
    assert child["threads"] == 1
    assert all(child["freed"]), f"a module object was not freed: {child['freed']}"
    assert min(child["parked"]) >= len(names) * CAPACITY, child["parked"]
    kept = [Census(*change) for change in child["kept"]]
    assert_nothing_lost(kept, f"modules freed with their freelists full ({child['parked'][-1]} objects parked)",
                        blocks_are="allocated blocks")
    assert child["left"] == {}, f"objects still parked after their module was freed: {child['left']}"


@pytest.mark.parametrize("cls", class_params(ALL_CLASSES))
def test_subclass_instances_never_enter_the_freelist(cls):
    """Python subclasses, with and without a __dict__, allocate and free through their own
    type: their instances are never parked nor handed out, and nothing of them is left."""

    class WithDict(cls):
        pass

    class WithoutDict(cls):
        __slots__ = ()

    def make_subclass(sub):
        if cls is points.Tagged:
            return sub(HELD, "tag")
        if cls is points.Tracked:
            return sub(HELD)
        return sub(1.0, 2.0)

    count = 1000
    before = stats(cls)
    # One instance of each first: a parked subclass instance (whose memory has another layout)
    # would crash the process later, so the counters are checked before making more.
    for sub in (WithoutDict, WithDict):
        make_subclass(sub)
        probe = {key: stats(cls)[key] - before[key] for key in ("cached", "hits", "misses", "overflows")}
        assert not any(probe.values()), f"a {sub.__name__} subclass instance went through the {cls.__name__} freelist: {probe}"

    def workload():
        for sub in (WithoutDict, WithDict):
            for _ in range(count):
                make_subclass(sub)
            objects = [make_subclass(sub) for _ in range(count)]
            del objects

    changes = measure(workload)
    after = stats(cls)
    touched = {key: after[key] - before[key] for key in ("cached", "hits", "misses", "overflows")}
    assert touched == {"cached": 0, "hits": 0, "misses": 0, "overflows": 0}, \
        f"subclass instances went through the {cls.__name__} freelist: {touched}"
    assert_nothing_lost(changes, f"{4 * count} instances of Python subclasses of {cls.__name__}")


# --- State that holds Python references ---------------------------------------------------------


@pytest.mark.parametrize("cls", class_params(STATE_CLASSES))
def test_cycles_are_collected_whole(cls):
    """Instances in reference cycles (instance -> list -> instance), some of them fresh from the
    freelist (a reused GC instance must be tracked again, or the collector cannot see its
    references and never frees the cycle): every cycle is collected, and every reference its
    state held is released."""
    count = 500
    before = stats(cls)

    def workload():
        for _ in range(count):
            make(cls)  # parks one, which the next line reuses
            holder = [HELD]
            instance = cls(holder, "tag") if cls is points.Tagged else cls(holder)
            holder.append(instance)

    changes = measure(workload)
    assert_nothing_lost(changes, f"{count} cycles through reused {cls.__name__} instances")
    rounds = WARMUP_ROUNDS + MEASURED_ROUNDS
    assert counter_deltas(cls, before)["hits"] >= rounds * count


def test_tp_clear_releases_every_reference():
    """A Tracked instance that holds itself (and the held object, several times over) is
    garbage that only its own tp_clear can break: each must release what its state holds."""
    count = 500

    def workload():
        for _ in range(count):
            tracked = points.Tracked(HELD)
            tracked.hold(tracked)
            tracked.hold(HELD)
            tracked.hold(HELD)

    changes = measure(workload)
    assert_nothing_lost(changes, f"{count} Tracked instances holding themselves, collected")


def test_cells_holding_themselves_are_collected():
    """points.Cell (a mutable @PyClass whose traverse and clear the macro generates) holding
    itself: a cycle that only the generated clear() can break; every cell is collected, and what
    their values held is released."""
    count = 500

    def workload():
        for _ in range(count):
            cell = points.Cell(HELD)
            cell.value = cell
            other = points.Cell([HELD, HELD])
            other.swap(other)

    changes = measure(workload)
    assert_nothing_lost(changes, f"{count} pairs of Cell instances holding themselves, collected")


def test_rejected_cell_values_leak_nothing():
    cell = points.Cell(HELD)

    def workload():
        for _ in range(1000):
            cell.value = HELD
            with pytest.raises(AttributeError):
                del cell.value
            assert cell.swap(HELD) is HELD

    changes = measure(workload)
    assert_nothing_lost(changes, "Cell values replaced and deletions rejected")


@pytest.mark.parametrize("cls", class_params(STATE_CLASSES))
def test_references_are_released_with_the_state(cls):
    """Every reference an instance's state holds is released when it dies, whether it is parked
    afterwards or freed: one at a time (parked), many at once (most freed), Tracked holding the
    object many times over (an array of references)."""
    count = 1000
    held = 5

    def workload():
        for _ in range(count):
            make(cls)
        objects = [make(cls) for _ in range(count)]
        if cls is points.Tracked:
            for tracked in objects:
                for _ in range(held):
                    tracked.hold(HELD)
            del tracked
        references = sys.getrefcount(HELD)
        del objects
        return references

    peaks = []
    baseline = sys.getrefcount(HELD)
    changes = measure(lambda: peaks.append(workload()))
    assert_nothing_lost(changes, f"{2 * count} {cls.__name__} instances holding the object, dropped")
    per_instance = held + 1 if cls is points.Tracked else 1
    assert min(peaks) == baseline + count * per_instance, (peaks, baseline)


# --- Rejected calls -----------------------------------------------------------------------------


class RaisedByFloat(Exception):
    pass


class FloatRaises:
    """Its __float__ raises: the exception must reach the caller unchanged."""

    def __float__(self):
        raise RaisedByFloat("from __float__")


ARGUMENT = object()  # passed (and rejected) in every rejected call that takes any object
FLOAT_RAISES = FloatRaises()


# (what is wrong, positional arguments, keyword arguments, the exception CPython would raise)
POINT_REJECTIONS = [
    ("no arguments", (), {}, TypeError),
    ("one missing", (1.0,), {}, TypeError),
    ("one too many", (1.0, 2.0, 3.0), {}, TypeError),
    ("a str", ("a", 2.0), {}, TypeError),
    ("an object", (1.0, ARGUMENT), {}, TypeError),
    ("an unknown keyword", (1.0,), {"z": ARGUMENT}, TypeError),
    ("given twice", (1.0, 2.0), {"x": 2.0}, TypeError),
    ("not finite", (float("nan"), 2.0), {}, ValueError),
    ("__float__ raises (x)", (FLOAT_RAISES, 2.0), {}, RaisedByFloat),
    ("__float__ raises (y)", (1.0, FLOAT_RAISES), {}, RaisedByFloat),
    ("an int too large for a float", (10 ** 400, 2.0), {}, OverflowError),
]

REJECTED_CALLS = {
    "Point": (points.Point, POINT_REJECTIONS),
    "PlainPoint": (points.PlainPoint, POINT_REJECTIONS),
    "Tagged": (points.Tagged, [
        ("no tag", (ARGUMENT,), {}, TypeError),
        ("an int tag", (ARGUMENT, 5), {}, TypeError),
        ("a None tag", (ARGUMENT, None), {}, TypeError),
        ("one too many", (ARGUMENT, "tag", ARGUMENT), {}, TypeError),
        ("given twice", (ARGUMENT,), {"tag": "tag", "value": ARGUMENT}, TypeError),
    ]),
    "Tracked": (points.Tracked, [
        ("no arguments", (), {}, TypeError),
        ("an int label", (ARGUMENT, 5), {}, TypeError),
        ("one too many", (ARGUMENT, "label", ARGUMENT), {}, TypeError),
        ("an object label", (ARGUMENT,), {"label": ARGUMENT}, TypeError),
        ("an unknown keyword", (ARGUMENT,), {"other": ARGUMENT}, TypeError),
    ]),
}


@pytest.mark.parametrize("name", REJECTED_CALLS)
def test_rejected_calls_leak_nothing(name):
    """Calls rejected for their arguments (wrong types and counts, bad values, an exception raised
    by the argument's own __float__, an int too large for a float), on the class and on a Python
    subclass (whose __init__ rejects them), leave nothing behind and never touch the freelist."""
    cls, rejections = REJECTED_CALLS[name]

    class Subclass(cls):
        pass

    repetitions = 300
    wrong = set()  # a set: the same wrong outcome, each round, must not look like a leak
    before = stats(cls)

    def workload():
        for _ in range(repetitions):
            for target in (cls, Subclass):
                for problem, args, kwargs, error in rejections:
                    # Plain try/except: pytest.raises would keep the last exception alive.
                    try:
                        target(*args, **kwargs)
                    except error:
                        pass
                    except Exception as other:  # noqa: BLE001 - recorded for the assert below
                        wrong.add(f"{target.__name__}() with {problem}: {type(other).__name__}, not {error.__name__}")
                        del other
                    else:
                        wrong.add(f"{target.__name__}() with {problem}: accepted")

    argument_references = sys.getrefcount(ARGUMENT), sys.getrefcount(FLOAT_RAISES)
    changes = measure(workload)
    assert_nothing_lost(changes, f"{2 * repetitions * len(rejections)} rejected {name} calls")
    after = sys.getrefcount(ARGUMENT), sys.getrefcount(FLOAT_RAISES)
    assert after == argument_references, f"references to the rejected arguments: {argument_references} -> {after}"
    touched = counter_deltas(cls, before)
    assert not any(touched.values()), f"rejected calls touched the freelist: {touched}"
    assert not wrong, f"calls that did not raise as CPython would: {sorted(wrong)}"


@pytest.mark.parametrize("cls", class_params([points.Point, points.Tagged, points.Tracked]))
def test_never_initialised_subclass_instances_leak_nothing(cls):
    """Instances of a Python subclass whose __init__ never calls the class's: the state was never
    made, so any use of it raises TypeError naming the class, and dying destroys nothing (no
    Swift state is deinitialised, no reference released) and frees the memory."""

    class NeverInitialised(cls):
        def __init__(self, *args, **kwargs):
            pass  # does not call cls.__init__

    count = 1000
    uses = {"repr": repr, "attribute": lambda instance: instance.x if cls is points.Point else instance.value}
    refused = {use: 0 for use in uses}
    messages = set()
    before = stats(cls)

    def workload():
        for _ in range(count):
            instance = NeverInitialised(HELD, "tag")
        for use, call in uses.items():
            try:
                call(instance)
            except TypeError as error:
                refused[use] += 1
                messages.add(str(error))
        objects = [NeverInitialised(HELD, "tag") for _ in range(count)]
        del objects, instance

    made = points.tracked_made(), points.tracked_deinitialised()
    changes = measure(workload)
    assert_nothing_lost(changes, f"{2 * count} never-initialised {cls.__name__} subclass instances")
    assert (points.tracked_made(), points.tracked_deinitialised()) == made
    touched = counter_deltas(cls, before)
    assert not any(touched.values()), f"never-initialised subclass instances touched the freelist: {touched}"
    rounds = WARMUP_ROUNDS + MEASURED_ROUNDS
    assert refused == {use: rounds for use in uses}, \
        f"uses of a never-initialised instance that raised TypeError, of {rounds} each: {refused}"
    assert all(cls.__name__ in message for message in messages), messages


class RaisedByInit(Exception):
    pass


@pytest.mark.parametrize("cls", class_params(STATE_CLASSES))
def test_subclass_init_raising_after_the_state_was_made_leaks_nothing(cls):
    """A Python subclass whose __init__ raises after the class's __init__ made the state: the
    instance dies at once, and its state (made, so destroyed) releases what it held."""

    class RaisesAfterInit(cls):
        def __init__(self, *args):
            super().__init__(*args)
            raise RaisedByInit

    count = 1000
    arguments = (HELD, "tag") if cls is points.Tagged else (HELD,)
    raised = [0]

    def workload():
        for _ in range(count):
            try:
                RaisesAfterInit(*arguments)
            except RaisedByInit:
                raised[0] += 1

    made = tracked_lives()
    changes = measure(workload)
    assert_nothing_lost(changes, f"{count} {cls.__name__} subclass instances whose __init__ raised")
    assert raised[0] == (WARMUP_ROUNDS + MEASURED_ROUNDS) * count
    if cls is points.Tracked:
        now = tracked_lives()
        assert now[0] - made[0] == now[1] - made[1] == raised[0], (made, now)


# --- Array and dictionary conversions ------------------------------------------------------------


class RaisedByIndex(Exception):
    pass


class IndexRaises:
    def __index__(self):
        raise RaisedByIndex("from __index__")


class IntReprRaises(int):
    """A key whose repr (which a failing value's error names it by) raises."""

    def __repr__(self):
        raise RaisedByIndex("from __repr__")


class IndexOf:
    """A key distinct from the int its __index__ returns: the two convert to one Swift key."""

    def __init__(self, number):
        self.number = number

    def __index__(self):
        return self.number


class IteratedSequence:
    """A sequence that is not a list or tuple: PySequence_Fast makes a new list of it."""

    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]


class NotIterableSequence(IteratedSequence):
    __iter__ = None


# The elements every conversion below reads: each a heap object (a lost reference to one shows in
# its reference count, a lost copy in the allocated blocks), none made by the workload.
INTS = [10 ** 12 + i for i in range(64)]
FLOATS = [float(n) + 0.5 for n in INTS]
STRS = [f"key {n}" for n in INTS]
INDEX_RAISES = IndexRaises()
TOO_LARGE = 1 << 64
LONE_SURROGATE = "\ud800"
NOT_A_FLOAT = "x"
REPR_RAISES = IntReprRaises(10 ** 12)
INDEX_OF = IndexOf(INTS[0])
MIDDLE = len(INTS) // 2


def failing_midway(items, bad):
    return items[:MIDDLE] + [bad] + items[MIDDLE:]


def dict_failing_midway(bad):
    items = list(zip(STRS, INTS))
    return dict(items[:MIDDLE] + [("bad", bad)] + items[MIDDLE:])


# (what, the call, the exception it must raise or None); each value is made once, here.
COLLECTION_CALLS = [
    ("a list of ints", conversions.to_list_int, INTS, None),
    ("a tuple of floats", conversions.to_list_double, tuple(FLOATS), None),
    ("a list of str", conversions.to_list_str, STRS, None),
    ("a list of optional ints", conversions.to_list_optional_int, [None, *INTS, None], None),
    ("lists of lists", conversions.to_list_list_int, [INTS, INTS[:3], (), tuple(INTS)], None),
    ("an iterated sequence", conversions.to_list_int, IteratedSequence(INTS), None),
    ("a dict", conversions.to_dict_str_int, dict(zip(STRS, INTS)), None),
    ("a dict of lists", conversions.to_dict_int_list_double, {n: FLOATS[:4] for n in INTS}, None),
    ("keys that collide", conversions.to_dict_int_list_double, {INTS[0]: FLOATS, INDEX_OF: FLOATS[:1]}, None),
    ("a str", conversions.to_list_int, STRS[0], TypeError),
    ("an int", conversions.to_list_int, INTS[0], TypeError),
    ("a sequence that cannot be iterated", conversions.to_list_int, NotIterableSequence(INTS), TypeError),
    ("a list failing mid-list (a str)", conversions.to_list_int, failing_midway(INTS, STRS[0]), TypeError),
    ("a list failing mid-list (__index__ raises)", conversions.to_list_int, failing_midway(INTS, INDEX_RAISES), RaisedByIndex),
    ("a list failing mid-list (too large)", conversions.to_list_int, failing_midway(INTS, TOO_LARGE), OverflowError),
    ("a list failing mid-list (not UTF-8)", conversions.to_list_str, failing_midway(STRS, LONE_SURROGATE), UnicodeEncodeError),
    ("an iterated sequence failing midway", conversions.to_list_int, IteratedSequence(failing_midway(INTS, INDEX_RAISES)), RaisedByIndex),
    ("an inner list failing", conversions.to_list_list_int, [INTS, failing_midway(INTS, INDEX_RAISES)], RaisedByIndex),
    ("a value failing mid-dict (TypeError)", conversions.to_dict_str_int, dict_failing_midway(NOT_A_FLOAT), TypeError),
    ("a value failing mid-dict (__index__ raises)", conversions.to_dict_str_int, dict_failing_midway(INDEX_RAISES), RaisedByIndex),
    ("a key failing mid-dict", conversions.to_dict_int_list_double,
     dict([(n, FLOATS[:2]) for n in INTS[:MIDDLE]] + [(STRS[0], FLOATS)] + [(n, FLOATS[:2]) for n in INTS[MIDDLE:]]), TypeError),
    ("an inner list failing mid-dict", conversions.to_dict_int_list_double,
     {n: FLOATS[:2] if n != INTS[MIDDLE] else failing_midway(FLOATS, NOT_A_FLOAT) for n in INTS}, TypeError),
    ("a value failing under a key whose repr raises", conversions.to_dict_int_list_double,
     {REPR_RAISES: failing_midway(FLOATS, INDEX_RAISES)}, RaisedByIndex),
    ("not a dict", conversions.to_dict_str_int, list(zip(STRS, INTS)), TypeError),
    ("a list failing to convert back midway", lambda count: conversions.list_failing_at(count, MIDDLE), len(INTS), ValueError),
    ("a dict failing to convert back midway", lambda count: conversions.dict_failing_at(count, MIDDLE), len(INTS), ValueError),
]
WATCHED = [*INTS, *FLOATS, *STRS, INDEX_RAISES, TOO_LARGE, LONE_SURROGATE, NOT_A_FLOAT, REPR_RAISES, INDEX_OF]


@pytest.mark.parametrize("what, function, value, error", COLLECTION_CALLS, ids=[case[0] for case in COLLECTION_CALLS])
def test_collection_conversions_leak_nothing(what, function, value, error):
    """Converting lists and dicts to Swift arrays and dictionaries and back, accepted, or
    rejected midway (an element, a key or a value whose conversion raises, by PyClassKit's own
    TypeError or another exception, with the note naming the element; a result that cannot be
    converted back), leaves no block, and no reference to the value or to any element it holds."""
    repetitions = 1000
    wrong = set()  # a set: the same wrong outcome, each round, must not look like a leak

    def workload():
        for _ in range(repetitions):
            # Plain try/except: pytest.raises would keep the last exception alive.
            try:
                function(value)
            except Exception as raised:  # noqa: BLE001 - compared below
                if type(raised) is not error:
                    wrong.add(f"{type(raised).__name__}, not {error}")
                del raised
            else:
                if error is not None:
                    wrong.add("accepted")

    gc.collect()  # garbage from before (collection, earlier tests) may hold some of them
    references = [sys.getrefcount(element) for element in (value, *WATCHED)]
    changes = measure(workload)
    assert_nothing_lost(changes, f"{repetitions} conversions of {what}")
    after = [sys.getrefcount(element) for element in (value, *WATCHED)]
    changed = [(index, before, now) for index, (before, now) in enumerate(zip(references, after)) if before != now]
    assert not changed, f"references to the value (index 0) and its elements changed: {changed[:5]}"
    assert not wrong, f"{what}: {sorted(wrong)}"


# --- The Swift state is destroyed exactly once ---------------------------------------------------


def tracked_lives():
    """(made, deinitialised) Tracked states so far."""
    return points.tracked_made(), points.tracked_deinitialised()


class TrackedSubclass(points.Tracked):
    pass


def reused_one_at_a_time(count):
    for _ in range(count):
        points.Tracked(HELD)
    return []


def many_at_once(count):
    return [points.Tracked(HELD) for _ in range(count)]


def through_a_subclass(count):
    return [TrackedSubclass(HELD) for _ in range(count)]


def in_self_cycles(count):
    objects = [points.Tracked(HELD) for _ in range(count)]
    for tracked in objects:
        tracked.hold(tracked)
    return objects


def made_by_other_threads(count):
    threads = 4
    made = [None] * threads

    def produce(index):
        made[index] = [points.Tracked(HELD) for _ in range(count // threads)]

    run_threads(threads, produce)
    return [tracked for batch in made for tracked in batch]


DEATHS = {
    "reused one at a time": reused_one_at_a_time,
    "many at once": many_at_once,
    "through a subclass": through_a_subclass,
    "in self-cycles": in_self_cycles,
    "made by other threads": made_by_other_threads,
}


@pytest.mark.parametrize("death", DEATHS)
def test_swift_state_is_destroyed_exactly_once(death):
    """Each Tracked instance's Swift state (a class instance counting its deinitialisations) is
    made once and deinitialised once: not before the instance dies, not twice, whichever way the
    instance was made and died."""
    count = 1000
    make_them = DEATHS[death]
    for _ in range(WARMUP_ROUNDS):
        make_them(count)
        gc.collect()
    while_alive, after_death = [], []
    for _ in range(MEASURED_ROUNDS):
        gc.collect()
        made, deinitialised = tracked_lives()
        objects = make_them(count)
        alive = tracked_lives()
        while_alive.append((alive[0] - made, alive[1] - deinitialised))
        del objects
        gc.collect()
        dead = tracked_lives()
        after_death.append((dead[0] - made, dead[1] - deinitialised))
    # Reused one at a time, each instance is dead before the next is made.
    expected_while_alive = (count, count) if death == "reused one at a time" else (count, 0)
    assert set(while_alive) == {expected_while_alive}, \
        f"(made, deinitialised) while the instances lived: {while_alive}, expected {expected_while_alive}"
    assert set(after_death) == {(count, count)}, \
        f"(made, deinitialised) after the instances died: {after_death}, expected {(count, count)} each round"
    assert_gil_as_expected()
