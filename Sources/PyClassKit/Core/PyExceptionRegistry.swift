import CPythonShim
import Synchronization

/// The type objects of the exceptions declared in Swift, by Swift type: what ``PyError/raise()``
/// raises for ``PyError/Kind/exception(_:)``.
///
/// A module's exec function makes each exception type it lists and registers it here. The
/// registry keeps a strong reference to each for the rest of the process, and hands out borrowed
/// ones: a module imported again registers new types (its errors raise those from then on) and
/// the earlier ones stay alive, so that a thread raising one never holds a freed type.
final class PyExceptionRegistry: Sendable {
    static let shared = PyExceptionRegistry()

    /// A type object's address, shared between threads: Python's reference counting is
    /// thread-safe, and a registered type is never released.
    private struct TypeObject: @unchecked Sendable { let pointer: PyObjectPointer }

    private let types = Mutex<[ObjectIdentifier: TypeObject]>([:])

    /// The type object of `exception`, borrowed, if a module made it.
    func type(of exception: any PyException.Type) -> PyObjectPointer? {
        types.withLock { $0[ObjectIdentifier(exception)]?.pointer }
    }

    /// Makes the type object of `exception`, named `qualifiedName`, and registers it; returns it
    /// borrowed, or `nil` with an exception set.
    func make(_ exception: any PyException.Type, qualifiedName: String) -> PyObjectPointer? {
        guard let base = exception.base.typeObject() else {
            PyErr_SetString(pck_exc_system_error(), "PyClassKit: the base of \(qualifiedName) is declared in Swift and must be listed before it")
            return nil
        }
        guard let type = PyErr_NewExceptionWithDoc(qualifiedName, exception.doc, base, nil) else { return nil }
        types.withLock { $0[ObjectIdentifier(exception)] = TypeObject(pointer: type) }
        return type
    }
}
