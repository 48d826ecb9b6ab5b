import CPythonShim

/// A Swift value that converts to a Python object: what attributes, methods and functions return.
public protocol PyRepresentable: SendableMetatype {
    /// A new reference to the Python form of this value, or `nil` with an exception set.
    func toPython() -> PyObjectPointer?
}
