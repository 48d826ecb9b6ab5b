import CPythonShim

/// A Python exception type declared in Swift: `points.GeometryError`, a subclass of `ValueError`.
///
/// Declare it with the ``PyException(_:base:)`` macro (or conform by hand), list it in the
/// module's `exceptions`, and throw it with a message:
///
/// ```swift
/// /// Raised for geometry that has no answer.
/// @PyException(base: .valueError)
/// enum GeometryError {}
///
/// throw GeometryError.error("the zero vector has no direction")
/// ```
///
/// The module makes the type object when it is imported (`PyErr_NewExceptionWithDoc`) and adds
/// it as an attribute; Python code catches it as `points.GeometryError` or as its base.
public protocol PyException: SendableMetatype {
    /// The name Python shows: `"GeometryError"` (the module's name is put before it), or
    /// module-qualified: `"points.GeometryError"`.
    static var pythonName: String { get }
    /// The Python exception it derives from (default: `Exception`).
    static var base: PyExceptionBase { get }
    /// The docstring.
    static var doc: String? { get }
}

extension PyException {
    public static var base: PyExceptionBase { .exception }
    public static var doc: String? { nil }

    /// The error that raises this exception with `message`.
    public static func error(_ message: String) -> PyError { PyError(Self.self, message) }
}

/// The base class of a ``PyException``: one of Python's built-in exceptions, or another
/// exception declared in Swift (which the same module must list before it).
public enum PyExceptionBase: Sendable {
    case exception
    case valueError
    case typeError
    case runtimeError
    case arithmeticError
    case lookupError
    case keyError
    case indexError
    case other(any PyException.Type)

    /// The base's type object (borrowed), or `nil` for an exception declared in Swift that no
    /// module has made yet.
    func typeObject() -> PyObjectPointer? {
        switch self {
        case .exception: pck_exc_exception()
        case .valueError: pck_exc_value_error()
        case .typeError: pck_exc_type_error()
        case .runtimeError: pck_exc_runtime_error()
        case .arithmeticError: pck_exc_arithmetic_error()
        case .lookupError: pck_exc_lookup_error()
        case .keyError: pck_exc_key_error()
        case .indexError: pck_exc_index_error()
        case .other(let exception): PyExceptionRegistry.shared.type(of: exception)
        }
    }
}
