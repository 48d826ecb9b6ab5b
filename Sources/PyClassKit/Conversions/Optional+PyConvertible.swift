import CPythonShim

extension Optional: PyRepresentable where Wrapped: PyRepresentable {
    /// `None` for `nil`, else the wrapped value's Python form.
    public func toPython() -> PyObjectPointer? {
        switch self {
        case .none: pck_none()
        case .some(let value): value.toPython()
        }
    }
}

extension Optional: PyConvertible where Wrapped: PyConvertible {
    /// `None` as `nil`; anything else as `Wrapped` converts it.
    @inlinable
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        self = pck_is_none(object) != 0 ? nil : try Wrapped(python: object, argument: argument)
    }
}
