import CPythonShim
import Synchronization

// The C slot functions every PyClassKit type shares: the hot paths (tp_alloc and tp_dealloc run
// once per instance) and the rest. Each finds its type's runtime from the type object itself.

extension PyClassRuntime {
    /// Whether PyClassKit made `type` itself (not a subclass of such a type): only its types
    /// have PyClassKit's `tp_dealloc` (a Python subclass's is `subtype_dealloc`).
    @inline(__always)
    static func isPyClassKitType(_ type: UnsafeMutablePointer<PyTypeObject>) -> Bool {
        // A global function converted to a C function pointer is a constant: no lazy global.
        unsafeBitCast(type.pointee.tp_dealloc, to: UnsafeRawPointer?.self)
            == unsafeBitCast(pyclassDealloc as destructor, to: UnsafeRawPointer.self)
    }

    /// The runtime of `type` itself, if PyClassKit made it (not for subclasses of such types),
    /// unretained: runtimes live for the rest of the process (``makeType(module:)``).
    @inline(__always)
    static func exact(for type: UnsafeMutablePointer<PyTypeObject>) -> Unmanaged<PyClassRuntime>? {
        guard isPyClassKitType(type) else { return nil }
        return Unmanaged.fromOpaque(pck_static_type_runtime(type))
    }

    /// The runtime of `type` or of its nearest PyClassKit base, unretained.
    @inline(__always)
    static func nearest(to type: UnsafeMutablePointer<PyTypeObject>) -> Unmanaged<PyClassRuntime>? {
        var candidate: UnsafeMutablePointer<PyTypeObject>? = type
        while let current = candidate {
            if let runtime = exact(for: current) { return runtime }
            candidate = current.pointee.tp_base
        }
        return nil
    }
}

// The slot functions are global functions, not closures stored in globals: converted to C
// function pointers they are constants, with no lazy initialisation to check on each call. They
// reach their runtime unretained (`_withUnsafeGuaranteedRef`): a retain and release of a runtime
// shared by every thread would be two atomic operations on one cache line per call.

/// `tp_alloc`: pops a parked instance of exactly this type, else allocates a new one.
func pyclassAlloc(_ type: UnsafeMutablePointer<PyTypeObject>?, _ items: Int) -> PyObjectPointer? {
    guard let type else { return nil }
    guard items == 0, let runtime = PyClassRuntime.exact(for: type) else { return PyType_GenericAlloc(type, items) }
    return runtime._withUnsafeGuaranteedRef { runtime in
        guard let freeList = runtime.hotFreeList else { return PyType_GenericAlloc(type, items) }
        guard let object = freeList.pop() else {
            let object = PyType_GenericAlloc(type, items)
            if let object { runtime.hotCanaries?._withUnsafeGuaranteedRef { $0.markAllocated(object) } }
            return object
        }
        runtime.hotCanaries?._withUnsafeGuaranteedRef { $0.checkOut(object) }
        // The object's previous life left its state destroyed; start from zeroes (the
        // initialisation mark and the state), as PyType_GenericAlloc does. The header is reset
        // by PyObject_Init below (owner thread, reference counts, GC bits); it takes no
        // reference to the type, which is static.
        (UnsafeMutableRawPointer(object) + runtime.initializationMarkOffset)
            .initializeMemory(as: UInt8.self, repeating: 0, count: runtime.basicSize - runtime.initializationMarkOffset)
        PyObject_Init(object, type)
        if runtime.hasGarbageCollection { PyObject_GC_Track(object) }
        return object
    }
}

/// `tp_dealloc`: destroys the Swift state, then parks the memory or frees it.
func pyclassDealloc(_ object: PyObjectPointer?) {
    guard let object else { return }
    let type: UnsafeMutablePointer<PyTypeObject> = pck_type(object)
    if pck_type_has_gc(type) != 0 { PyObject_GC_UnTrack(object) }
    guard let runtime = PyClassRuntime.nearest(to: type) else {
        fatalError("PyClassKit: tp_dealloc called for a type it did not make: \(typeName(of: object))")
    }
    runtime._withUnsafeGuaranteedRef { runtime in
        // A subclass instance whose __init__ never made the state has nothing to destroy.
        if !runtime.stateIsTrivial, runtime.hasState(object) { runtime.destroyState(runtime.state(of: object)) }
        // Only instances of exactly this type are parked: a subclass's instances have another
        // size and another deallocator chain.
        if type == runtime.type, let freeList = runtime.hotFreeList {
            runtime.hotCanaries?._withUnsafeGuaranteedRef { $0.checkIn(object) }
            if let surplus = freeList.push(object) { runtime.freeMemory(of: surplus) }
        } else {
            type.pointee.tp_free(object)
        }
    }
    // No type reference to drop: PyClassKit types are static, so their instances hold none, and
    // a Python subclass's subtype_dealloc drops the reference its instances hold.
}

/// `tp_new`. For the class itself (`type.__call__(Point, ...)`, `Point.__new__(Point, ...)`):
/// converts the arguments, then allocates through `tp_alloc` and stores the state, marked
/// ``InitializationMark/readyAwaitingInit``. For a Python subclass: only allocates, leaving the
/// state to `tp_init` (the subclass's `super().__init__(...)`), so that the subclass's own
/// `__init__` may take other arguments; the arguments are not looked at here.
func pyclassNew(_ subtype: UnsafeMutablePointer<PyTypeObject>?, _ args: PyObjectPointer?,
                _ kwargs: PyObjectPointer?) -> PyObjectPointer? {
    guard let subtype, let args, let runtime = PyClassRuntime.nearest(to: subtype) else {
        PyErr_SetString(pck_exc_system_error(), "PyClassKit: tp_new called for a type it did not make")
        return nil
    }
    return runtime._withUnsafeGuaranteedRef { runtime in
        guard subtype == runtime.type else {
            // Zeroed memory: the mark reads `uninitialized`.
            return subtype.pointee.tp_alloc(subtype, 0)
        }
        let keywords: PyArguments.Keywords = kwargs.map { .dictionary($0) } ?? .none
        guard let object = runtime.construct(subtype, pck_tuple_items(args), pck_tuple_size(args), keywords) else {
            return nil
        }
        runtime.initializationMark(of: object).pointee.store(InitializationMark.readyAwaitingInit.rawValue, ordering: .releasing)
        return object
    }
}

/// `tp_init`: makes the state of a Python subclass's instance from the class's arguments
/// (`super().__init__(x, y)`, or `type.__call__` for a subclass that does not define `__init__`).
/// On an instance whose state exists it raises `TypeError` and leaves the state as it is (the
/// class is immutable), except once right after `tp_new` made an instance of the class itself
/// (see ``InitializationMark/readyAwaitingInit``).
func pyclassInit(_ object: PyObjectPointer?, _ args: PyObjectPointer?, _ kwargs: PyObjectPointer?) -> Int32 {
    guard let object, let args, let runtime = PyClassRuntime.nearest(to: pck_type(object)) else {
        PyErr_SetString(pck_exc_system_error(), "PyClassKit: tp_init called for a type it did not make")
        return -1
    }
    return runtime._withUnsafeGuaranteedRef { runtime in
        let mark = runtime.initializationMark(of: object)
        let expected: InitializationMark = pck_type(object) == runtime.type ? .readyAwaitingInit : .uninitialized
        let (claimed, found) = mark.pointee.compareExchange(
            expected: expected.rawValue,
            desired: expected == .readyAwaitingInit ? InitializationMark.ready.rawValue : InitializationMark.initializing.rawValue,
            ordering: .acquiring)
        guard claimed else {
            let message = found == InitializationMark.initializing.rawValue
                ? "\(runtime.pythonName).__init__() called while another thread initializes the same \(typeName(of: object)) object"
                : "\(runtime.pythonName).__init__() called on an initialized \(typeName(of: object)) object: \(runtime.pythonName) objects are immutable"
            PyError.typeError(message).raise()
            return -1
        }
        if expected == .readyAwaitingInit { return 0 }
        let keywords: PyArguments.Keywords = kwargs.map { .dictionary($0) } ?? .none
        let made = runtime.initializeState(runtime.state(of: object), pck_tuple_items(args), pck_tuple_size(args), keywords)
        mark.pointee.store((made ? InitializationMark.ready : .uninitialized).rawValue, ordering: .releasing)
        return made ? 0 : -1
    }
}

/// The type's `tp_vectorcall`: `Point(1.0, 2.0)` without an argument tuple, `tp_new` and
/// `tp_init` in one for the exact class (whose `__init__` cannot be replaced: the type is
/// immutable); the instance's initialisation mark is never written (see ``InitializationMark``).
/// CPython does not inherit it; should a subclass ever reach it, the call takes the classic path
/// (`tp_new`, then `tp_init`).
func pyclassVectorcall(_ callable: PyObjectPointer?, _ args: UnsafePointer<PyObjectPointer?>?, _ nargsf: Int,
                       _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
    guard let callable else { return nil }
    let type = UnsafeMutableRawPointer(callable).assumingMemoryBound(to: PyTypeObject.self)
    guard let runtime = PyClassRuntime.exact(for: type) else {
        return pck_type_call_classic(callable, args, nargsf, kwnames)
    }
    // Keyword values follow the positional ones in `args`.
    let keywords: PyArguments.Keywords = kwnames.map { .names($0, values: args!) } ?? .none
    return runtime._withUnsafeGuaranteedRef { $0.construct(type, args, pck_vectorcall_nargs(nargsf), keywords) }
}

/// `tp_repr`.
func pyclassRepr(_ object: PyObjectPointer?) -> PyObjectPointer? {
    guard let object, let runtime = PyClassRuntime.nearest(to: pck_type(object)) else { return nil }
    return runtime._withUnsafeGuaranteedRef { runtime in
        do throws(PyError) {
            return runtime.repr(try runtime.existingState(of: object))
        } catch {
            error.raise()
            return nil
        }
    }
}

/// `tp_traverse`: the state's references. Not the type: PyClassKit types are static (only heap
/// types' instances visit their type; a Python subclass's subtype_traverse visits its own).
func pyclassTraverse(_ object: PyObjectPointer?, _ visit: visitproc?, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let object, let visit, let runtime = PyClassRuntime.nearest(to: pck_type(object)) else { return 0 }
    return runtime._withUnsafeGuaranteedRef { runtime in
        guard runtime.hasState(object) else { return 0 }
        return runtime.traverse(runtime.state(of: object), PyVisitor(function: visit, argument: argument))
    }
}

/// `tp_clear`.
func pyclassClear(_ object: PyObjectPointer?) -> Int32 {
    guard let object, let runtime = PyClassRuntime.nearest(to: pck_type(object)) else { return 0 }
    runtime._withUnsafeGuaranteedRef { runtime in
        if runtime.hasState(object) { runtime.clear(runtime.state(of: object)) }
    }
    return 0
}

/// The getter of every attribute; `closure` is the attribute's ``AttributeBox``.
let attributeGetter: getter = { object, closure in
    guard let object, let closure else { return nil }
    do throws(PyError) {
        return try Unmanaged<AttributeBox>.fromOpaque(closure).takeUnretainedValue().get(object)
    } catch {
        error.raise()
        return nil
    }
}
