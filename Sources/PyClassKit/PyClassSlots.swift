import CPythonShim

// The C slot functions every PyClassKit type shares: the hot paths (tp_alloc and tp_dealloc run
// once per instance) and the rest. Each finds its type's runtime from the type object itself.

/// Marks the terminating entry of a PyClassKit type's `tp_getset` array (compared by address).
private nonisolated(unsafe) let runtimeMarker = UnsafePointer(strdup("PyClassKit runtime")!)

extension PyClassRuntime {
    /// The `PyGetSetDef` that ends a PyClassKit type's `tp_getset` array and carries its runtime.
    ///
    /// CPython keeps a type's `tp_getset` pointer as given to `PyType_FromSpec` and stops reading
    /// at the first entry without a name, so the terminator's other fields are ours. The runtime
    /// is found from the type object alone, which stays valid while any instance lives (unlike
    /// `ht_module`, which the collector clears when the type is part of a garbage cycle).
    static func terminator(for runtime: PyClassRuntime) -> PyGetSetDef {
        PyGetSetDef(name: nil, get: nil, set: nil, doc: runtimeMarker,
                    closure: Unmanaged.passUnretained(runtime).toOpaque())
    }

    /// The runtime of `type` itself, if PyClassKit made it (not for subclasses of such types).
    @inline(__always)
    static func exact(for type: UnsafeMutablePointer<PyTypeObject>) -> PyClassRuntime? {
        // Our tp_dealloc first: only then is tp_getset an array that PyClassKit may have made.
        guard UInt(bitPattern: unsafeBitCast(type.pointee.tp_dealloc, to: UnsafeRawPointer?.self)) == pyclassDeallocAddress,
              var entry = type.pointee.tp_getset else { return nil }
        while entry.pointee.name != nil { entry += 1 }
        guard entry.pointee.doc == runtimeMarker, let runtime = entry.pointee.closure else { return nil }
        return Unmanaged<PyClassRuntime>.fromOpaque(runtime).takeUnretainedValue()
    }

    /// The runtime of `type` or of its nearest PyClassKit base.
    static func nearest(to type: UnsafeMutablePointer<PyTypeObject>) -> PyClassRuntime? {
        var candidate: UnsafeMutablePointer<PyTypeObject>? = type
        while let current = candidate {
            if let runtime = exact(for: current) { return runtime }
            candidate = current.pointee.tp_base
        }
        return nil
    }
}

private let pyclassDeallocAddress = UInt(bitPattern: unsafeBitCast(pyclassDealloc, to: UnsafeRawPointer.self))

/// `tp_alloc`: pops a parked instance of exactly this type, else allocates a new one.
let pyclassAlloc: allocfunc = { type, items in
    guard let type else { return nil }
    guard items == 0, let runtime = PyClassRuntime.exact(for: type), let freeList = runtime.freeList else {
        return PyType_GenericAlloc(type, items)
    }
    guard let object = freeList.pop() else {
        let object = PyType_GenericAlloc(type, items)
        if let object { runtime.canaries?.markAllocated(object) }
        return object
    }
    runtime.canaries?.checkOut(object)
    // The object's previous life left its state destroyed; start from zeroes, as
    // PyType_GenericAlloc does. The header is reset by PyObject_Init below (owner thread,
    // reference counts, GC bits), which also takes the reference to the type.
    (UnsafeMutableRawPointer(object) + runtime.stateOffset)
        .initializeMemory(as: UInt8.self, repeating: 0, count: runtime.basicSize - runtime.stateOffset)
    PyObject_Init(object, type)
    if runtime.hasGarbageCollection { PyObject_GC_Track(object) }
    return object
}

/// `tp_dealloc`: destroys the Swift state, then parks the memory or frees it.
let pyclassDealloc: destructor = { object in
    guard let object else { return }
    let type: UnsafeMutablePointer<PyTypeObject> = pck_type(object)
    if pck_type_has_gc(type) != 0 { PyObject_GC_UnTrack(object) }
    guard let runtime = PyClassRuntime.nearest(to: type) else {
        fatalError("PyClassKit: tp_dealloc called for a type it did not make: \(typeName(of: object))")
    }
    if !runtime.stateIsTrivial { runtime.destroyState(runtime.state(of: object)) }
    // Only instances of exactly this type are parked: a subclass's instances have another size
    // and another deallocator chain.
    if type == runtime.type, let freeList = runtime.freeList {
        runtime.canaries?.checkIn(object)
        if let surplus = freeList.push(object) { runtime.freeMemory(of: surplus) }
    } else {
        type.pointee.tp_free(object)
    }
    // No type reference to drop: PyClassKit types are static, so their instances hold none, and
    // a Python subclass's subtype_dealloc drops the reference its instances hold.
}

/// `tp_new`: converts the arguments, then allocates through `tp_alloc` and stores the state.
let pyclassNew: newfunc = { subtype, args, kwargs in
    guard let subtype, let args, let runtime = PyClassRuntime.nearest(to: subtype) else {
        PyErr_SetString(pck_exc_system_error(), "PyClassKit: tp_new called for a type it did not make")
        return nil
    }
    return runtime.construct(subtype, pck_tuple_items(args), pck_tuple_size(args), kwargs.map { .dictionary($0) } ?? .none)
}

/// The type's `tp_vectorcall`: `Point(1.0, 2.0)` without an argument tuple. It is `tp_new`
/// for the exact class (whose `__init__` is `object.__init__` and cannot be replaced: the type
/// is immutable). CPython does not inherit it; should a subclass ever reach it, the call takes
/// the classic path (`tp_new`, then `tp_init`).
let pyclassVectorcall: vectorcallfunc = { callable, args, nargsf, kwnames in
    guard let callable else { return nil }
    let type = UnsafeMutableRawPointer(callable).assumingMemoryBound(to: PyTypeObject.self)
    guard let runtime = PyClassRuntime.exact(for: type), runtime.type == type else {
        return pck_type_call_classic(callable, args, nargsf, kwnames)
    }
    // Keyword values follow the positional ones in `args`.
    let keywords: PyArguments.Keywords = kwnames.map { .names($0, values: args!) } ?? .none
    return runtime.construct(type, args, pck_vectorcall_nargs(nargsf), keywords)
}

/// `tp_repr`.
let pyclassRepr: reprfunc = { object in
    guard let object, let runtime = PyClassRuntime.nearest(to: pck_type(object)) else { return nil }
    return runtime.repr(runtime.state(of: object))
}

/// `tp_traverse`: the state's references. Not the type: PyClassKit types are static (only heap
/// types' instances visit their type; a Python subclass's subtype_traverse visits its own).
let pyclassTraverse: traverseproc = { object, visit, argument in
    guard let object, let visit, let runtime = PyClassRuntime.nearest(to: pck_type(object)) else { return 0 }
    return runtime.traverse(runtime.state(of: object), PyVisitor(function: visit, argument: argument))
}

/// `tp_clear`.
let pyclassClear: inquiry = { object in
    guard let object, let runtime = PyClassRuntime.nearest(to: pck_type(object)) else { return 0 }
    runtime.clear(runtime.state(of: object))
    return 0
}

/// The getter of every attribute; `closure` is the attribute's ``AttributeBox``.
let attributeGetter: getter = { object, closure in
    guard let object, let closure else { return nil }
    return Unmanaged<AttributeBox>.fromOpaque(closure).takeUnretainedValue().get(object)
}
