/// A runtime's freelist as the hot paths call it: unretained, and dispatched by a switch over the
/// concrete list types instead of through an existential.
///
/// Calling a method on an `any FreeList` loaded from the runtime costs a retain and a release of
/// the list: two atomic operations on one cache line that every thread allocating the class
/// shares, on every allocation and every deallocation. Here each case holds an `Unmanaged`
/// reference, and the call borrows it (`_withUnsafeGuaranteedRef`). That is safe because the
/// runtime owns the list (``PyClassRuntime``'s `freeList`) and lives for the rest of the process.
enum UnretainedFreeList {
#if PYCLASSKIT_GIL_DISABLED
    case mutex(Unmanaged<MutexFreeList>)
    case pyMutex(Unmanaged<PyMutexFreeList>)
    case perThread(Unmanaged<PerThreadFreeList>)
    case lockFree(Unmanaged<LockFreeFreeList>)
#else
    case gil(Unmanaged<GILFreeList>)
#endif
    case unsynchronized(Unmanaged<UnsynchronizedFreeList>)

    /// The unretained form of `list`, one of the lists ``FreeListStrategy/makeFreeList()`` makes.
    init(_ list: any FreeList) {
        switch list {
#if PYCLASSKIT_GIL_DISABLED
        case let list as MutexFreeList: self = .mutex(.passUnretained(list))
        case let list as PyMutexFreeList: self = .pyMutex(.passUnretained(list))
        case let list as PerThreadFreeList: self = .perThread(.passUnretained(list))
        case let list as LockFreeFreeList: self = .lockFree(.passUnretained(list))
#else
        case let list as GILFreeList: self = .gil(.passUnretained(list))
#endif
        case let list as UnsynchronizedFreeList: self = .unsynchronized(.passUnretained(list))
        default: preconditionFailure("PyClassKit: no fast path for freelist type \(type(of: list))")
        }
    }

    /// ``FreeList/pop()`` of the list.
    @inline(__always)
    func pop() -> PyObjectPointer? {
        switch self {
#if PYCLASSKIT_GIL_DISABLED
        case .mutex(let list): list._withUnsafeGuaranteedRef { $0.pop() }
        case .pyMutex(let list): list._withUnsafeGuaranteedRef { $0.pop() }
        case .perThread(let list): list._withUnsafeGuaranteedRef { $0.pop() }
        case .lockFree(let list): list._withUnsafeGuaranteedRef { $0.pop() }
#else
        case .gil(let list): list._withUnsafeGuaranteedRef { $0.pop() }
#endif
        case .unsynchronized(let list): list._withUnsafeGuaranteedRef { $0.pop() }
        }
    }

    /// ``FreeList/push(_:)`` of the list.
    @inline(__always)
    func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        switch self {
#if PYCLASSKIT_GIL_DISABLED
        case .mutex(let list): list._withUnsafeGuaranteedRef { $0.push(object) }
        case .pyMutex(let list): list._withUnsafeGuaranteedRef { $0.push(object) }
        case .perThread(let list): list._withUnsafeGuaranteedRef { $0.push(object) }
        case .lockFree(let list): list._withUnsafeGuaranteedRef { $0.push(object) }
#else
        case .gil(let list): list._withUnsafeGuaranteedRef { $0.push(object) }
#endif
        case .unsynchronized(let list): list._withUnsafeGuaranteedRef { $0.push(object) }
        }
    }
}
