/// How a pyclass keeps the dead instances it may hand out again.
///
/// On a GIL build (no `Py_GIL_DISABLED`) every strategy but ``none`` makes a ``GILFreeList``:
/// the GIL already serialises every `tp_alloc` and `tp_dealloc`, so the list takes no lock. The
/// choice is made at compile time (`PYCLASSKIT_GIL_DISABLED`, set by `Package.swift`).
public enum FreeListStrategy: Sendable, Equatable, CustomStringConvertible {
    /// No freelist: every instance is allocated and freed through the type's allocator.
    case none
    /// A ``MutexFreeList`` of the given capacity (PyO3's fix of its freelist race).
    case mutex(capacity: Int)
    /// An ``UnsynchronizedFreeList``: PyO3's racy pre-0.23.5 list, for the reproduction harness
    /// only. Never use it in a real class.
    case unsynchronized(capacity: Int)
    /// A ``PerThreadFreeList``: a cache of `capacity` objects per thread plus a shared depot of
    /// 4 × `capacity`, like free-threaded CPython's own freelists. The recommended strategy: the
    /// only safe one that does not serialise threads (see the README's benchmarks).
    case perThread(capacity: Int)
    /// A ``PyMutexFreeList``: the ``mutex`` list behind CPython's one-byte `PyMutex`.
    case pyMutex(capacity: Int)
    /// A ``LockFreeFreeList``: a bounded lock-free LIFO (two tagged Treiber stacks of slots).
    case lockFree(capacity: Int)

    /// The name `freelist_stats()` reports: `"none"`, `"mutex"`, ...
    public var name: String {
        switch self {
        case .none: "none"
        case .mutex: "mutex"
        case .pyMutex: "pymutex"
        case .lockFree: "lockFree"
        case .unsynchronized: "unsynchronized"
        case .perThread: "perThread"
        }
    }

    /// The capacity the strategy asks for (0 for ``none``).
    public var capacity: Int {
        switch self {
        case .none: 0
        case .mutex(let capacity), .unsynchronized(let capacity): capacity
        case .pyMutex(let capacity), .lockFree(let capacity): capacity
        case .perThread(let capacity): capacity
        }
    }

    public var description: String { "\(name)(\(capacity))" }

    /// A new, empty freelist for one type object, or `nil` for ``none`` and zero capacities.
    public func makeFreeList() -> (any FreeList)? {
        precondition(capacity >= 0, "a freelist's capacity cannot be negative")
        guard capacity > 0 else { return nil }
        if case .unsynchronized(let capacity) = self { return UnsynchronizedFreeList(capacity: capacity) }
#if PYCLASSKIT_GIL_DISABLED
        switch self {
        case .none, .unsynchronized: return nil
        case .mutex(let capacity): return MutexFreeList(capacity: capacity)
        case .pyMutex(let capacity): return PyMutexFreeList(capacity: capacity)
        case .lockFree(let capacity): return LockFreeFreeList(capacity: capacity)
        case .perThread(let capacity): return PerThreadFreeList(capacity: capacity)
        }
#else
        return GILFreeList(strategy: name, capacity: capacity)
#endif
    }
}
