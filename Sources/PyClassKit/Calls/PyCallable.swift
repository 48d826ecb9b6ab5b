import CPythonShim

/// A Swift closure callable from Python, as a builtin function (`PyCFunction`).
///
/// CPython calls every PyClassKit function through one C trampoline; the closure is found
/// through the function's `self`, a capsule holding this object. Methods are such functions
/// wrapped in `instancemethod` (`PyInstanceMethod_New`), which binds the instance as the first
/// argument, as a Python function defined in a class body would be bound.
final class PyCallable: @unchecked Sendable {
    // @unchecked: immutable after init; the method definition is written once, before Python
    // can see it.

    /// Positional arguments (a vector), their count, and the vectorcall `kwnames` tuple.
    typealias Body = (UnsafePointer<PyObjectPointer?>?, Int, PyObjectPointer?) throws(PyError) -> PyObjectPointer?

    let name: String
    let body: Body
    /// The definition CPython keeps a pointer to for the function's whole life.
    private let definition: UnsafeMutablePointer<PyMethodDef>

    /// A function called `name` whose `__text_signature__` is `textSignature` (e.g.
    /// `(self, /, factor=1.0)`; the receiver is written as a plain positional-only `self`, not
    /// Argument Clinic's `$self`: the function's own `__self__` is a capsule, not the instance).
    init(name: String, doc: String?, textSignature: String, body: @escaping Body) {
        self.name = name
        self.body = body
        definition = .allocate(capacity: 1)
        definition.initialize(to: PyMethodDef(
            ml_name: UnsafePointer(strdup(name)),
            ml_meth: pck_cfunction(callableTrampoline),
            ml_flags: pck_meth_fastcall_keywords(),
            ml_doc: UnsafePointer(strdup(internalDoc(name: name, textSignature: textSignature, doc: doc)))))
    }

    deinit {
        free(UnsafeMutableRawPointer(mutating: definition.pointee.ml_name))
        free(UnsafeMutableRawPointer(mutating: definition.pointee.ml_doc))
        definition.deallocate()
    }

    /// A new builtin function object for this closure, or `nil` with an exception set.
    func makeFunction(module: PyObjectPointer) -> PyObjectPointer? {
        // The capsule does not own this object: its owner (a class runtime or a module
        // definition) outlives every function made from it.
        guard let capsule = PyCapsule_New(Unmanaged.passUnretained(self).toOpaque(), nil, nil) else { return nil }
        defer { pck_decref(capsule) }
        let moduleName = PyModule_GetNameObject(module)
        defer { pck_xdecref(moduleName) }
        return PyCFunction_NewEx(definition, capsule, moduleName)
    }

    /// A new method descriptor (the function wrapped in `instancemethod`).
    func makeMethodDescriptor(module: PyObjectPointer) -> PyObjectPointer? {
        guard let function = makeFunction(module: module) else { return nil }
        defer { pck_decref(function) }
        return PyInstanceMethod_New(function)
    }
}

/// The one C entry point of every ``PyCallable``.
let callableTrampoline: _PyCFunctionFastWithKeywords = { capsule, args, nargs, kwnames in
    guard let capsule, let pointer = PyCapsule_GetPointer(capsule, nil) else { return nil }
    let callable = Unmanaged<PyCallable>.fromOpaque(pointer).takeUnretainedValue()
    do throws(PyError) {
        return try callable.body(args, nargs, kwnames)
    } catch {
        error.raise()
        return nil
    }
}
