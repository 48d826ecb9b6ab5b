import CPythonShim

/// The visitor a `tp_traverse` call passes to a pyclass's `traverse`.
public struct PyVisitor {
    let function: visitproc
    let argument: UnsafeMutableRawPointer?

    /// Visits one referenced object; a non-zero result must be returned from `traverse` at once.
    public func visit(_ object: PyObjectPointer) -> Int32 {
        function(object, argument)
    }
}
