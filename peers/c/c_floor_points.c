/* PyClassKit benchmark peer: the floor. A MEASUREMENT FLOOR, NOT A LIBRARY.
 *
 * The cheapest create/destroy a hand-written C extension type can reasonably have, with the
 * same constructor contract as points.Point, so that every other row of the benchmarks can be
 * read against it:
 *
 *   c_floor_points.Point       per-thread freelist: a _Thread_local array of 32 pointers and a
 *                              count; tp_dealloc parks, tp_vectorcall pops.
 *   c_floor_points.PlainPoint  the same type without a freelist (PyObject_Malloc/PyObject_Free).
 *
 * Both: static PyTypeObject (no type reference per instance; immortal on 3.13), two doubles,
 * readonly members x and y, tp_vectorcall reading two exact floats straight from the argument
 * vector. The contract of points.Point: x and y, positional or keyword; int and any object with
 * __float__ or __index__ accepted through PyFloat_AsDouble, its errors propagated; non-finite
 * values raise ValueError; too many, missing, unexpected or repeated arguments raise TypeError.
 *
 * What the freelist does not do, on purpose (a library would have to):
 * - Nothing happens at thread exit. The objects an exiting thread has parked (at most 32 x 48
 *   bytes per thread) are never freed: _Thread_local storage has no destructor, and nothing else
 *   knows where they are. That is acceptable for a floor measurement: the benchmark's hot loops
 *   run on long-lived threads, the leak is bounded by the number of threads that ever parked an
 *   object, and the floor is not used in the memory measurements. A real freelist would hand its
 *   cache to a shared depot or free it from a pthread key destructor.
 * - No sharing between threads: an object created on one thread and destroyed on another is
 *   parked by the destroying thread; a thread that only creates never hits its cache.
 * - No statistics, no draining, no canaries.
 *
 * On a free-threaded build, reuse calls PyObject_Init again: it sets the type and, through
 * _Py_NewReference, resets the whole header for the reusing thread (ob_tid = this thread, local
 * reference count 1, shared count, GC bits and per-object mutex zeroed). Parked objects keep no
 * reference to anything (a static type needs none). The module uses multi-phase init and, on a
 * free-threaded build, declares Py_MOD_GIL_NOT_USED so importing it keeps the GIL off.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>

typedef struct {
    PyObject_HEAD
    double x;
    double y;
} FloorPointObject;

static PyTypeObject FloorPointType;
static PyTypeObject PlainFloorPointType;

/* The class name the error messages use, as points.Point's do. */
static const char *
short_name(PyTypeObject *type)
{
    return type == &FloorPointType ? "Point" : "PlainPoint";
}

/* ---------------------------------------------------------------- the per-thread freelist */

#define FREELIST_CAPACITY 32

/* One thread-local block, so that one TLS address reaches both the count and the slots.
 * Initial-exec, as PyClassKit's own thread-local (CPythonShim/ThreadLocal): each access is a load
 * relative to the thread pointer, where the default model of a -fPIC module calls __tls_get_addr
 * (about 15 instructions, twice per object). An initial-exec variable in a module loaded with
 * dlopen takes its size (264 bytes here) from glibc's surplus of static TLS
 * (glibc.rtld.optional_static_tls, 512 bytes by default): what a floor may spend, and a library
 * should think twice about. */
#if defined(__GNUC__) || defined(__clang__)
#  define FLOOR_TLS_MODEL __attribute__((tls_model("initial-exec")))
#else
#  define FLOOR_TLS_MODEL
#endif
static _Thread_local FLOOR_TLS_MODEL struct {
    int count;
    PyObject *slots[FREELIST_CAPACITY];
} freelist;

/* ---------------------------------------------------------------- construction */

/* The object's memory: a parked one of this thread (re-initialised) or a fresh one. */
static inline PyObject *
allocate(PyTypeObject *type, int use_freelist)
{
    if (use_freelist && freelist.count > 0) {
        PyObject *self = freelist.slots[--freelist.count];
        return PyObject_Init(self, type);
    }
    PyObject *self = (PyObject *)PyObject_Malloc(sizeof(FloorPointObject));
    if (self == NULL) {
        return PyErr_NoMemory();
    }
    return PyObject_Init(self, type);
}

/* Converts one argument: an exact float with two loads, anything else through PyFloat_AsDouble
 * (int, __float__, __index__), whose error, if any, is propagated. Returns 0, or -1 with an
 * exception set. */
static inline int
as_double(PyObject *value, double *out)
{
    if (PyFloat_CheckExact(value)) {
        *out = PyFloat_AS_DOUBLE(value);
        return 0;
    }
    double result = PyFloat_AsDouble(value);
    if (result == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    *out = result;
    return 0;
}

Py_NO_INLINE static PyObject *
not_finite(PyTypeObject *type, double x, double y)
{
    char *xs = PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    char *ys = PyOS_double_to_string(y, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (xs != NULL && ys != NULL) {
        PyErr_Format(PyExc_ValueError, "%s() coordinates must be finite, got (%s, %s)",
                     short_name(type), xs, ys);
    }
    else {
        PyErr_NoMemory();
    }
    PyMem_Free(xs);
    PyMem_Free(ys);
    return NULL;
}

/* Point(x_object, y_object) once the arguments are matched. */
static inline PyObject *
construct(PyTypeObject *type, PyObject *x_object, PyObject *y_object, int use_freelist)
{
    double x, y;
    if (as_double(x_object, &x) < 0 || as_double(y_object, &y) < 0) {
        return NULL;
    }
    if (!isfinite(x) || !isfinite(y)) {
        return not_finite(type, x, y);
    }
    FloorPointObject *self = (FloorPointObject *)allocate(type, use_freelist);
    if (self == NULL) {
        return NULL;
    }
    self->x = x;
    self->y = y;
    return (PyObject *)self;
}

static const char *const parameter_names[2] = {"x", "y"};

/* Places one keyword argument into matched[]; -1 with TypeError set when it cannot. */
static int
place_keyword(PyTypeObject *type, PyObject *key, PyObject *value, PyObject *matched[2])
{
    if (!PyUnicode_Check(key)) {
        PyErr_SetString(PyExc_TypeError, "keywords must be strings");
        return -1;
    }
    for (int index = 0; index < 2; index++) {
        if (PyUnicode_CompareWithASCIIString(key, parameter_names[index]) == 0) {
            if (matched[index] != NULL) {
                PyErr_Format(PyExc_TypeError, "argument for %s() given by name ('%s') and position (%d)",
                             short_name(type), parameter_names[index], index + 1);
                return -1;
            }
            matched[index] = value;
            return 0;
        }
    }
    PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", short_name(type), key);
    return -1;
}

/* Every call but exactly two positional arguments: matches positional arguments and keywords
 * (a vectorcall kwnames tuple whose values follow the positional ones in args, or a dict),
 * then constructs. */
static PyObject *
construct_matching(PyTypeObject *type, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                   PyObject *kwdict, int use_freelist)
{
    if (nargs > 2) {
        PyErr_Format(PyExc_TypeError, "%s() takes 2 positional arguments but %zd were given",
                     short_name(type), nargs);
        return NULL;
    }
    PyObject *matched[2] = {NULL, NULL};
    for (Py_ssize_t index = 0; index < nargs; index++) {
        matched[index] = args[index];
    }
    if (kwnames != NULL) {
        for (Py_ssize_t index = 0; index < PyTuple_GET_SIZE(kwnames); index++) {
            if (place_keyword(type, PyTuple_GET_ITEM(kwnames, index), args[nargs + index], matched) < 0) {
                return NULL;
            }
        }
    }
    if (kwdict != NULL) {
        Py_ssize_t position = 0;
        PyObject *key, *value;
        while (PyDict_Next(kwdict, &position, &key, &value)) {
            if (place_keyword(type, key, value, matched) < 0) {
                return NULL;
            }
        }
    }
    for (int index = 0; index < 2; index++) {
        if (matched[index] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %d)",
                         short_name(type), parameter_names[index], index + 1);
            return NULL;
        }
    }
    return construct(type, matched[0], matched[1], use_freelist);
}

/* ---------------------------------------------------------------- slots */

static PyObject *
FloorPoint_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs == 2 && kwnames == NULL) {
        return construct((PyTypeObject *)type, args[0], args[1], 1);
    }
    return construct_matching((PyTypeObject *)type, args, nargs, kwnames, NULL, 1);
}

static PyObject *
PlainFloorPoint_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs == 2 && kwnames == NULL) {
        return construct((PyTypeObject *)type, args[0], args[1], 0);
    }
    return construct_matching((PyTypeObject *)type, args, nargs, kwnames, NULL, 0);
}

/* tp_new: T.__new__(T, ...) and any call that does not go through tp_vectorcall. The types are
 * not subclassable, so `type` is always the exact type. */
static PyObject *
FloorPoint_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    int use_freelist = type == &FloorPointType;
    PyObject *kwdict = kwds != NULL && PyDict_GET_SIZE(kwds) != 0 ? kwds : NULL;
    return construct_matching(type, &PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), NULL, kwdict,
                              use_freelist);
}

static void
FloorPoint_dealloc(PyObject *self)
{
    if (Py_IS_TYPE(self, &FloorPointType) && freelist.count < FREELIST_CAPACITY) {
        freelist.slots[freelist.count++] = self;
        return;
    }
    PyObject_Free(self);
}

static void
PlainFloorPoint_dealloc(PyObject *self)
{
    PyObject_Free(self);
}

static PyMemberDef FloorPoint_members[] = {
    {"x", T_DOUBLE, offsetof(FloorPointObject, x), READONLY, "x coordinate"},
    {"y", T_DOUBLE, offsetof(FloorPointObject, y), READONLY, "y coordinate"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject FloorPointType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "c_floor_points.Point",
    .tp_doc = PyDoc_STR("Point(x, y): the C floor with a per-thread freelist of 32 (a measurement "
                        "floor: what an exiting thread has parked is never freed)."),
    .tp_basicsize = sizeof(FloorPointObject),
    .tp_itemsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = FloorPoint_new,
    .tp_vectorcall = FloorPoint_vectorcall,
    .tp_dealloc = FloorPoint_dealloc,
    .tp_members = FloorPoint_members,
};

static PyTypeObject PlainFloorPointType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "c_floor_points.PlainPoint",
    .tp_doc = PyDoc_STR("PlainPoint(x, y): the C floor without a freelist."),
    .tp_basicsize = sizeof(FloorPointObject),
    .tp_itemsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = FloorPoint_new,
    .tp_vectorcall = PlainFloorPoint_vectorcall,
    .tp_dealloc = PlainFloorPoint_dealloc,
    .tp_members = FloorPoint_members,
};

/* ---------------------------------------------------------------- module */

static int
c_floor_points_exec(PyObject *module)
{
    if (PyType_Ready(&FloorPointType) < 0 || PyType_Ready(&PlainFloorPointType) < 0) {
        return -1;
    }
    if (PyModule_AddObjectRef(module, "Point", (PyObject *)&FloorPointType) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "PlainPoint", (PyObject *)&PlainFloorPointType);
}

static PyModuleDef_Slot c_floor_points_slots[] = {
    {Py_mod_exec, c_floor_points_exec},
#if PY_VERSION_HEX >= 0x030c0000
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
#if PY_VERSION_HEX >= 0x030d0000 && defined(Py_GIL_DISABLED)
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef c_floor_points_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "c_floor_points",
    .m_doc = "PyClassKit benchmark peer: the C floor (a measurement floor, not a library), with a "
             "per-thread freelist (Point) and without (PlainPoint).",
    .m_size = 0,
    .m_slots = c_floor_points_slots,
};

PyMODINIT_FUNC
PyInit_c_floor_points(void)
{
    return PyModuleDef_Init(&c_floor_points_module);
}
