import CPythonShim

// What a macro-generated method's C function calls: checks the receiver, converts the
// arguments, runs the Swift method (inside the object's critical section if the class has
// mutable state) and converts its result. Inlined into that C function, so that every
// conversion is specialised for the method.

extension PyClass {
    /// Calls an instance method: `body` receives the state and the converted arguments
    /// (``PyArguments`` → `Arguments`, before any lock is taken), inside the object's critical
    /// section if the class has mutable state (always, then, for a `mutating` method: it makes
    /// the class's state mutable).
    @inlinable
    public static func _invokeMethod<Arguments, Result: PyRepresentable>(
        _ object: PyObjectPointer?, _ args: UnsafePointer<PyObjectPointer?>?, _ count: Int, _ kwnames: PyObjectPointer?,
        signature: PySignature.Permanent,
        arguments convert: (PyArguments) throws(PyError) -> Arguments,
        body: (UnsafeMutablePointer<Self>, Arguments) throws(PyError) -> Result
    ) -> PyObjectPointer? {
        do throws(PyError) {
            let state = try _stateOfInstance(object).assumingMemoryBound(to: Self.self)
            let keywords: PyArguments.Keywords = kwnames.map { .names($0, values: args.unsafelyUnwrapped) } ?? .none
            let converted = try PyArguments.withArguments(signature.address, positional: args, count: count,
                                                          keywords: keywords, convert)
            let result = hasMutableState
                ? try withCriticalSection(object.unsafelyUnwrapped) { () throws(PyError) in try body(state, converted) }
                : try body(state, converted)
            return result.toPython()
        } catch {
            error.raise()
            return nil
        }
    }
}

/// Calls a static method or a module function: converts the arguments, runs `body`, converts
/// its result.
@inlinable
public func _invokeFunction<Arguments, Result: PyRepresentable>(
    _ args: UnsafePointer<PyObjectPointer?>?, _ count: Int, _ kwnames: PyObjectPointer?,
    signature: PySignature.Permanent,
    arguments convert: (PyArguments) throws(PyError) -> Arguments,
    body: (Arguments) throws(PyError) -> Result
) -> PyObjectPointer? {
    do throws(PyError) {
        let keywords: PyArguments.Keywords = kwnames.map { .names($0, values: args.unsafelyUnwrapped) } ?? .none
        let converted = try PyArguments.withArguments(signature.address, positional: args, count: count,
                                                      keywords: keywords, convert)
        return try body(converted).toPython()
    } catch {
        error.raise()
        return nil
    }
}

/// The state of `object`, an instance of a PyClassKit class or of a Python subclass of one
/// (the method descriptor checked that); `TypeError` if a subclass's `__init__` never made it.
@usableFromInline
func _stateOfInstance(_ object: PyObjectPointer?) throws(PyError) -> UnsafeMutableRawPointer {
    guard let object else { throw .typeError("PyClassKit: a method was called without its instance") }
    let type: UnsafeMutablePointer<PyTypeObject> = pck_type(object)
    if let hotPath = PyClassHotPath.exact(for: type) { return UnsafeMutableRawPointer(object) + hotPath.pointee.stateOffset }
    guard let hotPath = PyClassHotPath.nearest(to: type) else {
        throw .typeError("PyClassKit: \(typeName(of: object)) is not an instance of a PyClassKit class")
    }
    return try hotPath.existingState(of: object)
}
