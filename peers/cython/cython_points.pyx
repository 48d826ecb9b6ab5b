# cython: language_level=3, freethreading_compatible=True
# PyClassKit benchmark peer: a Cython Point with a 32-entry freelist and a plain twin, and the
# garbage-collected Holder of scripts/bench's freelist matrix with and without one.
# freethreading_compatible=True makes the module declare Py_MOD_GIL_NOT_USED, so importing it
# keeps the GIL off on a free-threaded (3.13t) interpreter.
cimport cython


@cython.freelist(32)
cdef class Point:
    """A 2-D point whose instances are recycled through Cython's freelist of 32 entries."""
    cdef readonly double x, y

    def __cinit__(self, double x, double y):
        self.x = x
        self.y = y


cdef class PlainPoint:
    """The same point without a freelist."""
    cdef readonly double x, y

    def __cinit__(self, double x, double y):
        self.x = x
        self.y = y


@cython.freelist(32)
cdef class Holder:
    """A number and one Python object (garbage-collected: Cython writes tp_traverse and tp_clear
    for an object attribute), recycled through Cython's freelist of 32 entries."""
    cdef readonly double a
    cdef readonly object value

    def __cinit__(self, double a, object value):
        self.a = a
        self.value = value


cdef class PlainHolder:
    """The same holder without a freelist."""
    cdef readonly double a
    cdef readonly object value

    def __cinit__(self, double a, object value):
        self.a = a
        self.value = value
