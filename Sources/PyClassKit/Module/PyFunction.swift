import CPythonShim

/// A module-level function: a C function of its own (what ``PyModule(_:doc:)`` declares for each
/// `@PyFunction`), or a Swift closure reached through a shared trampoline (hand-written).
public struct PyFunction: Sendable {
    public let name: String
    public let doc: String?
    public let signature: PySignature
    let body: (@Sendable (PyArguments) throws(PyError) -> PyObjectPointer?)?
    /// The function's own C function (`METH_FASTCALL | METH_KEYWORDS`; its receiver is the
    /// module), or `nil` for a closure.
    let function: PyCFunctionFastWithKeywords?

    public init<Result: PyRepresentable>(
        _ name: String, doc: String? = nil, parameters: [PyParameter] = [],
        _ body: @escaping @Sendable (PyArguments) throws(PyError) -> Result
    ) {
        self.name = name
        self.doc = doc
        self.signature = PySignature("\(name)()", parameters)
        self.body = { (arguments) throws(PyError) in try body(arguments).toPython() }
        self.function = nil
    }

    /// A function implemented by its own C function, which converts its arguments and calls the
    /// Swift function (with ``_invokeFunction(_:_:_:signature:arguments:body:)``).
    public init(_ name: String, doc: String? = nil, parameters: [PyParameter] = [], function: PyCFunctionFastWithKeywords) {
        self.name = name
        self.doc = doc
        self.signature = PySignature("\(name)()", parameters)
        self.body = nil
        self.function = function
    }
}
