import CPythonShim

extension Float: PyConvertible {
    /// ``Double``'s conversion, rounded to the nearest `Float` (values beyond its range become
    /// ±infinity), as `PyArg_Parse`'s format `f` and `array('f')` do.
    @inlinable
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        self = Float(try Double(python: object, argument: argument))
    }

    public func toPython() -> PyObjectPointer? { PyFloat_FromDouble(Double(self)) }
}
