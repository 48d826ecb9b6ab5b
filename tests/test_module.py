"""The module declared with @PyModule: its functions (@PyFunction), exceptions and classes."""
import inspect
import types

import pytest

import points


def test_module_functions():
    a, b = points.Point(0.0, 0.0), points.Point(3.0, 4.0)
    assert points.distance(a, b) == 5.0
    assert points.distance(a=a, b=b) == 5.0 == points.distance(b=b, a=a)
    assert isinstance(points.distance, types.BuiltinFunctionType)
    assert points.distance.__module__ == "points"
    assert points.distance.__self__ is points
    assert str(inspect.signature(points.distance)) == "(a, b)"
    assert points.distance.__doc__ == "The Euclidean distance between two points."


def test_module_function_errors_are_cpythons():
    a = points.Point(0.0, 0.0)
    with pytest.raises(TypeError, match=r"distance\(\) argument 'a' must be points.Point, not int"):
        points.distance(1, a)
    with pytest.raises(TypeError, match=r"distance\(\) missing required argument 'b'"):
        points.distance(a)
    with pytest.raises(TypeError, match=r"distance\(\) takes 2 positional arguments but 3 were given"):
        points.distance(a, a, a)
    with pytest.raises(TypeError, match="unexpected keyword argument 'c'"):
        points.distance(a, a, c=a)


def test_positional_only_parameters_and_class_results():
    middle = points.midpoint(points.Point(0.0, 0.0), points.Point(2.0, 4.0))
    assert type(middle) is points.Point
    assert (middle.x, middle.y) == (1.0, 2.0)
    assert str(inspect.signature(points.midpoint)) == "(a, b, /)"
    with pytest.raises(TypeError, match="positional-only arguments passed as keyword arguments: 'a'"):
        points.midpoint(a=points.Point(0.0, 0.0), b=points.Point(0.0, 0.0))


def test_subclass_instances_pass_as_arguments():
    class Labelled(points.Point):
        def __init__(self, x, y, label):
            super().__init__(x, y)
            self.label = label

    assert points.distance(Labelled(0.0, 0.0, "o"), points.Point(0.0, 1.0)) == 1.0


def test_module_lists_what_it_declares():
    for name in ("Point", "PlainPoint", "Counter", "Vector", "Tagged", "Tracked", "GeometryError",
                 "distance", "midpoint", "freelist_stats", "tracked_made", "tracked_deinitialised"):
        assert hasattr(points, name), name
    assert points.Point.__module__ == "points" and points.Point.__qualname__ == "Point"
    assert points.__doc__.startswith("Example PyClassKit classes")
