import CPythonShim

/// A strong reference to any Python object, for storing in a pyclass's state.
///
/// The reference is owned by the state that holds it and released by ``clear()``, which the
/// owning class calls from its own `clear()` (PyClassKit calls that from `tp_clear` and before
/// the state is destroyed). A class that stores a `PyReference` must set
/// `hasGarbageCollection` and visit the reference in `traverse`.
public struct PyReference: @unchecked Sendable {
    // @unchecked: Python's own reference counting is thread-safe; the pointer is only ever
    // increfed, decrefed and handed to Python.

    /// The referenced object, or `nil` after ``clear()``.
    public private(set) var pointer: PyObjectPointer?

    /// Takes a new strong reference to `object`.
    public init(_ object: PyObjectPointer) {
        pointer = pck_newref(object)
    }

    /// Releases the reference. Safe to call more than once.
    public mutating func clear() {
        if let object = pointer.take() { pck_decref(object) }
    }

    /// Passes the reference to a `tp_traverse` visitor.
    public func visit(_ visitor: PyVisitor) -> Int32 {
        guard let pointer else { return 0 }
        return visitor.visit(pointer)
    }
}

extension PyReference: PyConvertible {
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        self.init(object)
    }

    /// A new reference to the object, or to `None` after ``clear()``.
    public func toPython() -> PyObjectPointer? {
        pointer.map { pck_newref($0) } ?? pck_none()
    }
}
