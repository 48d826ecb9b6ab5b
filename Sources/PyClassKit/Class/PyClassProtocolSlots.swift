import CPythonShim

/// The Python protocols a class gets from its state's Swift conformances, found when its type
/// is made (a dynamic cast per protocol, once):
///
/// | Swift | Python |
/// |---|---|
/// | `Equatable` | `==`, `!=` (`tp_richcompare`); other types compare `NotImplemented` |
/// | `Hashable` | `hash()` (`tp_hash`); an `Equatable` class that is not `Hashable` is unhashable (`__hash__ = None`), as Python requires of a class that defines `__eq__` |
/// | `Comparable` | `<`, `<=`, `>`, `>=` |
/// | `CustomStringConvertible` | `str()` (`tp_str`; `repr()` stays ``PyClass/pythonRepr``) |
///
/// Instances compare by their states, as Swift compares the values; an instance of a Python
/// subclass compares by the state it inherits. A class with mutable state compares inside both
/// objects' critical sections.
struct PyClassProtocolSlots: Sendable {
    /// `op` (Py_LT ... Py_GE) between two states, or `nil` for an operation the state does not
    /// support (Python then tries the reflected operation, and `==` falls back to identity).
    let compare: (@Sendable (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int32) -> Bool?)?
    /// The state's `hashValue`.
    let hash: (@Sendable (UnsafeMutableRawPointer) -> Int)?
    /// The state's `description`.
    let describe: (@Sendable (UnsafeMutableRawPointer) -> String)?
    let isEquatable: Bool

    init<T: PyClass>(_ type: T.Type) {
        if let comparable = T.self as? any (Comparable & SendableMetatype).Type {
            compare = Self.comparison(comparable)
        } else if let equatable = T.self as? any (Equatable & SendableMetatype).Type {
            compare = Self.equality(equatable)
        } else {
            compare = nil
        }
        isEquatable = T.self is any Equatable.Type
        hash = (T.self as? any (Hashable & SendableMetatype).Type).map { Self.hashing($0) }
        describe = (T.self as? any (CustomStringConvertible & SendableMetatype).Type).map { Self.description($0) }
    }

    private static func equality<E: Equatable & SendableMetatype>(_: E.Type) -> @Sendable (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int32) -> Bool? {
        { first, second, operation in
            let (a, b) = (first.assumingMemoryBound(to: E.self), second.assumingMemoryBound(to: E.self))
            switch operation {
            case pck_richcompare_op_eq(): return a.pointee == b.pointee
            case pck_richcompare_op_ne(): return a.pointee != b.pointee
            default: return nil
            }
        }
    }

    private static func comparison<C: Comparable & SendableMetatype>(_: C.Type) -> @Sendable (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int32) -> Bool? {
        { first, second, operation in
            let (a, b) = (first.assumingMemoryBound(to: C.self), second.assumingMemoryBound(to: C.self))
            switch operation {
            case pck_richcompare_op_eq(): return a.pointee == b.pointee
            case pck_richcompare_op_ne(): return a.pointee != b.pointee
            case pck_richcompare_op_lt(): return a.pointee < b.pointee
            case pck_richcompare_op_le(): return a.pointee <= b.pointee
            case pck_richcompare_op_gt(): return a.pointee > b.pointee
            case pck_richcompare_op_ge(): return a.pointee >= b.pointee
            default: return nil
            }
        }
    }

    private static func hashing<H: Hashable & SendableMetatype>(_: H.Type) -> @Sendable (UnsafeMutableRawPointer) -> Int {
        { state in state.assumingMemoryBound(to: H.self).pointee.hashValue }
    }

    private static func description<D: CustomStringConvertible & SendableMetatype>(_: D.Type) -> @Sendable (UnsafeMutableRawPointer) -> String {
        { state in state.assumingMemoryBound(to: D.self).pointee.description }
    }

    /// Sets the type's slots for the protocols the state conforms to.
    func install(in type: UnsafeMutablePointer<PyTypeObject>) {
        if compare != nil { type.pointee.tp_richcompare = pyclassRichCompare }
        if hash != nil {
            type.pointee.tp_hash = pyclassHash
        } else if isEquatable {
            // Without this, PyType_Ready would not inherit object's hash (it inherits tp_hash only
            // with tp_richcompare), and hash() would fail with a less clear message; this also
            // sets `__hash__ = None`, as for a Python class that defines only `__eq__`.
            type.pointee.tp_hash = PyObject_HashNotImplemented
        }
        if describe != nil { type.pointee.tp_str = pyclassStr }
    }
}

/// `tp_richcompare`: `first` is an instance of the class (or a subclass); `second` anything.
/// The runtime is reached without retaining it (see `attributeGetter`).
func pyclassRichCompare(_ first: PyObjectPointer?, _ second: PyObjectPointer?, _ operation: Int32) -> PyObjectPointer? {
    guard let first, let second, let hotPath = PyClassHotPath.nearest(to: pck_type(first)) else { return pck_not_implemented() }
    return hotPath.pointee.runtime._withUnsafeGuaranteedRef { runtime -> PyObjectPointer? in
        guard let compare = runtime.slots.compare, let type = runtime.type, pck_object_type_check(second, type) != 0 else {
            return pck_not_implemented()
        }
        do throws(PyError) {
            let (a, b) = (try hotPath.existingState(of: first), try hotPath.existingState(of: second))
            let mutable = hotPath.pointee.classType.hasMutableState
            guard let result = mutable ? withCriticalSection(first, second, { compare(a, b, operation) }) : compare(a, b, operation) else {
                return pck_not_implemented()
            }
            return pck_bool(result ? 1 : 0)
        } catch {
            error.raise()
            return nil
        }
    }
}

/// `tp_hash`: the state's Swift `hashValue` (never -1, which means an error to CPython).
func pyclassHash(_ object: PyObjectPointer?) -> Int {
    guard let object, let hotPath = PyClassHotPath.nearest(to: pck_type(object)) else { return -1 }
    return hotPath.pointee.runtime._withUnsafeGuaranteedRef { runtime -> Int in
        guard let hash = runtime.slots.hash else { return -1 }
        do throws(PyError) {
            let state = try hotPath.existingState(of: object)
            let value = hotPath.pointee.classType.hasMutableState ? withCriticalSection(object) { hash(state) } : hash(state)
            return value == -1 ? -2 : value
        } catch {
            error.raise()
            return -1
        }
    }
}

/// `tp_str`: the state's Swift `description`.
func pyclassStr(_ object: PyObjectPointer?) -> PyObjectPointer? {
    guard let object, let hotPath = PyClassHotPath.nearest(to: pck_type(object)) else { return nil }
    return hotPath.pointee.runtime._withUnsafeGuaranteedRef { runtime -> PyObjectPointer? in
        guard let describe = runtime.slots.describe else { return nil }
        do throws(PyError) {
            let state = try hotPath.existingState(of: object)
            let text = hotPath.pointee.classType.hasMutableState ? withCriticalSection(object) { describe(state) } : describe(state)
            return text.toPython()
        } catch {
            error.raise()
            return nil
        }
    }
}
