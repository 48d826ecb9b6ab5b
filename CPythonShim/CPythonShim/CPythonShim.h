// CPythonShim: Python.h for Swift, and small wrappers for what Swift cannot import.
//
// Swift imports C functions and plain constants, but not function-like macros (Py_None,
// PyModuleDef_HEAD_INIT, the Py*_Check family) nor variadic functions. Each wrapper here is a
// `static inline` function, so it compiles into the caller with no call overhead.
#ifndef PYCLASSKIT_CPYTHON_SHIM_H
#define PYCLASSKIT_CPYTHON_SHIM_H

// pyconfig.h turns on glibc feature macros (_GNU_SOURCE). Including the system headers first keeps
// this module and Swift's Glibc module in agreement about types such as fd_set.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/types.h>
#include <unistd.h>

#define PY_SSIZE_T_CLEAN
#include <Python.h>

// MARK: Build configuration

/// 1 on a free-threaded build (`--disable-gil`), 0 on a GIL build. A compile-time constant.
static inline int pck_is_free_threaded_build(void) {
#ifdef Py_GIL_DISABLED
    return 1;
#else
    return 0;
#endif
}

/// Size of the object header that precedes a pyclass's Swift state.
static inline Py_ssize_t pck_object_header_size(void) { return (Py_ssize_t)sizeof(PyObject); }

// MARK: Reference counting and object header

static inline void pck_decref(PyObject *o) { Py_DECREF(o); }
static inline void pck_xdecref(PyObject *o) { Py_XDECREF(o); }
static inline PyObject *pck_newref(PyObject *o) { return Py_NewRef(o); }
static inline PyTypeObject *pck_type(PyObject *o) { return Py_TYPE(o); }

/// A new reference to None.
static inline PyObject *pck_none(void) { return Py_NewRef(Py_None); }
static inline PyObject *pck_bool(int value) { return PyBool_FromLong(value); }

// MARK: Type checks (macros in Python.h)

static inline int pck_float_check_exact(PyObject *o) { return PyFloat_CheckExact(o); }
static inline int pck_float_check(PyObject *o) { return PyFloat_Check(o); }
static inline int pck_long_check(PyObject *o) { return PyLong_Check(o); }
static inline int pck_long_check_exact(PyObject *o) { return PyLong_CheckExact(o); }
/// Whether `PyFloat_AsDouble` would try to convert `o`: a float, or a type with `__float__` or
/// `__index__`. Anything else it rejects with a TypeError of its own.
static inline int pck_has_float_conversion(PyObject *o) {
    PyNumberMethods *nb = Py_TYPE(o)->tp_as_number;
    return PyFloat_Check(o) || (nb != NULL && (nb->nb_float != NULL || nb->nb_index != NULL));
}
/// Whether `PyNumber_Index` would try to convert `o`: an int, or a type with `__index__`.
static inline int pck_has_index_conversion(PyObject *o) { return PyLong_Check(o) || PyIndex_Check(o); }
static inline int pck_is_none(PyObject *o) { return o == Py_None; }
static inline double pck_float_as_double_unchecked(PyObject *o) { return PyFloat_AS_DOUBLE(o); }
static inline int pck_unicode_check(PyObject *o) { return PyUnicode_Check(o); }
static inline int pck_type_check(PyObject *o) { return PyType_Check(o); }
static inline int pck_object_type_check(PyObject *o, PyTypeObject *t) { return PyObject_TypeCheck(o, t); }
static inline int pck_type_has_gc(PyTypeObject *t) { return PyType_IS_GC(t); }

static inline Py_ssize_t pck_tuple_size(PyObject *t) { return PyTuple_GET_SIZE(t); }
static inline PyObject *pck_tuple_item(PyObject *t, Py_ssize_t i) { return PyTuple_GET_ITEM(t, i); }
/// The tuple's items as a C array (a vectorcall-style argument vector).
static inline PyObject *const *pck_tuple_items(PyObject *t) { return &PyTuple_GET_ITEM(t, 0); }

// MARK: Sequences and dicts

static inline int pck_dict_check(PyObject *o) { return PyDict_Check(o); }
/// Whether `o` is a `str`, `bytes` or `bytearray` (or a subclass): sequences that PyClassKit, as
/// nanobind and PyO3, does not take as a sequence of elements.
static inline int pck_is_text_or_bytes(PyObject *o) {
    return PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o);
}
/// Stores `item` (a reference it steals) in slot `i` of a list made by `PyList_New` and not yet
/// seen by other code.
static inline void pck_list_set_item(PyObject *list, Py_ssize_t i, PyObject *item) { PyList_SET_ITEM(list, i, item); }
static inline Py_ssize_t pck_sequence_fast_size(PyObject *o) { return PySequence_Fast_GET_SIZE(o); }
/// The items of a `PySequence_Fast` result (borrowed; may be NULL when there are none).
static inline PyObject **pck_sequence_fast_items(PyObject *o) { return PySequence_Fast_ITEMS(o); }

// MARK: Exceptions kept aside

/// Takes the current exception (a new reference, its traceback attached, or NULL), clearing it,
/// for `pck_err_restore` to set again; on every version.
static inline PyObject *pck_err_save(void) {
#if PY_VERSION_HEX >= 0x030C0000
    return PyErr_GetRaisedException();
#else
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    if (type == NULL) return NULL;
    PyErr_NormalizeException(&type, &value, &traceback);
    if (value != NULL && traceback != NULL) PyException_SetTraceback(value, traceback);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    return value;
#endif
}

/// Sets `error` (a reference it steals; NULL for none) from `pck_err_save` as the current exception.
static inline void pck_err_restore(PyObject *error) {
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(error);
#else
    if (error != NULL) PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(error)), error, PyException_GetTraceback(error));
#endif
}

/// Adds `note` (UTF-8) to the current exception's `__notes__` (PEP 678, 3.11+). If that fails
/// (a `__notes__` that is not a list), the exception is left as it was, without the note.
static inline void pck_err_add_note(const char *note) {
    PyObject *error = pck_err_save();
    if (error == NULL) return;
    // The interned name, one object: CPython's type attribute cache keeps a reference to the name
    // it was looked up by, so a new "add_note" each time (PyObject_CallMethod's) would park
    // thousands of dead strings there.
    PyObject *name = PyUnicode_InternFromString("add_note");
    PyObject *text = PyUnicode_FromString(note);
    PyObject *result = name != NULL && text != NULL ? PyObject_CallMethodOneArg(error, name, text) : NULL;
    if (result == NULL) PyErr_Clear();
    Py_XDECREF(result);
    Py_XDECREF(text);
    Py_XDECREF(name);
    pck_err_restore(error);
}

/// The items of `o` (which passes `PySequence_Check`) in an object that no other code holds, or
/// can change while the caller reads them through `pck_sequence_fast_items`: a tuple as it is; a
/// list copied to a tuple (`PyList_AsTuple`, which on 3.13t copies under the list's lock: one
/// state the list was in); anything else through `PySequence_Fast` (a new list of what iterating
/// it gave, as `list(o)`). NULL with the exception set if iterating raised; NULL with
/// `*not_iterable` set and no exception if `o` cannot be iterated (the TypeError
/// `PySequence_Fast` raises then is replaced by the caller's, which names the argument).
static inline PyObject *pck_sequence_snapshot(PyObject *o, int *not_iterable) {
    static const char not_iterable_message[] = "PyClassKit: not iterable";
    *not_iterable = 0;
    if (PyList_CheckExact(o)) return PyList_AsTuple(o);
    PyObject *fast = PySequence_Fast(o, not_iterable_message);
    if (fast == NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
        // Ours, or a TypeError raised while iterating, which stays as it is.
        PyObject *error = pck_err_save();
        PyObject *text = PyObject_Str(error);
        *not_iterable = text != NULL && PyUnicode_CompareWithASCIIString(text, not_iterable_message) == 0;
        Py_XDECREF(text);
        PyErr_Clear();
        if (*not_iterable) Py_DECREF(error);
        else pck_err_restore(error);
    }
    return fast;
}

// MARK: Exceptions (global variables, read through functions so Swift 6 sees no shared mutable state)

static inline PyObject *pck_exc_type_error(void) { return PyExc_TypeError; }
static inline PyObject *pck_exc_value_error(void) { return PyExc_ValueError; }
static inline PyObject *pck_exc_runtime_error(void) { return PyExc_RuntimeError; }
static inline PyObject *pck_exc_system_error(void) { return PyExc_SystemError; }
static inline PyObject *pck_exc_import_error(void) { return PyExc_ImportError; }
static inline PyObject *pck_exc_overflow_error(void) { return PyExc_OverflowError; }
static inline PyObject *pck_exc_attribute_error(void) { return PyExc_AttributeError; }
static inline PyObject *pck_exc_key_error(void) { return PyExc_KeyError; }
static inline PyObject *pck_exc_index_error(void) { return PyExc_IndexError; }
static inline PyObject *pck_exc_zero_division_error(void) { return PyExc_ZeroDivisionError; }
static inline PyObject *pck_exc_exception(void) { return PyExc_Exception; }
static inline PyObject *pck_exc_arithmetic_error(void) { return PyExc_ArithmeticError; }
static inline PyObject *pck_exc_lookup_error(void) { return PyExc_LookupError; }

/// Takes the current exception (a new reference, or NULL), clearing it; on every version.
static inline PyObject *pck_err_take(void) {
#if PY_VERSION_HEX >= 0x030C0000
    return PyErr_GetRaisedException();
#else
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    return value;
#endif
}

// MARK: Types

/// Calls `type` the classic way, `type.__call__` (tp_new, then tp_init), with a vectorcall's
/// arguments: for a subclass that reached its base's `tp_vectorcall`.
static inline PyObject *pck_type_call_classic(PyObject *type, PyObject *const *args, size_t nargsf,
                                              PyObject *kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *tuple = PyTuple_New(nargs);
    if (tuple == NULL) return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
    PyObject *kwargs = NULL;
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        kwargs = PyDict_New();
        for (Py_ssize_t i = 0; kwargs != NULL && i < PyTuple_GET_SIZE(kwnames); i++) {
            if (PyDict_SetItem(kwargs, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0) Py_CLEAR(kwargs);
        }
        if (kwargs == NULL) {
            Py_DECREF(tuple);
            return NULL;
        }
    }
    PyObject *result = PyType_Type.tp_call(type, tuple, kwargs);
    Py_DECREF(tuple);
    Py_XDECREF(kwargs);
    return result;
}

/// A PyClassKit type object: a static type followed by a pointer to what its slot functions
/// read of the class (PyClassKit's `PyClassHotPath`), so that they find it in one load.
typedef struct {
    PyTypeObject type;
    void *hot_path;
} PCKTypeObject;

/// A zeroed, not yet readied *static* type object (no Py_TPFLAGS_HEAPTYPE) whose slot functions
/// read `hot_path`, on the C heap, with its header set as `PyVarObject_HEAD_INIT(&PyType_Type, 0)`
/// sets a static type's. PyType_Ready makes it immortal (3.12+); its instances hold no reference
/// to it. Never freed.
static inline PyTypeObject *pck_static_type_new(void *hot_path) {
    PCKTypeObject *object = (PCKTypeObject *)calloc(1, sizeof(PCKTypeObject));
    if (object == NULL) return NULL;
    PyTypeObject header = { PyVarObject_HEAD_INIT(&PyType_Type, 0) };
    memcpy(&object->type, &header, sizeof(PyVarObject));
    object->hot_path = hot_path;
    return &object->type;
}

static inline unsigned long pck_tpflags_default(void) { return Py_TPFLAGS_DEFAULT; }
static inline unsigned long pck_tpflags_basetype(void) { return Py_TPFLAGS_BASETYPE; }
static inline unsigned long pck_tpflags_have_gc(void) { return Py_TPFLAGS_HAVE_GC; }
static inline unsigned long pck_tpflags_disallow_instantiation(void) { return Py_TPFLAGS_DISALLOW_INSTANTIATION; }
static inline unsigned long pck_tpflags_immutabletype(void) {
#ifdef Py_TPFLAGS_IMMUTABLETYPE
    return Py_TPFLAGS_IMMUTABLETYPE;
#else
    return 0;
#endif
}

// MARK: Modules

/// A module definition with room for the caller's own context pointer after it, so that a
/// `Py_mod_exec` function can find its Swift definition from `PyModule_GetDef(module)`.
typedef struct {
    PyModuleDef def;
    void *context;
} PCKModuleDef;

/// Builds a multi-phase module definition on the heap (it must live as long as the process).
/// The slots: `Py_mod_exec`; on 3.12+ `Py_mod_multiple_interpreters` = not supported (a type's
/// freelist holds memory of one interpreter); on 3.13+ `Py_mod_gil` = `Py_MOD_GIL_NOT_USED`, so
/// importing into a free-threaded interpreter leaves the GIL disabled.
static inline PCKModuleDef *pck_module_def_new(const char *name, const char *doc, Py_ssize_t state_size,
                                               int (*exec)(PyObject *), void (*free_fn)(void *),
                                               void *context) {
    PCKModuleDef *m = (PCKModuleDef *)calloc(1, sizeof(PCKModuleDef));
    PyModuleDef_Slot *slots = (PyModuleDef_Slot *)calloc(4, sizeof(PyModuleDef_Slot));
    if (m == NULL || slots == NULL) {
        free(m);
        free(slots);
        return NULL;
    }
    int n = 0;
    slots[n++] = (PyModuleDef_Slot){Py_mod_exec, (void *)exec};
#if PY_VERSION_HEX >= 0x030C0000
    slots[n++] = (PyModuleDef_Slot){Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED};
#endif
#if PY_VERSION_HEX >= 0x030D0000
    slots[n++] = (PyModuleDef_Slot){Py_mod_gil, Py_MOD_GIL_NOT_USED};
#endif
    slots[n] = (PyModuleDef_Slot){0, NULL};
    PyModuleDef head = {PyModuleDef_HEAD_INIT};
    m->def = head;
    m->def.m_name = name;
    m->def.m_doc = doc;
    m->def.m_size = state_size;
    m->def.m_slots = slots;
    m->def.m_free = free_fn;
    m->context = context;
    return m;
}

/// The context pointer of a module made from a `PCKModuleDef` whose `m_free` is `free_fn`, or
/// NULL for any other module. No error is set.
static inline void *pck_module_context(PyObject *module, void (*free_fn)(void *)) {
    PyModuleDef *def = PyModule_GetDef(module);
    if (def == NULL) {
        PyErr_Clear();
        return NULL;
    }
    return def->m_free == free_fn ? ((PCKModuleDef *)def)->context : NULL;
}

/// The state of a module made from a `PCKModuleDef` whose `m_free` is `free_fn`, or NULL for any
/// other module. No error is set.
static inline void *pck_module_state(PyObject *module, void (*free_fn)(void *)) {
    return pck_module_context(module, free_fn) == NULL ? NULL : PyModule_GetState(module);
}

// MARK: PyMutex (3.13+)

#if PY_VERSION_HEX >= 0x030D0000
// In 3.13, PyMutex_Lock and PyMutex_Unlock are macros naming static inline fast paths (one
// compare-and-swap) that fall back to the exported functions; Swift would see only the latter.
/// Locks CPython's one-byte parking-lot lock. Callers must not hold it across other C API calls.
static inline void pck_mutex_lock(PyMutex *m) { PyMutex_Lock(m); }
/// Unlocks a `PyMutex` the calling thread locked.
static inline void pck_mutex_unlock(PyMutex *m) { PyMutex_Unlock(m); }
#endif

/// The method flags of PyClassKit's functions (all fastcall with keywords).
static inline int pck_meth_fastcall_keywords(void) { return METH_FASTCALL | METH_KEYWORDS; }
static inline int pck_meth_static(void) { return METH_STATIC; }
static inline int pck_meth_class(void) { return METH_CLASS; }

// MARK: Comparison, hashing, weak references

static inline PyObject *pck_not_implemented(void) { return Py_NewRef(Py_NotImplemented); }
static inline int pck_richcompare_op_eq(void) { return Py_EQ; }
static inline int pck_richcompare_op_ne(void) { return Py_NE; }
static inline int pck_richcompare_op_lt(void) { return Py_LT; }
static inline int pck_richcompare_op_le(void) { return Py_LE; }
static inline int pck_richcompare_op_gt(void) { return Py_GT; }
static inline int pck_richcompare_op_ge(void) { return Py_GE; }
/// The weak-reference list head of an object whose type has `tp_weaklistoffset` set.
static inline PyObject *pck_weaklist(PyObject *o) {
    return *(PyObject **)((char *)o + Py_TYPE(o)->tp_weaklistoffset);
}

// MARK: Critical sections

/// A per-object critical section on free-threaded builds (`Py_BEGIN_CRITICAL_SECTION`, whose
/// macros Swift cannot call); on GIL builds nothing (the GIL serialises), and PyClassKit does
/// not call these at all there. The section lives on the caller's stack between begin and end:
/// the thread state links to it.
typedef struct {
#ifdef Py_GIL_DISABLED
    PyCriticalSection2 section;
#else
    char unused;
#endif
} PCKCriticalSection;

/// Locks `o`'s per-object mutex, the way CPython's own types lock themselves; the thread may
/// suspend it (and take it again) when it blocks, so that nested sections cannot deadlock.
static inline void pck_critical_section_begin(PCKCriticalSection *c, PyObject *o) {
#ifdef Py_GIL_DISABLED
    PyCriticalSection_Begin(&c->section._cs_base, o);
#else
    (void)c; (void)o;
#endif
}
static inline void pck_critical_section_end(PCKCriticalSection *c) {
#ifdef Py_GIL_DISABLED
    PyCriticalSection_End(&c->section._cs_base);
#else
    (void)c;
#endif
}
/// Locks two objects (in address order, as CPython does), for operations that read both.
static inline void pck_critical_section2_begin(PCKCriticalSection *c, PyObject *a, PyObject *b) {
#ifdef Py_GIL_DISABLED
    PyCriticalSection2_Begin(&c->section, a, b);
#else
    (void)c; (void)a; (void)b;
#endif
}
static inline void pck_critical_section2_end(PCKCriticalSection *c) {
#ifdef Py_GIL_DISABLED
    PyCriticalSection2_End(&c->section);
#else
    (void)c;
#endif
}

/// Casts a fastcall-with-keywords function to the `PyCFunction` type `PyMethodDef` stores.
static inline PyCFunction pck_cfunction(_PyCFunctionFastWithKeywords f) { return (PyCFunction)(void (*)(void))f; }

#endif
