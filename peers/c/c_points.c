/* PyClassKit benchmark peer: a hand-written C Point (two doubles, readonly members, no freelist).
 *
 * Point(x, y) takes exactly two positional arguments convertible with PyFloat_AsDouble and no
 * keyword arguments. The module uses multi-phase init and, on a free-threaded build, declares
 * Py_MOD_GIL_NOT_USED so importing it keeps the GIL off.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    double x;
    double y;
} PointObject;

static PyObject *
Point_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (kwds != NULL && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError, "Point() takes no keyword arguments");
        return NULL;
    }
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_Format(PyExc_TypeError, "Point() takes exactly 2 arguments (%zd given)",
                     PyTuple_GET_SIZE(args));
        return NULL;
    }
    double x = PyFloat_AsDouble(PyTuple_GET_ITEM(args, 0));
    if (x == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    double y = PyFloat_AsDouble(PyTuple_GET_ITEM(args, 1));
    if (y == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    PointObject *self = (PointObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->x = x;
    self->y = y;
    return (PyObject *)self;
}

static void
Point_dealloc(PyObject *self)
{
    Py_TYPE(self)->tp_free(self);
}

static PyMemberDef Point_members[] = {
    {"x", T_DOUBLE, offsetof(PointObject, x), READONLY, "x coordinate"},
    {"y", T_DOUBLE, offsetof(PointObject, y), READONLY, "y coordinate"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject PointType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "c_points.Point",
    .tp_doc = PyDoc_STR("Point(x, y): a 2-D point with readonly float members x and y."),
    .tp_basicsize = sizeof(PointObject),
    .tp_itemsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = Point_new,
    .tp_dealloc = Point_dealloc,
    .tp_members = Point_members,
};

static int
c_points_exec(PyObject *module)
{
    if (PyType_Ready(&PointType) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "Point", (PyObject *)&PointType);
}

static PyModuleDef_Slot c_points_slots[] = {
    {Py_mod_exec, c_points_exec},
#if PY_VERSION_HEX >= 0x030c0000
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
#if PY_VERSION_HEX >= 0x030d0000 && defined(Py_GIL_DISABLED)
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef c_points_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "c_points",
    .m_doc = "PyClassKit benchmark peer: a hand-written C Point without a freelist.",
    .m_size = 0,
    .m_slots = c_points_slots,
};

PyMODINIT_FUNC
PyInit_c_points(void)
{
    return PyModuleDef_Init(&c_points_module);
}
