/// The catalogue of freelist strategies: every kind of list a class can choose, and its spelling.
///
/// Everything else reads the catalogue instead of listing the strategies again: the example
/// modules' `freelist_strategies()` (``PyFunction/freeListStrategies(classes:)``), and through
/// it scripts/repro, scripts/bench and the tests. To add a strategy:
/// 1. write its ``FreeList`` in `FreeLists/Strategies/` (the hot path calls it through its
///    existential; for the speed of the others, give it a case in ``UnretainedFreeList``'s
///    dispatch, which calls the lists by their concrete types);
/// 2. add its entry below, to ``FreeListStrategy/Kind/all`` and its spelling to ``FreeListStrategy``;
/// 3. declare its example classes, one line each, and list them: `Examples/Points/StrategyPoints.swift`
///    (plain and checked), `Examples/FreeListMatrix/` (one per kind of object). A missing one
///    fails `tests/test_freelist_strategies.py`.
extension FreeListStrategy.Kind {
    /// Every kind, in the order tables list them: no freelist, then the safe lists, then the racy one.
    public static let all: [Self] = [.none, .mutex, .pyMutex, .perThread, .lockFree, .unsynchronized]

    /// No freelist: every instance is allocated and freed through the type's allocator.
    public static let none = Self(name: "none", title: "no freelist", makeList: nil)

    /// ``MutexFreeList``: a stack behind a `Synchronization.Mutex` (PyO3's fix of its freelist race).
    public static let mutex = Self(name: "mutex", title: "mutex") { MutexFreeList(capacity: $0) }

    /// ``PyMutexFreeList``: the ``mutex`` stack behind CPython's one-byte `PyMutex`.
    public static let pyMutex = Self(name: "pymutex", title: "PyMutex") { capacity in
#if PYCLASSKIT_GIL_DISABLED
        PyMutexFreeList(capacity: capacity)
#else
        madeOnFreeThreadedBuildsOnly()
#endif
    }

    /// ``PerThreadFreeList``: a cache per thread plus a shared depot, like free-threaded CPython's
    /// own freelists. The recommended strategy: the only safe one that does not serialise threads
    /// (see the README's benchmarks).
    public static let perThread = Self(name: "perThread", title: "per-thread") { capacity in
#if PYCLASSKIT_GIL_DISABLED
        PerThreadFreeList(capacity: capacity)
#else
        madeOnFreeThreadedBuildsOnly()
#endif
    }

    /// ``LockFreeFreeList``: a bounded lock-free LIFO (two tagged Treiber stacks of slots).
    public static let lockFree = Self(name: "lockFree", title: "lock-free") { LockFreeFreeList(capacity: $0) }

    /// ``UnsynchronizedFreeList``: PyO3's racy pre-0.23.5 list, for the reproduction harness only.
    /// Never use it in a real class.
    public static let unsynchronized = Self(name: "unsynchronized", title: "unsynchronised", isSafe: false) {
        UnsynchronizedFreeList(capacity: $0)
    }
}

extension FreeListStrategy {
    /// No freelist: every instance is allocated and freed through the type's allocator.
    public static let none = Self(.none, capacity: 0)

    /// A ``MutexFreeList`` of the given capacity (PyO3's fix of its freelist race).
    public static func mutex(capacity: Int) -> Self { Self(.mutex, capacity: capacity) }

    /// A ``PyMutexFreeList``: the ``mutex(capacity:)`` list behind CPython's one-byte `PyMutex`.
    public static func pyMutex(capacity: Int) -> Self { Self(.pyMutex, capacity: capacity) }

    /// A ``PerThreadFreeList``: a cache of `capacity` objects per thread plus a shared depot of
    /// 4 × `capacity`, like free-threaded CPython's own freelists. The recommended strategy.
    public static func perThread(capacity: Int) -> Self { Self(.perThread, capacity: capacity) }

    /// A ``LockFreeFreeList``: a bounded lock-free LIFO (two tagged Treiber stacks of slots).
    public static func lockFree(capacity: Int) -> Self { Self(.lockFree, capacity: capacity) }

    /// An ``UnsynchronizedFreeList``: PyO3's racy pre-0.23.5 list, for the reproduction harness
    /// only. Never use it in a real class.
    public static func unsynchronized(capacity: Int) -> Self { Self(.unsynchronized, capacity: capacity) }
}

#if !PYCLASSKIT_GIL_DISABLED
/// What the entries of lists that need a free-threaded interpreter (they are not compiled on a GIL
/// build) make on a GIL build: nothing, since a GIL build makes a ``GILFreeList`` for every safe kind.
private func madeOnFreeThreadedBuildsOnly() -> Never {
    preconditionFailure("PyClassKit: a GIL build makes a GILFreeList for every safe freelist strategy")
}
#endif
