import CPythonShim
import Synchronization

// The C slot functions every PyClassKit type shares: the hot paths (`tp_vectorcall`,
// `tp_alloc` and `tp_dealloc` run once per instance) and the rest. Each finds its class from the
// type object itself: the hot paths read its ``PyClassHotPath``, the rest its runtime.
//
// The slot functions are global functions, not closures stored in globals: converted to C
// function pointers they are constants, with no lazy initialisation to check on each call.

extension PyClassRuntime {
    /// The runtime of `type` or of its nearest PyClassKit base, unretained: runtimes live for
    /// the rest of the process (``makeType(module:)``).
    @inline(__always)
    static func nearest(to type: UnsafeMutablePointer<PyTypeObject>) -> Unmanaged<PyClassRuntime>? {
        PyClassHotPath.nearest(to: type)?.pointee.runtime
    }

    /// The runtime of `type` itself, if PyClassKit made it (not for subclasses of such types).
    static func exact(for type: UnsafeMutablePointer<PyTypeObject>) -> Unmanaged<PyClassRuntime>? {
        PyClassHotPath.exact(for: type)?.pointee.runtime
    }
}

/// The type's `tp_vectorcall`: `Point(1.0, 2.0)` without an argument tuple, `tp_new` and
/// `tp_init` in one for the exact class (whose `__init__` cannot be replaced: the type is
/// immutable): one call into the class's own constructor, specialised in its module
/// (``PyClass/_makeInstance(_:positional:count:keywords:)``). The instance's initialisation mark
/// is never read (see ``InitializationMark``). CPython does not inherit `tp_vectorcall`; should
/// a subclass ever reach it, the call takes the classic path (`tp_new`, then `tp_init`).
func pyclassVectorcall(_ callable: PyObjectPointer?, _ args: UnsafePointer<PyObjectPointer?>?, _ nargsf: Int,
                       _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
    let type = UnsafeMutableRawPointer(callable.unsafelyUnwrapped).assumingMemoryBound(to: PyTypeObject.self)
    guard let hotPath = PyClassHotPath.exact(for: type) else { return callClassically(callable, args, nargsf, kwnames) }
    // Keyword values follow the positional ones in `args`.
    let keywords: PyArguments.Keywords = kwnames.map { .names($0, values: args.unsafelyUnwrapped) } ?? .none
    return hotPath.pointee.classType._makeInstance(hotPath, positional: args, count: vectorcallArgumentCount(nargsf),
                                                   keywords: keywords)
}

/// `type.__call__` with a vectorcall's arguments, out of line: the hot path keeps no registers
/// for it.
@inline(never)
private func callClassically(_ callable: PyObjectPointer?, _ args: UnsafePointer<PyObjectPointer?>?, _ nargsf: Int,
                             _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
    pck_type_call_classic(callable, args, nargsf, kwnames)
}

/// `tp_alloc`: for exactly the class, a parked instance or a new one (its state to be made by
/// the caller); for a subclass, `PyType_GenericAlloc` (zeroed: its mark reads `uninitialized`).
func pyclassAlloc(_ type: UnsafeMutablePointer<PyTypeObject>?, _ items: Int) -> PyObjectPointer? {
    guard let type else { return nil }
    guard items == 0, let hotPath = PyClassHotPath.exact(for: type) else { return PyType_GenericAlloc(type, items) }
    return hotPath.allocateInstance()
}

/// `tp_dealloc`: destroys the Swift state, then parks the memory or frees it. The common cases of
/// a plain class (``PyClassHotPath/deallocatesByFreeing``) and of a fast freelist
/// (``PyClassHotPath/fastFreeList``) come first, on a path that needs no stack frame;
/// everything else is ``deallocate(_:_:)``.
func pyclassDealloc(_ object: PyObjectPointer?) {
    let object = object.unsafelyUnwrapped
    let type = pck_type(object).unsafelyUnwrapped  // every object has a type
    guard let hotPath = PyClassHotPath.exact(for: type) else { return deallocateSubclassInstance(object, of: type) }
    if hotPath.pointee.deallocatesByFreeing { return PyObject_Free(object) }
    if hotPath.pointee.fastFreeList?.pushToCache(object) == true { return }
    deallocate(object, hotPath)
}

/// `tp_dealloc` of an instance of exactly the class, but for its first cases.
@inline(never)
private func deallocate(_ object: PyObjectPointer, _ hotPath: UnsafeMutablePointer<PyClassHotPath>) {
    if hotPath.pointee.hasGarbageCollection { PyObject_GC_UnTrack(object) }
    if hotPath.pointee.weakListOffset != 0, pck_weaklist(object) != nil { PyObject_ClearWeakRefs(object) }
    if !hotPath.pointee.stateIsTrivial {
        hotPath.pointee.classType._destroyState(at: UnsafeMutableRawPointer(object) + hotPath.pointee.stateOffset)
    }
    if let freeList = hotPath.pointee.freeList {
        hotPath.pointee.canaries?._withUnsafeGuaranteedRef { $0.checkIn(object) }
        if let surplus = freeList.push(object) { hotPath.freeMemory(of: surplus) }
    } else {
        hotPath.freeMemory(of: object)
    }
    // No type reference to drop: PyClassKit types are static, so their instances hold none.
}

/// `tp_dealloc` for an instance of a Python subclass (called by its `subtype_dealloc`, which
/// drops the reference its instance holds to its heap type): destroys the state if its
/// `__init__` made it, then frees the memory. Subclass instances never enter the freelist: they
/// have another size and another deallocator chain.
@inline(never)
private func deallocateSubclassInstance(_ object: PyObjectPointer, of type: UnsafeMutablePointer<PyTypeObject>) {
    if pck_type_has_gc(type) != 0 { PyObject_GC_UnTrack(object) }
    guard let hotPath = PyClassHotPath.nearest(to: type) else {
        fatalError("PyClassKit: tp_dealloc called for a type it did not make: \(typeName(of: object))")
    }
    // subtype_dealloc clears the weak references only of a list the subclass added itself.
    if hotPath.pointee.weakListOffset != 0, pck_weaklist(object) != nil { PyObject_ClearWeakRefs(object) }
    if !hotPath.pointee.stateIsTrivial, hotPath.pointee.runtime._withUnsafeGuaranteedRef({ $0.hasState(object) }) {
        hotPath.pointee.classType._destroyState(at: UnsafeMutableRawPointer(object) + hotPath.pointee.stateOffset)
    }
    type.pointee.tp_free(object)
}

/// `tp_new`. For the class itself (`type.__call__(Point, ...)`, `Point.__new__(Point, ...)`):
/// converts the arguments, then takes an instance (freelist or allocator) and stores the state, marked
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
        guard let object = runtime.hotPath.pointee.classType._makeInstance(
            runtime.hotPath, positional: pck_tuple_items(args), count: pck_tuple_size(args), keywords: keywords) else {
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
        let made = runtime.hotPath.pointee.classType._initializeState(
            at: runtime.state(of: object), signature: runtime.hotPath.pointee.signature,
            positional: pck_tuple_items(args), count: pck_tuple_size(args), keywords: keywords)
        mark.pointee.store((made ? InitializationMark.ready : .uninitialized).rawValue, ordering: .releasing)
        return made ? 0 : -1
    }
}

/// `tp_repr`.
func pyclassRepr(_ object: PyObjectPointer?) -> PyObjectPointer? {
    guard let object, let runtime = PyClassRuntime.nearest(to: pck_type(object)) else { return nil }
    return runtime._withUnsafeGuaranteedRef { runtime in
        do throws(PyError) {
            return runtime.repr(try runtime.existingState(of: object), object)
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

/// The getter of every attribute; `closure` is the attribute's ``AttributeBox`` (its runtime
/// keeps it alive: reached without retaining it, which on 3.13t would write a reference count
/// every thread reading the attribute shares).
let attributeGetter: getter = { object, closure in
    guard let object, let closure else { return nil }
    return Unmanaged<AttributeBox>.fromOpaque(closure)._withUnsafeGuaranteedRef { box in
        do throws(PyError) {
            return try box.get(object)
        } catch {
            error.raise()
            return nil
        }
    }
}

/// The setter of every read-write attribute; `closure` is the attribute's ``AttributeBox``.
let attributeSetter: setter = { object, value, closure in
    guard let object, let closure else { return -1 }
    return Unmanaged<AttributeBox>.fromOpaque(closure)._withUnsafeGuaranteedRef { box in
        do throws(PyError) {
            try box.set?(object, value)
            return 0
        } catch {
            error.raise()
            return -1
        }
    }
}
