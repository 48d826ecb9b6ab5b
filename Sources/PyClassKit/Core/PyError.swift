import CPythonShim

/// A Python exception to raise, thrown by Swift code that a pyclass calls.
///
/// ```swift
/// throw .valueError("coordinates must be finite")
/// throw GeometryError.error("the zero vector has no direction")   // a @PyException type
/// ```
public struct PyError: Error, Sendable {
    /// Which exception to raise.
    public enum Kind: Sendable {
        case typeError
        case valueError
        case overflowError
        case runtimeError
        case attributeError
        case keyError
        case indexError
        case zeroDivisionError
        /// An exception type declared in Swift (``PyException``), made by the module that lists it.
        case exception(any PyException.Type)
        /// A Python exception is already set (a C-API call failed); raise it unchanged, with
        /// ``PyError/message`` added as a note if it is not empty.
        case alreadySet
    }

    public var kind: Kind
    /// The exception's message; for ``Kind/alreadySet``, empty, or a note (PEP 678) that
    /// ``raise()`` adds to the exception already set: a collection's conversion names there the
    /// element whose conversion raised it.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// An exception of a type declared in Swift: `PyError(GeometryError.self, "...")`.
    public init(_ exception: any PyException.Type, _ message: String) {
        self.init(.exception(exception), message)
    }

    public static func typeError(_ message: String) -> PyError { PyError(.typeError, message) }
    public static func valueError(_ message: String) -> PyError { PyError(.valueError, message) }
    public static func overflowError(_ message: String) -> PyError { PyError(.overflowError, message) }
    public static func runtimeError(_ message: String) -> PyError { PyError(.runtimeError, message) }
    public static func attributeError(_ message: String) -> PyError { PyError(.attributeError, message) }
    public static func keyError(_ message: String) -> PyError { PyError(.keyError, message) }
    public static func indexError(_ message: String) -> PyError { PyError(.indexError, message) }
    public static func zeroDivisionError(_ message: String) -> PyError { PyError(.zeroDivisionError, message) }
    /// The exception the failing C-API call set.
    public static var alreadySet: PyError { PyError(.alreadySet, "") }

    /// Sets this error as the current Python exception.
    public func raise() {
        let type: PyObjectPointer
        switch kind {
        case .typeError: type = pck_exc_type_error()
        case .valueError: type = pck_exc_value_error()
        case .overflowError: type = pck_exc_overflow_error()
        case .runtimeError: type = pck_exc_runtime_error()
        case .attributeError: type = pck_exc_attribute_error()
        case .keyError: type = pck_exc_key_error()
        case .indexError: type = pck_exc_index_error()
        case .zeroDivisionError: type = pck_exc_zero_division_error()
        case .exception(let exception):
            guard let made = PyExceptionRegistry.shared.type(of: exception) else {
                PyErr_SetString(pck_exc_system_error(), "PyClassKit: \(exception.pythonName) raised before a module that lists it was imported: \(message)")
                return
            }
            type = made
        case .alreadySet:
            if PyErr_Occurred() == nil {
                PyErr_SetString(pck_exc_system_error(), "PyClassKit: error reported without an exception set")
            } else if !message.isEmpty {
                pck_err_add_note(message)
            }
            return
        }
        PyErr_SetString(type, message)
    }
}

/// The name of an object's type, for error messages.
@usableFromInline
func typeName(of object: PyObjectPointer) -> String {
    String(cString: pck_type(object).pointee.tp_name)
}
