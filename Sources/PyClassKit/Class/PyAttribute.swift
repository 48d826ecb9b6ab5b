import CPythonShim

/// An attribute of a pyclass's instances: read-only, or read-write with a setter.
public struct PyAttribute<Owner: PyClass>: Sendable {
    public let name: String
    public let doc: String?
    /// Reads the attribute from the state of `object` (whose critical section a class with
    /// mutable state takes around the Swift getter only; the conversion to Python comes after).
    let get: @Sendable (UnsafeMutablePointer<Owner>, PyObjectPointer) -> PyObjectPointer?
    /// Converts `value` (before taking the critical section) and stores it; `nil` for a
    /// read-only attribute. `argument` names the attribute in conversion errors.
    let set: (@Sendable (UnsafeMutablePointer<Owner>, PyObjectPointer, PyObjectPointer, PyArgumentName) throws(PyError) -> Void)?

    /// A read-only attribute whose value `get` computes from the instance's state.
    public init<Value: PyRepresentable>(_ name: String, doc: String? = nil, _ get: @escaping @Sendable (Owner) -> Value) {
        self.name = name
        self.doc = doc
        self.get = { state, object in
            let value = Owner.hasMutableState ? withCriticalSection(object) { get(state.pointee) } : get(state.pointee)
            return value.toPython()
        }
        self.set = nil
    }

    /// A read-write attribute: `get` reads it, `set` stores a value converted from Python.
    /// Only classes with ``PyClass/hasMutableState`` may have one (their state is then only
    /// touched inside the object's critical section on free-threaded builds).
    public init<Value: PyConvertible>(
        _ name: String, doc: String? = nil,
        get: @escaping @Sendable (Owner) -> Value, set: @escaping @Sendable (inout Owner, Value) -> Void
    ) {
        precondition(Owner.hasMutableState, "PyClassKit: \(Owner.pythonName).\(name) has a setter but the class does not declare hasMutableState")
        self.name = name
        self.doc = doc
        self.get = { state, object in
            withCriticalSection(object) { get(state.pointee) }.toPython()
        }
        self.set = { (state, object, value, argument) throws(PyError) in
            let converted = try Value(python: value, argument: argument)
            withCriticalSection(object) { set(&state.pointee, converted) }
        }
    }
}
