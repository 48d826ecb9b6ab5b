import CPythonShim

/// A Swift value that converts to and from a Python object: what arguments convert to.
///
/// Each conversion PyClassKit provides behaves as the C-API conversion CPython's own functions
/// use for that C type (Argument Clinic's converters), so an argument is accepted, rejected or
/// raised on exactly as CPython would, and an exception raised by the caller's `__float__`,
/// `__index__` or `__bool__` propagates unchanged:
///
/// | Swift | accepts | C-API function matched |
/// |---|---|---|
/// | `Double` | `float`, `int`, anything with `__float__` or `__index__` | `PyFloat_AsDouble` (`OverflowError` for ints too large) |
/// | `Float` | as `Double`, then rounded (out of range: ±inf) | `PyArg_Parse` format `f` |
/// | `Int`, `Int8` … `Int64`, `UInt` … `UInt64` | `int` and anything with `__index__`; `float` rejected | `PyNumber_Index`, then `PyLong_AsLongLong` / `PyLong_AsUnsignedLongLong`; `OverflowError` out of the type's range |
/// | `Bool` | any object, by its truth value | `PyObject_IsTrue` (format `p`) |
/// | `String` | `str` and its subclasses | `PyUnicode_AsUTF8AndSize` (lone surrogates: `UnicodeEncodeError`) |
/// | `Optional<T>` | `None` (as `nil`), or what `T` accepts | — |
/// | `Array<T>` | a sequence (`PySequence_Check`: `list`, `tuple`, `range`, `__getitem__`), not `str`, `bytes`, `bytearray`; each element as `T` | `PySequence_Fast` (a `list` is copied first: `PyList_AsTuple`) |
/// | `Dictionary<K, V>` | `dict` and its subclasses (no other mapping); each key as `K`, value as `V`; keys that convert to one `K`: the last wins | `PyDict_Copy`, then `PyDict_Next` |
/// | ``PyReference`` | any object (a new strong reference) | — |
/// | a `@PyClass` struct | an instance of its class or of a Python subclass whose state exists (the state is copied out) | `PyObject_TypeCheck` |
///
/// A value of the wrong type raises `TypeError` naming the argument
/// (`Point() argument 'x' must be a real number, not str`); for an element of an array or
/// dictionary, naming the element too (`f() argument 'xs' item 2 must be a real number, not
/// str`). Any other exception an element's conversion raises keeps its type and message, with a
/// note naming the element (`when converting f() argument 'xs' item 2`).
public protocol PyConvertible: PyRepresentable {
    /// Converts a borrowed Python object. `argument` names the value in error messages
    /// (`argument.description`, built only when there is an error to report: calls are hot paths).
    init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError)
}
