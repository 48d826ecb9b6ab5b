import CPythonShim

/// A strong reference to any Python object: what an argument of any type converts to, and what
/// a pyclass's state stores to hold an object.
///
/// The reference is released when the last copy of this value goes away, as a Swift class
/// instance would be, or earlier by ``clear()`` (which releases it for every copy: the copies
/// share one reference). So a function that takes a `PyReference` and does not keep it, or
/// that throws after converting it, leaks nothing. A state that stores one is
/// garbage-collected: `@PyClass` generates the `traverse` and `clear` that tell Python's
/// collector about it (a hand-written class sets `hasGarbageCollection` and writes them).
///
/// The last copy must go away on a thread that may call Python (one running Python code or
/// called from it), as every Python reference must: do not hand one to a thread of your own.
public struct PyReference: @unchecked Sendable {
    // @unchecked: Python's reference counting is thread-safe; the box's pointer changes only in
    // clear(), which Python's collector calls with the world stopped (tp_clear), or the owning
    // state's own code calls inside its critical section.

    /// The one reference the copies share.
    private final class Box {
        var pointer: PyObjectPointer?
        init(_ pointer: PyObjectPointer) { self.pointer = pointer }
        deinit { if let pointer { pck_decref(pointer) } }
    }

    private let box: Box

    /// The referenced object, or `nil` after ``clear()``.
    public var pointer: PyObjectPointer? { box.pointer }

    /// Takes a new strong reference to `object`.
    public init(_ object: PyObjectPointer) {
        box = Box(pck_newref(object))
    }

    /// Releases the reference, for every copy. Safe to call more than once.
    public func clear() {
        if let object = box.pointer.take() { pck_decref(object) }
    }

    /// Passes the reference to a `tp_traverse` visitor.
    public func visit(_ visitor: PyVisitor) -> Int32 {
        guard let pointer = box.pointer else { return 0 }
        return visitor.visit(pointer)
    }
}

extension PyReference: PyConvertible {
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        self.init(object)
    }

    /// A new reference to the object, or to `None` after ``clear()``.
    public func toPython() -> PyObjectPointer? {
        pointer.map { pck_newref($0) } ?? pck_none()
    }
}
