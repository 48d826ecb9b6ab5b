import CPythonShim

/// A method of a pyclass.
public struct PyMethod<Owner: PyClass>: Sendable {
    public let name: String
    public let doc: String?
    public let parameters: [PyParameter]
    let call: @Sendable (Owner, PyArguments) throws(PyError) -> PyObjectPointer?

    /// A method taking `parameters`, whose result `body` computes.
    public init<Result: PyRepresentable>(
        _ name: String, doc: String? = nil, parameters: [PyParameter] = [],
        _ body: @escaping @Sendable (Owner, PyArguments) throws(PyError) -> Result
    ) {
        self.name = name
        self.doc = doc
        self.parameters = parameters
        self.call = { (owner, arguments) throws(PyError) in try body(owner, arguments).toPython() }
    }
}
