/// A runtime's freelist as the hot paths call it: unretained, and dispatched by a switch over the
/// concrete list types instead of through an existential.
///
/// Calling a method on an `any FreeList` loaded from the runtime costs a retain and a release of
/// the list: two atomic operations on one cache line that every thread allocating the class
/// shares, on every allocation and every deallocation. Here the list is an unretained address
/// with a one-byte tag naming its type, and the call borrows it (`_withUnsafeGuaranteedRef`).
/// That is safe because the runtime owns the list (``PyClassRuntime``'s `freeList`) and lives for
/// the rest of the process. (A plain tag and address, not an enum with `Unmanaged` payloads: the
/// compiler packs those into spare pointer bits, which every call would shift and mask out.)
///
/// A list type without a case of its own (a new strategy) works through its existential,
/// ``Kind/other``: correct, at the cost of a dynamic cast per call, until it is given a case.
struct UnretainedFreeList {
    /// The list's concrete type.
    private enum Kind: UInt8 {
#if PYCLASSKIT_GIL_DISABLED
        case perThread, mutex, pyMutex, lockFree
#else
        case gil
#endif
        case unsynchronized
        /// Any other ``FreeList``, called through its existential.
        case other
    }

    private let kind: Kind
    private let list: UnsafeMutableRawPointer

    /// The unretained form of `list`, one of the lists ``FreeListStrategy/makeFreeList()`` makes.
    init(_ list: any FreeList) {
        switch list {
#if PYCLASSKIT_GIL_DISABLED
        case is PerThreadFreeList: kind = .perThread
        case is MutexFreeList: kind = .mutex
        case is PyMutexFreeList: kind = .pyMutex
        case is LockFreeFreeList: kind = .lockFree
#else
        case is GILFreeList: kind = .gil
#endif
        case is UnsynchronizedFreeList: kind = .unsynchronized
        default: kind = .other
        }
        self.list = Unmanaged.passUnretained(list as AnyObject).toOpaque()
    }

    /// The list, borrowed for the length of `body`, as `type`.
    @inline(__always)
    private func with<List: FreeList, R>(_ type: List.Type, _ body: (List) -> R) -> R {
        Unmanaged<List>.fromOpaque(list)._withUnsafeGuaranteedRef(body)
    }

    /// The list, borrowed for the length of `body`, as an existential (``Kind/other``).
    @inline(never)
    private func withExistential<R>(_ body: (any FreeList) -> R) -> R {
        Unmanaged<AnyObject>.fromOpaque(list)._withUnsafeGuaranteedRef { body($0 as! any FreeList) }
    }

    /// ``FreeList/pop()`` of the list.
    @inline(__always)
    func pop() -> PyObjectPointer? {
        switch kind {
#if PYCLASSKIT_GIL_DISABLED
        case .perThread: with(PerThreadFreeList.self) { $0.pop() }
        case .mutex: with(MutexFreeList.self) { $0.pop() }
        case .pyMutex: with(PyMutexFreeList.self) { $0.pop() }
        case .lockFree: with(LockFreeFreeList.self) { $0.pop() }
#else
        case .gil: with(GILFreeList.self) { $0.pop() }
#endif
        case .unsynchronized: with(UnsynchronizedFreeList.self) { $0.pop() }
        case .other: withExistential { $0.pop() }
        }
    }

    /// ``FreeList/push(_:)`` of the list.
    @inline(__always)
    func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        switch kind {
#if PYCLASSKIT_GIL_DISABLED
        case .perThread: with(PerThreadFreeList.self) { $0.push(object) }
        case .mutex: with(MutexFreeList.self) { $0.push(object) }
        case .pyMutex: with(PyMutexFreeList.self) { $0.push(object) }
        case .lockFree: with(LockFreeFreeList.self) { $0.push(object) }
#else
        case .gil: with(GILFreeList.self) { $0.push(object) }
#endif
        case .unsynchronized: with(UnsynchronizedFreeList.self) { $0.push(object) }
        case .other: withExistential { $0.push(object) }
        }
    }
}
