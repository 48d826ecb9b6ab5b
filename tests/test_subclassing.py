"""Python subclasses of PyClassKit classes, written the ordinary way: an `__init__` of their own
that calls `super().__init__(...)`, extra parameters, keyword-only parameters, `__new__`."""
import gc
import sys

import pytest

import points
from support import assert_gil_as_expected, run_threads, stats


class Sub(points.Point):
    def __init__(self, x, y, tag="t"):
        super().__init__(x, y)
        self.tag = tag


class KeywordOnly(points.Point):
    def __init__(self, *, x, y):
        super().__init__(x=x, y=y)


class NoInit(points.Point):
    pass


class OwnNew(points.Point):
    def __new__(cls, x, y):
        return super().__new__(cls, x, y)


class ForgetsSuper(points.Point):
    def __init__(self, x, y):
        self.x_seen = x


class TaggedSub(points.Tagged):
    def __init__(self, value, tag, extra):
        super().__init__(value, tag)
        self.extra = extra


def test_subclass_with_its_own_init():
    s = Sub(1.0, 2.0)
    assert (s.x, s.y, s.tag) == (1.0, 2.0, "t")
    s = Sub(1.0, 2.0, tag="a")
    assert (s.x, s.y, s.tag, s.norm()) == (1.0, 2.0, "a", 5 ** 0.5)
    assert repr(s) == "Point(x=1.0, y=2.0)" and type(s) is Sub


def test_keyword_only_subclass():
    k = KeywordOnly(x=3, y=4)
    assert (k.x, k.y, k.norm()) == (3.0, 4.0, 5.0)


def test_every_construction_path():
    assert (points.Point(1, 2).x, points.Point(x=1, y=2).y) == (1.0, 2.0)
    assert repr(type.__call__(points.Point, 1, 2)) == "Point(x=1.0, y=2.0)"
    made_by_new = points.Point.__new__(points.Point, 3, 4)
    assert type(made_by_new) is points.Point and made_by_new.norm() == 5.0
    assert repr(NoInit(5, 6)) == "Point(x=5.0, y=6.0)" and repr(NoInit(y=6, x=5)) == "Point(x=5.0, y=6.0)"
    assert repr(OwnNew(7, 8)) == "Point(x=7.0, y=8.0)"
    assert repr(type.__call__(Sub, 1, 2, "b")) == "Point(x=1.0, y=2.0)"
    t = TaggedSub([1], "tag", extra=3)
    assert (t.value, t.tag, t.extra) == ([1], "tag", 3)


@pytest.mark.parametrize("call", [
    lambda: Sub(1.0),                                    # the subclass's own signature
    lambda: Sub("a", 2.0),                               # rejected by Point.__init__
    lambda: KeywordOnly(x=1.0, y=None),
    lambda: NoInit(1.0),
    lambda: NoInit(1.0, 2.0, 3.0),
    lambda: NoInit(1.0, z=2.0),
    lambda: OwnNew(1.0, "y"),
])
def test_wrong_arguments_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_super_init_with_wrong_arguments():
    class Wrong(points.Point):
        def __init__(self, x, y):
            super().__init__(x)

    with pytest.raises(TypeError, match=r"Point\(\) missing required argument 'y'"):
        Wrong(1.0, 2.0)
    with pytest.raises(ValueError, match="must be finite"):
        Sub(float("nan"), 1.0)


def test_instance_whose_init_never_ran_refuses_every_use_of_its_state():
    f = ForgetsSuper(1.0, 2.0)
    assert f.x_seen == 1.0
    expected = r"ForgetsSuper object is not initialized: its __init__ must call points\.Point\.__init__\(\)"
    for use in (lambda: f.x, lambda: f.y, lambda: f.norm(), lambda: repr(f), lambda: points.Point.norm(f)):
        with pytest.raises(TypeError, match=expected):
            use()
    bare = points.Point.__new__(Sub)
    with pytest.raises(TypeError, match="Sub object is not initialized"):
        bare.x
    # Initialised late, it works; and dies like any other instance.
    points.Point.__init__(f, 3.0, 4.0)
    assert f.norm() == 5.0
    tagged = points.Tagged.__new__(TaggedSub)
    with pytest.raises(TypeError, match="TaggedSub object is not initialized"):
        tagged.value
    del f, bare, tagged
    gc.collect()


def test_init_again_keeps_the_state():
    s = Sub(1.0, 2.0)
    with pytest.raises(TypeError, match="points.Point objects are immutable"):
        points.Point.__init__(s, 5.0, 6.0)
    p = points.Point(1.0, 2.0)
    with pytest.raises(TypeError, match="points.Point objects are immutable"):
        p.__init__(5.0, 6.0)
    q = type.__call__(points.Point, 1.0, 2.0)  # tp_new, then the tp_init it accepts once
    with pytest.raises(TypeError, match="immutable"):
        q.__init__(5.0, 6.0)
    assert (s.x, s.y, p.x, p.y, q.x, q.y) == (1.0, 2.0) * 3


def test_failed_init_can_be_retried():
    f = ForgetsSuper(0, 0)
    with pytest.raises(TypeError):
        points.Point.__init__(f, "a", 1.0)
    with pytest.raises(TypeError, match="not initialized"):
        f.x
    points.Point.__init__(f, 1.0, 1.0)
    assert f.x == 1.0


@pytest.mark.thread_unsafe(reason="asserts exact deltas of the class's process-wide freelist counters")
def test_subclass_instances_never_enter_the_freelist():
    gc.collect()
    refs = sys.getrefcount(Sub)
    before = stats(points.Point)
    many = [Sub(i, i, tag=str(i)) for i in range(100)] + [ForgetsSuper(i, i) for i in range(100)]
    del many
    gc.collect()
    after = stats(points.Point)
    assert (after["hits"], after["misses"], after["cached"]) == (before["hits"], before["misses"], before["cached"])
    refs_after = sys.getrefcount(Sub)
    assert refs_after == refs


@pytest.mark.thread_unsafe(reason="starts threads of its own")
def test_threads_create_subclass_instances():
    """4 threads x 50 000 subclass instances, each built through its own __init__ and checked."""
    threads, per_thread = 4, 50_000

    def work(index, count=per_thread):
        ring = []
        for i in range(count):
            s = Sub(index, i, tag=i)
            ring.append(s)
            if len(ring) > 8:
                old = ring.pop(0)
                assert (old.x, old.y, old.tag) == (index, i - 8, i - 8)

    # A warm-up round first: starting threads makes 3.13t's existing heap types immortal.
    run_threads(threads, lambda index: work(index, 100))
    gc.collect()
    refs = sys.getrefcount(Sub)
    run_threads(threads, work)
    gc.collect()
    refs_after = sys.getrefcount(Sub)
    assert refs_after == refs
    assert_gil_as_expected()


@pytest.mark.thread_unsafe(reason="starts threads of its own")
def test_threads_racing_to_initialize_one_instance():
    """8 threads call Point.__init__ on one uninitialised instance at once: exactly one wins,
    the others get TypeError, and the state is the winner's."""
    for _ in range(200):
        target = points.Point.__new__(Sub)
        outcomes = [None] * 8

        def work(index):
            try:
                points.Point.__init__(target, index, index)
                outcomes[index] = "won"
            except TypeError:
                outcomes[index] = "refused"

        run_threads(8, work)
        assert outcomes.count("won") == 1, outcomes
        winner = outcomes.index("won")
        assert (target.x, target.y) == (winner, winner)
    assert_gil_as_expected()
