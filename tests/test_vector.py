"""points.Vector: equality, hashing and str() from Swift conformances, a class parameter and
class results, a static method, a class attribute, weak references and a Swift exception."""
import gc
import math
import weakref

import pytest

import points


def test_equality_and_hashing_follow_the_swift_values():
    a, b, c = points.Vector(1.0, 2.0), points.Vector(1.0, 2.0), points.Vector(2.0, 1.0)
    assert a == b and not (a != b) and a is not b
    assert a != c and not (a == c)
    assert hash(a) == hash(b)
    assert len({a, b, c}) == 2
    assert {a: "first"}[b] == "first"
    # Swift's == for Double: -0.0 equals 0.0 (and they hash alike, as Python requires).
    assert points.Vector(0.0, -0.0) == points.Vector(-0.0, 0.0)
    assert hash(points.Vector(0.0, -0.0)) == hash(points.Vector(-0.0, 0.0))
    nan = points.Vector(math.nan, 0.0)
    assert nan != nan
    assert nan in [nan], "containers compare identity first, as for float('nan')"


def test_comparison_with_other_types_is_not_implemented():
    vector = points.Vector(1.0, 2.0)
    assert vector != (1.0, 2.0) and not (vector == 1)
    assert vector.__eq__(1) is NotImplemented
    with pytest.raises(TypeError, match="'<' not supported"):
        vector < points.Vector(2.0, 2.0)


def test_hash_is_only_for_hashable_classes():
    # Point is not Equatable: identity equality and object's hash, as for a plain class.
    p = points.Point(1.0, 2.0)
    assert p != points.Point(1.0, 2.0) and p == p
    assert hash(p) == hash(p)


def test_str_and_repr():
    vector = points.Vector(3.0, 4.0)
    assert str(vector) == "(3.0, 4.0)"
    assert repr(vector) == "Vector(x=3.0, y=4.0)"


def test_methods_take_and_return_vectors():
    v = points.Vector(3.0, 4.0)
    assert v.dot(points.Vector(1.0, 1.0)) == 7.0
    assert v.dot(other=points.Vector(0.0, 1.0)) == 4.0
    assert v.scaled() == v and v.scaled() is not v
    assert v.scaled(2.0) == points.Vector(6.0, 8.0) == v.scaled(factor=2.0)
    assert type(v.scaled()) is points.Vector
    unit = v.normalized()
    assert unit == points.Vector(0.6, 0.8)
    with pytest.raises(TypeError, match=r"Vector.dot\(\) argument 'other' must be points.Vector, not points.Point"):
        v.dot(points.Point(1.0, 1.0))
    with pytest.raises(TypeError, match="must be points.Vector, not tuple"):
        v.dot((1.0, 1.0))


def test_subclass_instances_are_accepted_as_the_class():
    class Named(points.Vector):
        def __init__(self, x, y, name):
            super().__init__(x, y)
            self.name = name

    class Forgetful(points.Vector):
        def __init__(self):
            pass

    named = Named(1.0, 2.0, "n")
    assert points.Vector(1.0, 1.0).dot(named) == 3.0
    assert named == points.Vector(1.0, 2.0)
    assert type(named.scaled(1.0)) is points.Vector
    with pytest.raises(TypeError, match="is not initialized"):
        points.Vector(1.0, 1.0).dot(Forgetful())


def test_static_method_and_class_attribute():
    assert points.Vector.zero() == points.Vector(0.0, 0.0)
    assert points.Vector(1.0, 1.0).zero() == points.Vector(0.0, 0.0)
    assert isinstance(points.Vector.__dict__["zero"], staticmethod)
    assert points.Vector.dimensions == 2
    with pytest.raises(TypeError):
        points.Vector.dimensions = 3  # an immutable type


def test_swift_exception_type():
    with pytest.raises(points.GeometryError, match="the zero vector has no direction") as raised:
        points.Vector.zero().normalized()
    assert isinstance(raised.value, ValueError)
    assert points.GeometryError.__mro__[1] is ValueError
    assert points.GeometryError.__module__ == "points"
    assert points.GeometryError.__name__ == "GeometryError"
    assert "no answer" in points.GeometryError.__doc__
    with pytest.raises(ValueError):
        points.Vector(0.0, 0.0).normalized()


def test_weak_references():
    vector = points.Vector(1.0, 2.0)
    ref = weakref.ref(vector)
    called = []
    ref_with_callback = weakref.ref(vector, called.append)
    assert ref() is vector
    proxy = weakref.proxy(vector)
    assert proxy.x == 1.0
    del vector
    gc.collect()
    assert ref() is None and ref_with_callback() is None
    assert called == [ref_with_callback]
    with pytest.raises(TypeError, match="cannot create weak reference"):
        weakref.ref(points.Point(1.0, 2.0))


def test_weak_references_of_many_vectors():
    refs = [weakref.ref(points.Vector(float(i), 0.0)) for i in range(1000)]
    assert all(ref() is None for ref in refs)
    kept = [points.Vector(float(i), 0.0) for i in range(100)]
    refs = [weakref.ref(v) for v in kept]
    assert [ref().x for ref in refs] == [float(i) for i in range(100)]


def test_a_class_without_a_constructor():
    polar = points.Vector(0.0, 2.0).polar
    assert type(polar) is points.Polar
    assert polar.length == 2.0 and polar.angle == math.pi / 2
    assert repr(polar) == f"Polar(length=2.0, angle={math.pi / 2})"
    with pytest.raises(TypeError, match="cannot create 'points.Polar' instances"):
        points.Polar()
    with pytest.raises(TypeError, match="cannot create 'points.Polar' instances"):
        points.Polar(1.0, 2.0)
    with pytest.raises(TypeError, match="not an acceptable base type"):
        type("Sub", (points.Polar,), {})


def test_lists_of_vectors_convert_both_ways():
    vectors = [points.Vector(1.0, 2.0), points.Vector(3.0, 4.0)]
    assert points.Vector.sum(vectors) == points.Vector(4.0, 6.0)
    assert points.Vector.sum(tuple(vectors)) == points.Vector(4.0, 6.0)
    assert points.Vector.sum([]) == points.Vector.zero()
    assert points.Vector(3.0, 4.0).components() == [3.0, 4.0]
    with pytest.raises(TypeError, match=r"Vector.sum\(\) argument 'vectors' item 1 must be points.Vector, not int"):
        points.Vector.sum([points.Vector(1.0, 2.0), 5])
    with pytest.raises(TypeError, match="must be a sequence, not points.Vector"):
        points.Vector.sum(points.Vector(1.0, 2.0))


def test_equatable_without_hashable_is_unhashable():
    short, long_ = points.Vector(1.0, 0.0).polar, points.Vector(2.0, 0.0).polar
    assert short == points.Vector(1.0, 0.0).polar and short != long_
    assert points.Polar.__hash__ is None
    with pytest.raises(TypeError, match="unhashable type"):
        hash(short)
    with pytest.raises(TypeError, match="'<' not supported"):
        short < long_
