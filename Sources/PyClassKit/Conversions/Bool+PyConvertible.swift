import CPythonShim

extension Bool: PyConvertible {
    /// Any object, by its truth value: `PyObject_IsTrue`, as Argument Clinic's `bool` converter
    /// (format `p`) and `bool()` take it; an exception its `__bool__` or `__len__` raises
    /// propagates.
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        let truth = PyObject_IsTrue(object)
        guard truth >= 0 else { throw .alreadySet }
        self = truth == 1
    }

    public func toPython() -> PyObjectPointer? { pck_bool(self ? 1 : 0) }
}
