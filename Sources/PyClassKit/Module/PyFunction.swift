import CPythonShim

/// A module-level function.
public struct PyFunction: Sendable {
    public let name: String
    public let doc: String?
    public let signature: PySignature
    let body: @Sendable (PyArguments) throws(PyError) -> PyObjectPointer?

    public init<Result: PyRepresentable>(
        _ name: String, doc: String? = nil, parameters: [PyParameter] = [],
        _ body: @escaping @Sendable (PyArguments) throws(PyError) -> Result
    ) {
        self.name = name
        self.doc = doc
        self.signature = PySignature("\(name)()", parameters)
        self.body = { (arguments) throws(PyError) in try body(arguments).toPython() }
    }
}
