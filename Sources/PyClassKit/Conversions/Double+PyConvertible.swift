import CPythonShim

extension Double: PyConvertible {
    /// `PyFloat_AsDouble`, as Argument Clinic's `double` converter calls it: a `float` (or
    /// subclass) as it is; otherwise `__float__`, else `__index__` (an `int` too large raises
    /// `OverflowError`); whatever those raise propagates. Inlined: an exact `float` converts in
    /// the caller's module with two loads.
    @inlinable @inline(__always)
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        if pck_float_check_exact(object) != 0 {
            self = pck_float_as_double_unchecked(object)
            return
        }
        self = try Double.converting(object, argument: argument)
    }

    /// The slow path of ``init(python:argument:)``: anything but an exact `float`.
    @usableFromInline
    static func converting(_ object: PyObjectPointer, argument: PyArgumentName) throws(PyError) -> Double {
        // What PyFloat_AsDouble would reject outright gets a message that names the argument.
        guard pck_has_float_conversion(object) != 0 else {
            throw .typeError("\(argument) must be a real number, not \(typeName(of: object))")
        }
        let value = PyFloat_AsDouble(object)
        if value == -1.0, PyErr_Occurred() != nil { throw .alreadySet }
        return value
    }

    public func toPython() -> PyObjectPointer? { PyFloat_FromDouble(self) }
}
