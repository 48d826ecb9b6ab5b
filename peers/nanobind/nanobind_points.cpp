// PyClassKit benchmark peer: a nanobind Point with an instance pool of 32 (nb::pooled) and a
// plain twin, both with points.Point's constructor contract: x and y, positional or keyword;
// float, int and anything with __float__ or __index__ (nanobind's double caster, which falls
// back to PyFloat_AsDouble when implicit conversions are allowed); non-finite values raise
// ValueError; wrong arguments raise TypeError (nanobind's overload resolution).
// Built by scripts/build-peers with nanobind_add_module(... FREE_THREADED ...), which makes the
// module declare Py_MOD_GIL_NOT_USED on a free-threaded interpreter.
#include <nanobind/nanobind.h>

#include <cmath>
#include <new>
#include <string>

namespace nb = nanobind;
using namespace nb::literals;

struct Point {
    double x, y;
};

struct PlainPoint {
    double x, y;
};

// __init__ of either class: checks the coordinates, then constructs in place.
template <typename T>
static void construct(T *self, double x, double y, const char *name) {
    if (!std::isfinite(x) || !std::isfinite(y))
        throw nb::value_error((std::string(name) + "() coordinates must be finite").c_str());
    new (self) T{x, y};
}

NB_MODULE(nanobind_points, m) {
    m.doc() = "PyClassKit benchmark peer: nanobind Point (nb::pooled(32)) and PlainPoint.";

    nb::class_<Point>(m, "Point", nb::pooled(32),
                      "Point(x, y): a 2-D point whose instances are recycled through nanobind's "
                      "instance pool (nb::pooled(32)).")
        .def("__init__", [](Point *self, double x, double y) { construct(self, x, y, "Point"); },
             "x"_a, "y"_a)
        .def_ro("x", &Point::x)
        .def_ro("y", &Point::y);

    nb::class_<PlainPoint>(m, "PlainPoint", "PlainPoint(x, y): the same point without a pool.")
        .def("__init__", [](PlainPoint *self, double x, double y) { construct(self, x, y, "PlainPoint"); },
             "x"_a, "y"_a)
        .def_ro("x", &PlainPoint::x)
        .def_ro("y", &PlainPoint::y);
}
