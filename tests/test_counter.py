"""points.Counter: mutable state made safe by critical sections (a `mutating` @PyMethod and a
@PySet property), checked with threads that share one instance."""
import sys

import pytest

import points
from conftest import FREE_THREADED_BUILD
from support import assert_gil_as_expected, run_threads


def test_counter_api():
    counter = points.Counter()
    assert counter.value == 0 and counter.label == ""
    assert counter.increment() == 1
    assert counter.increment(5) == 6
    assert counter.increment(by=-2) == 4
    assert counter.value == 4
    assert points.Counter(10).value == 10
    assert points.Counter(start=-3).increment() == -2
    counter.label = "visits"
    assert counter.label == "visits"
    assert repr(counter) == "Counter(value=4, label=\"visits\")"


def test_counter_rejects_what_cpython_would():
    counter = points.Counter()
    with pytest.raises(TypeError, match="argument 'by' must be an integer, not float"):
        counter.increment(1.5)
    with pytest.raises(TypeError, match="unexpected keyword argument 'step'"):
        counter.increment(step=1)
    with pytest.raises(TypeError, match="takes 1 positional argument but 2 were given"):
        counter.increment(1, 2)
    with pytest.raises(OverflowError):
        counter.increment(1 << 64)
    at_the_top = points.Counter(sys.maxsize)
    with pytest.raises(OverflowError, match="range of a 64-bit int"):
        at_the_top.increment()
    assert at_the_top.value == sys.maxsize, "a rejected increment changes nothing"
    with pytest.raises(TypeError, match="attribute 'label' of 'points.Counter' objects must be str, not int"):
        counter.label = 3
    with pytest.raises(AttributeError, match="cannot delete attribute 'label'"):
        del counter.label
    with pytest.raises(AttributeError, match="not writable"):
        counter.value = 5
    with pytest.raises(AttributeError):
        counter.undeclared = 1
    assert counter.value == 0 and counter.label == ""


def test_counter_subclass_must_initialise_before_use():
    class Forgetful(points.Counter):
        def __init__(self):
            pass

    class Kept(points.Counter):
        def __init__(self, start):
            super().__init__(start * 2)

    with pytest.raises(TypeError, match="is not initialized"):
        Forgetful().increment()
    with pytest.raises(TypeError, match="is not initialized"):
        Forgetful().label = "x"
    kept = Kept(4)
    assert kept.increment() == 9 and isinstance(kept, points.Counter)


@pytest.mark.thread_unsafe(reason="starts its own threads")
def test_eight_threads_increment_one_counter_exactly():
    """8 threads behind a Barrier each call increment() 50 000 times on one shared Counter:
    every call succeeds (none waits forever, none fails like PyO3's "Already borrowed"), and
    the final value is exact (no lost update)."""
    counter = points.Counter()
    calls, threads = 50_000, 8
    returned = [[] for _ in range(threads)]

    def work(index):
        mine = returned[index]
        increment = counter.increment
        for _ in range(calls):
            mine.append(increment())

    run_threads(threads, work)
    assert_gil_as_expected()
    assert counter.value == calls * threads
    # Each call returned the value it made: all distinct, together exactly 1..N.
    every = [value for values in returned for value in values]
    assert len(set(every)) == calls * threads
    assert min(every) == 1 and max(every) == calls * threads
    # Each thread saw its own increments in order.
    assert all(values == sorted(values) for values in returned)


@pytest.mark.thread_unsafe(reason="starts its own threads")
def test_setters_race_getters_on_label():
    """Two threads set label to long strings while two read it: every read is exactly one of
    the written values (never a torn or freed string)."""
    counter = points.Counter()
    written = {f"label-{writer}-{n}-" + "x" * (n % 97) for writer in range(2) for n in range(2000)}
    written.add("")
    seen = [set(), set()]

    def work(index):
        if index < 2:
            for n in range(2000):
                counter.label = f"label-{index}-{n}-" + "x" * (n % 97)
        else:
            reads = seen[index - 2]
            for _ in range(20_000):
                reads.add(counter.label)
                repr(counter)

    run_threads(4, work)
    assert_gil_as_expected()
    assert seen[0] | seen[1] <= written
    assert counter.label in written


@pytest.mark.thread_unsafe(reason="starts its own threads")
def test_increments_race_reads_of_value_and_repr():
    counter = points.Counter()

    def work(index):
        if index < 2:
            for _ in range(20_000):
                counter.increment()
        else:
            last = 0
            for _ in range(20_000):
                value = counter.value
                assert value >= last
                last = value
                assert repr(counter).startswith("Counter(value=")

    run_threads(4, work)
    assert counter.value == 40_000


def test_counter_is_free_threaded():
    if FREE_THREADED_BUILD:
        assert_gil_as_expected()
        assert points.Counter.increment.__text_signature__ == "($self, /, by=1)"
