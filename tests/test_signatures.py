"""Text signatures: every class, method and function of `points` tells `inspect` and `help()`
its parameters, as Argument Clinic's functions do."""
import inspect
import pydoc
import types

import conversions
import points


def classes():
    return [value for value in vars(points).values()
            if isinstance(value, type) and not issubclass(value, BaseException)]


def test_every_class_and_method_has_a_signature():
    assert len(classes()) >= 12
    for cls in classes():
        assert cls.__text_signature__ is not None, cls
        assert str(inspect.signature(cls)) == cls.__text_signature__, cls
        for name, member in vars(cls).items():
            if name.startswith("__") or not callable(member):
                continue
            if isinstance(member, staticmethod):
                assert getattr(cls, name).__text_signature__ is not None, (cls, name)
                continue
            unbound = inspect.signature(getattr(cls, name))
            assert list(unbound.parameters)[0] == "self", (cls, name, unbound)
            bound = inspect.signature(types.MethodType(getattr(cls, name), object()))
            assert list(bound.parameters) == list(unbound.parameters)[1:], (cls, name, bound)
    for name, function in vars(points).items():
        if callable(function) and not isinstance(function, type):
            assert function.__text_signature__ is not None, name
            inspect.signature(function)


def test_point_signatures():
    assert str(inspect.signature(points.Point)) == "(x, y)"
    assert str(inspect.signature(points.Tagged)) == "(value, tag)"
    assert str(inspect.signature(points.Point.norm)) == "(self, /)"
    assert str(inspect.signature(points.Point(1, 2).norm)) == "()"
    assert str(inspect.signature(points.freelist_stats)) == "(cls)"
    # The signature is not part of the docstring.
    assert points.Point.__doc__ == "A 2-D point, allocated through a per-thread freelist of capacity 32."
    assert points.Point.norm.__doc__ == "The Euclidean length of the point."


def test_signature_binds_like_the_constructor():
    signature = inspect.signature(points.Point)
    for args, kwargs in [((1, 2), {}), ((1,), {"y": 2}), ((), {"x": 1, "y": 2})]:
        bound = signature.bind(*args, **kwargs)
        assert repr(points.Point(*bound.args, **bound.kwargs)) == "Point(x=1.0, y=2.0)"


def test_help_shows_the_parameters():
    text = pydoc.render_doc(points.Point, renderer=pydoc.plaintext)
    assert "Point(x, y)" in text
    assert "norm(self, /)" in text
    assert "The Euclidean length of the point." in text


def test_subclass_signatures():
    class NoInit(points.Point):
        pass

    class Sub(points.Point):
        def __init__(self, x, y, tag="t"):
            super().__init__(x, y)

    assert str(inspect.signature(NoInit)) == "(x, y)"
    assert str(inspect.signature(Sub)) == "(x, y, tag='t')"


def test_defaults_appear_in_the_signature():
    signature = inspect.signature(conversions.scaled)
    assert str(signature) == "(value, factor=2.0, offset=None)"
    assert signature.parameters["factor"].default == 2.0
    assert conversions.scaled(3.0) == 6.0 and conversions.scaled(3.0, offset=1.0) == 7.0
    assert conversions.scaled(3.0, 1.0, None) == 3.0
