import CPythonShim

/// A Python exception to raise, thrown by Swift code that a pyclass calls.
public struct PyError: Error, Sendable {
    /// Which exception to raise.
    public enum Kind: Sendable {
        case typeError
        case valueError
        case overflowError
        case runtimeError
        /// A Python exception is already set (a C-API call failed); raise it unchanged.
        case alreadySet
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func typeError(_ message: String) -> PyError { PyError(.typeError, message) }
    public static func valueError(_ message: String) -> PyError { PyError(.valueError, message) }
    public static func overflowError(_ message: String) -> PyError { PyError(.overflowError, message) }
    public static func runtimeError(_ message: String) -> PyError { PyError(.runtimeError, message) }
    /// The exception the failing C-API call set.
    public static var alreadySet: PyError { PyError(.alreadySet, "") }

    /// Sets this error as the current Python exception.
    public func raise() {
        switch kind {
        case .typeError: PyErr_SetString(pck_exc_type_error(), message)
        case .valueError: PyErr_SetString(pck_exc_value_error(), message)
        case .overflowError: PyErr_SetString(pck_exc_overflow_error(), message)
        case .runtimeError: PyErr_SetString(pck_exc_runtime_error(), message)
        case .alreadySet:
            if PyErr_Occurred() == nil {
                PyErr_SetString(pck_exc_system_error(), "PyClassKit: error reported without an exception set")
            }
        }
    }
}

/// The name of an object's type, for error messages.
@usableFromInline
func typeName(of object: PyObjectPointer) -> String {
    String(cString: pck_type(object).pointee.tp_name)
}
