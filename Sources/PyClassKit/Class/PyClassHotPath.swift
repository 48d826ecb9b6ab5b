import CPythonShim
import Synchronization

/// What the per-instance slot functions of one class read (`tp_vectorcall`, `tp_alloc`,
/// `tp_dealloc`): the layout of its instances, its freelist and the conformance that constructs
/// them, in plain memory that its type object points to (`PCKTypeObject`).
///
/// Written once, while the type is made, and only read afterwards, by every thread. Reading it
/// takes no reference counting (retaining an object that every thread shares would be an atomic
/// write to one cache line per call), calls no closure, and decides nothing per call that was
/// fixed when the type was made. Never freed: the type, a static type, lives as long as the
/// process.
@usableFromInline
struct PyClassHotPath {
    /// The type object; set by ``PyClassRuntime/makeType(module:)`` right after it is made.
    @usableFromInline var type: UnsafeMutablePointer<PyTypeObject>?
    /// The class: its conformance holds the constructor specialised for it
    /// (``PyClass/_makeInstance(_:positional:count:keywords:)``).
    let classType: any PyClass.Type
    /// The constructor's signature, at a stable address (read in place: no retains).
    @usableFromInline let signature: UnsafePointer<PySignature>
    /// Offset of the Swift state from the start of the object.
    @usableFromInline let stateOffset: Int
    /// Offset of the ``InitializationMark``.
    @usableFromInline let markOffset: Int
    /// Offset of the weak-reference list (`tp_weaklistoffset`), or 0 if the class has none.
    let weakListOffset: Int
    /// Size of an instance: header, canary, mark and state.
    @usableFromInline let basicSize: Int
    /// The freelist of instances of exactly ``type``, unretained (its runtime owns it).
    let freeList: UnretainedFreeList?
    /// The freelist's misuse checks, when the class asked for them.
    let canaries: Unmanaged<FreeListCanaries>?
    /// The freelist, when it is a ``FastFreeList`` of a class with trivial state, no garbage
    /// collection and no canaries: the slot functions then try its cache first, on a path that
    /// checks nothing else and calls nothing but `PyObject_Init` (a tail call), so that it needs
    /// no stack frame. It holds plain values copied from the list (no reference to it).
    @usableFromInline let fastFreeList: FastFreeList.FastPath?
    /// Whether the class has no freelist, no garbage collection and trivial state: `tp_dealloc`
    /// is then `PyObject_Free` (a tail call, no stack frame).
    @usableFromInline let deallocatesByFreeing: Bool
    let hasGarbageCollection: Bool
    /// Whether destroying the state is a no-op (trivial Swift state, no Python references).
    let stateIsTrivial: Bool
    /// The class's runtime (everything that is not on the hot path), unretained.
    let runtime: Unmanaged<PyClassRuntime>

    /// The hot path of `type`, if PyClassKit made it (not for subclasses of such types).
    @inline(__always)
    static func exact(for type: UnsafeMutablePointer<PyTypeObject>) -> UnsafeMutablePointer<PyClassHotPath>? {
        guard isPyClassKitType(type) else { return nil }
        return of(UnsafeRawPointer(type)).assumingMemoryBound(to: PyClassHotPath.self)
    }

    /// The hot path of `type`, a type object PyClassKit made (a `PCKTypeObject`), read in Swift.
    @inlinable @inline(__always)
    static func of(_ type: UnsafeRawPointer) -> UnsafeMutableRawPointer {
        type.assumingMemoryBound(to: PCKTypeObject.self).pointee.hot_path.unsafelyUnwrapped
    }

    /// The hot path of `type` or of its nearest PyClassKit base.
    @inline(__always)
    static func nearest(to type: UnsafeMutablePointer<PyTypeObject>) -> UnsafeMutablePointer<PyClassHotPath>? {
        var candidate: UnsafeMutablePointer<PyTypeObject>? = type
        while let current = candidate {
            if let hotPath = exact(for: current) { return hotPath }
            candidate = current.pointee.tp_base
        }
        return nil
    }

    /// Whether PyClassKit made `type` itself (not a subclass of such a type): only its types
    /// have PyClassKit's `tp_dealloc` (a Python subclass's is `subtype_dealloc`).
    @inline(__always)
    static func isPyClassKitType(_ type: UnsafeMutablePointer<PyTypeObject>) -> Bool {
        // A global function converted to a C function pointer is a constant: no lazy global.
        unsafeBitCast(type.pointee.tp_dealloc, to: UnsafeRawPointer?.self)
            == unsafeBitCast(pyclassDealloc as destructor, to: UnsafeRawPointer.self)
    }
}

extension UnsafeMutablePointer where Pointee == PyClassHotPath {
    /// A new instance of exactly the class, its state not yet made: a parked instance if the
    /// freelist has one, else a new allocation; `nil` with an exception set when memory runs out.
    ///
    /// A reused instance gets a new header (`PyObject_Init`: the calling thread becomes its
    /// owner, reference counts and GC bits start afresh; no reference to the type, which is
    /// static) and a cleared initialisation mark. Its state keeps the bytes of its previous,
    /// destroyed, life, which the constructor overwrites at once, except in a garbage-collected
    /// class, whose state is zeroed before the object is tracked, as `PyType_GenericAlloc` does.
    @inlinable @inline(__always)
    func allocateInstance() -> PyObjectPointer? {
        let type = pointee.type.unsafelyUnwrapped
        if let object = pointee.fastFreeList?.popFromCache() {
            (UnsafeMutableRawPointer(object) + pointee.markOffset)
                .storeBytes(of: InitializationMark.uninitialized.rawValue, as: Int.self)
            return PyObject_Init(object, type)
        }
        // Inlined too: the constructor of a class without a freelist makes every instance here.
        if pointee.deallocatesByFreeing { return allocatePlainly() }
        return allocateInstanceSlowly()
    }

    /// ``allocateInstance()`` for a plain class (the counterpart of `deallocatesByFreeing`):
    /// PyType_GenericAlloc's work for a static, non-GC type of fixed size, less zeroing the state
    /// the constructor writes at once: the memory, a cleared mark, the header.
    @inlinable @inline(__always)
    func allocatePlainly() -> PyObjectPointer? {
        guard let memory = PyObject_Malloc(pointee.basicSize) else {
            PyErr_NoMemory()
            return nil
        }
        (memory + pointee.markOffset).storeBytes(of: InitializationMark.uninitialized.rawValue, as: Int.self)
        return PyObject_Init(memory.assumingMemoryBound(to: PyObject.self), pointee.type.unsafelyUnwrapped)
    }

    /// ``allocateInstance()`` but for its first case.
    @usableFromInline @inline(never)
    func allocateInstanceSlowly() -> PyObjectPointer? {
        let type = pointee.type.unsafelyUnwrapped
        if let freeList = pointee.freeList, let object = freeList.pop() {
            pointee.canaries?._withUnsafeGuaranteedRef { $0.checkOut(object) }
            let payload = UnsafeMutableRawPointer(object) + pointee.markOffset
            if pointee.hasGarbageCollection {
                payload.initializeMemory(as: UInt8.self, repeating: 0, count: pointee.basicSize - pointee.markOffset)
                PyObject_Init(object, type)
                PyObject_GC_Track(object)
            } else {
                payload.storeBytes(of: InitializationMark.uninitialized.rawValue, as: Int.self)
                if pointee.weakListOffset != 0 { clearWeakList(of: object) }
                PyObject_Init(object, type)
            }
            return object
        }
        let object: PyObjectPointer?
        if pointee.hasGarbageCollection {
            object = PyType_GenericAlloc(type, 0)
        } else {
            // PyType_GenericAlloc's work for a static, non-GC type of fixed size, less zeroing
            // the state the constructor writes at once: the memory, a cleared mark, the header.
            guard let memory = PyObject_Malloc(pointee.basicSize) else {
                PyErr_NoMemory()
                return nil
            }
            (memory + pointee.markOffset).storeBytes(of: InitializationMark.uninitialized.rawValue, as: Int.self)
            if pointee.weakListOffset != 0 { clearWeakList(of: memory.assumingMemoryBound(to: PyObject.self)) }
            object = PyObject_Init(memory.assumingMemoryBound(to: PyObject.self), type)
        }
        if let object { pointee.canaries?._withUnsafeGuaranteedRef { $0.markAllocated(object) } }
        return object
    }

    /// Empties the weak-reference list word of new (not zeroed) memory.
    private func clearWeakList(of object: PyObjectPointer) {
        (UnsafeMutableRawPointer(object) + pointee.weakListOffset).storeBytes(of: nil, as: UnsafeRawPointer?.self)
    }

    /// The state of `object`, an instance of this class or of a Python subclass, or the
    /// `TypeError` of a subclass instance whose `__init__` never made it (as
    /// ``PyClassRuntime/existingState(of:)``, with no reference to the runtime on the way).
    func existingState(of object: PyObjectPointer) throws(PyError) -> UnsafeMutableRawPointer {
        let state = UnsafeMutableRawPointer(object) + pointee.stateOffset
        if pck_type(object) == pointee.type { return state }
        let mark = (UnsafeMutableRawPointer(object) + pointee.markOffset).assumingMemoryBound(to: Atomic<Int>.self)
        guard mark.pointee.load(ordering: .acquiring) >= InitializationMark.ready.rawValue else {
            throw pointee.runtime.takeUnretainedValue().notInitialized(object)
        }
        return state
    }

    /// Returns an instance's memory to the allocator (`allocateInstance()`'s counterpart).
    @inline(__always)
    func freeMemory(of object: PyObjectPointer) {
        pointee.canaries?._withUnsafeGuaranteedRef { $0.markFreed(object) }
        if pointee.hasGarbageCollection { PyObject_GC_Del(object) } else { PyObject_Free(object) }
    }
}

/// ``allocateInstance()`` for the constructor, which is compiled in the class's own module
/// and inlines it there.
@inlinable @inline(__always)
func _allocateInstance(_ hotPath: UnsafeMutablePointer<PyClassHotPath>) -> PyObjectPointer? {
    hotPath.allocateInstance()
}

/// A vectorcall's number of positional arguments: `nargsf` without `PY_VECTORCALL_ARGUMENTS_OFFSET`
/// (its top bit), as `PyVectorcall_NARGS` computes it.
@inlinable @inline(__always)
func vectorcallArgumentCount(_ nargsf: Int) -> Int { nargsf & Int.max }

/// The freelist type the slot functions have a fast path for: the per-thread list on
/// free-threaded builds (the recommended strategy), the lockless stack every strategy compiles
/// to on GIL builds. Its `FastPath`'s `popFromCache()` and `pushToCache(_:)` do the common case
/// alone and say when the full `pop()` or `push(_:)` must run instead.
#if PYCLASSKIT_GIL_DISABLED
@usableFromInline typealias FastFreeList = PerThreadFreeList
#else
@usableFromInline typealias FastFreeList = GILFreeList
#endif
