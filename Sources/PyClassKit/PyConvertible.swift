import CPythonShim

/// A Swift value that converts to a Python object: what attributes, methods and functions return.
public protocol PyRepresentable: SendableMetatype {
    /// A new reference to the Python form of this value, or `nil` with an exception set.
    func toPython() -> PyObjectPointer?
}

/// A Swift value that converts to and from a Python object: what arguments convert to.
public protocol PyConvertible: PyRepresentable {
    /// Converts a borrowed Python object. `argument` names the value in error messages; it is
    /// evaluated only when there is an error to report (calls are hot paths).
    init(python object: PyObjectPointer, argument: @autoclosure () -> String) throws(PyError)
}

extension Double: PyConvertible {
    /// Accepts `float`, `int` and anything with `__float__` or `__index__`, as `float()` does.
    /// Inlined: an exact `float` converts in the caller's module with two loads.
    @inlinable @inline(__always)
    public init(python object: PyObjectPointer, argument: @autoclosure () -> String) throws(PyError) {
        if pck_float_check_exact(object) != 0 {
            self = pck_float_as_double_unchecked(object)
            return
        }
        self = try Double.converting(object, argument: argument())
    }

    /// The slow path of ``init(python:argument:)``: anything but an exact `float`.
    @usableFromInline
    static func converting(_ object: PyObjectPointer, argument: @autoclosure () -> String) throws(PyError) -> Double {
        let value = PyFloat_AsDouble(object)
        if value == -1.0, PyErr_Occurred() != nil {
            PyErr_Clear()
            throw .typeError("\(argument()) must be a real number, not \(typeName(of: object))")
        }
        return value
    }

    public func toPython() -> PyObjectPointer? { PyFloat_FromDouble(self) }
}

extension Int: PyConvertible {
    /// Accepts `int` and anything with `__index__`; out-of-range values raise `ValueError`.
    public init(python object: PyObjectPointer, argument: @autoclosure () -> String) throws(PyError) {
        guard let index = PyNumber_Index(object) else {
            PyErr_Clear()
            throw .typeError("\(argument()) must be an integer, not \(typeName(of: object))")
        }
        defer { pck_decref(index) }
        let value = PyLong_AsSsize_t(index)
        if value == -1, PyErr_Occurred() != nil {
            PyErr_Clear()
            throw .valueError("\(argument()) is out of range")
        }
        self = value
    }

    public func toPython() -> PyObjectPointer? { PyLong_FromSsize_t(self) }
}

extension String: PyConvertible {
    public init(python object: PyObjectPointer, argument: @autoclosure () -> String) throws(PyError) {
        guard pck_unicode_check(object) != 0 else {
            throw .typeError("\(argument()) must be str, not \(typeName(of: object))")
        }
        var size = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(object, &size) else {
            PyErr_Clear()
            throw .valueError("\(argument()) is not valid UTF-8 (it contains surrogates)")
        }
        self = utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
            String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
        }
    }

    public func toPython() -> PyObjectPointer? {
        var copy = self
        return copy.withUTF8 { PyUnicode_FromStringAndSize($0.baseAddress, $0.count) }
    }
}

extension Bool: PyConvertible {
    /// Accepts any object, by its truth value, as `bool()` does.
    public init(python object: PyObjectPointer, argument: @autoclosure () -> String) throws(PyError) {
        let truth = PyObject_IsTrue(object)
        guard truth >= 0 else { throw .alreadySet }
        self = truth == 1
    }

    public func toPython() -> PyObjectPointer? { pck_bool(self ? 1 : 0) }
}
