import CPythonShim

/// A method of a pyclass: an instance method or a static method.
///
/// The macros declare each method as its own C function (``init(_:doc:parameters:kind:function:)``),
/// which the type lists in `tp_methods`: CPython then makes real method descriptors
/// (`Point.norm` is a `method_descriptor`, `help()` and `inspect.signature` read it as they read
/// a built-in type's), checks the receiver's type, and calls the function with no Swift closure
/// in between. A hand-written class may give a closure instead
/// (``init(_:doc:parameters:_:)``), reached through one shared trampoline.
public struct PyMethod<Owner: PyClass>: Sendable {
    /// What the method receives.
    public enum Kind: Sendable {
        /// An instance method: `self`, then the parameters.
        case instance
        /// A static method: only the parameters.
        case `static`
    }

    public let name: String
    public let doc: String?
    public let parameters: [PyParameter]
    public let kind: Kind
    /// The method's own C function (`METH_FASTCALL | METH_KEYWORDS`), or `nil` for a closure.
    let function: PyCFunctionFastWithKeywords?
    /// The closure of a hand-written instance method.
    let call: (@Sendable (Owner, PyArguments) throws(PyError) -> PyObjectPointer?)?

    /// A method taking `parameters`, whose result `body` computes from a copy of the state.
    public init<Result: PyRepresentable>(
        _ name: String, doc: String? = nil, parameters: [PyParameter] = [],
        _ body: @escaping @Sendable (Owner, PyArguments) throws(PyError) -> Result
    ) {
        self.name = name
        self.doc = doc
        self.parameters = parameters
        self.kind = .instance
        self.function = nil
        self.call = { (owner, arguments) throws(PyError) in try body(owner, arguments).toPython() }
    }

    /// A method implemented by its own C function, which converts its arguments and calls the
    /// Swift method (with ``PyClass/_invokeMethod(_:_:_:_:signature:arguments:body:)`` for an
    /// instance method, ``_invokeFunction(_:_:_:signature:arguments:body:)`` for a static one).
    public init(
        _ name: String, doc: String? = nil, parameters: [PyParameter] = [], kind: Kind = .instance,
        function: PyCFunctionFastWithKeywords
    ) {
        self.name = name
        self.doc = doc
        self.parameters = parameters
        self.kind = kind
        self.function = function
        self.call = nil
    }
}

/// The C type of a `METH_FASTCALL | METH_KEYWORDS` function: the receiver (an instance, the
/// module, or nothing for a static method), the arguments, their count and `kwnames`.
public typealias PyCFunctionFastWithKeywords = @convention(c) (
    PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Int, PyObjectPointer?
) -> PyObjectPointer?

/// The C type of a `tp_vectorcall`: the callable (a type object), the arguments, their count
/// (with `PY_VECTORCALL_ARGUMENTS_OFFSET`) and `kwnames`.
public typealias PyVectorcallFunction = vectorcallfunc
