import CPythonShim

/// An attribute of the class itself (`Vector.dimensions`), computed once when the type is made.
public struct PyClassAttribute: Sendable {
    public let name: String
    let value: @Sendable () -> PyObjectPointer?

    /// An attribute whose value `value` computes when the type is made.
    public init<Value: PyRepresentable>(_ name: String, _ value: @escaping @Sendable () -> Value) {
        self.name = name
        self.value = { value().toPython() }
    }
}
