import CPythonShim

/// A read-only attribute of a pyclass.
public struct PyAttribute<Owner: PyClass>: Sendable {
    public let name: String
    public let doc: String?
    let get: @Sendable (Owner) -> PyObjectPointer?

    /// An attribute whose value `get` computes from the instance's state.
    public init<Value: PyRepresentable>(_ name: String, doc: String? = nil, _ get: @escaping @Sendable (Owner) -> Value) {
        self.name = name
        self.doc = doc
        self.get = { get($0).toPython() }
    }
}
