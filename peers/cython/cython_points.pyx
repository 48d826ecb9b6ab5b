# cython: language_level=3, freethreading_compatible=True
# PyClassKit benchmark peer: a Cython Point with a 32-entry freelist and a plain twin.
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
