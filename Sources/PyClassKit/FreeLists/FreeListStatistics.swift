import CPythonShim

/// Counters of a freelist, as `freelist_stats(cls)` reports them.
public struct FreeListStatistics: Sendable, Equatable {
    /// The strategy's name (`"mutex"`, ...).
    public var strategy: String
    /// The capacity the class declared (``FreeListStrategy/capacity``): for a single list the
    /// most objects it holds, for ``PerThreadFreeList`` the most each thread's cache holds.
    public var capacity: Int
    /// The most objects the list can hold at this moment, all threads together: ``capacity``
    /// for a single list; for ``PerThreadFreeList`` the caches of the threads that have one,
    /// plus the depot, plus the surplus of exited threads' objects it holds. `cached` never
    /// exceeds it, and reaches it once more objects die than it holds.
    public var limit: Int
    /// Objects parked now.
    public var cached: Int
    /// Allocations served from the list.
    public var hits: Int
    /// Allocations that found the list empty.
    public var misses: Int
    /// Deallocations that found the list full (the object was freed).
    public var overflows: Int
    /// Slot accesses outside the list's storage (only ``UnsynchronizedFreeList`` can make any).
    public var readsPastEnd: Int
    /// Pops that found the slot below the split empty: PyO3's list panics there ("FreeList is
    /// corrupt"); only ``UnsynchronizedFreeList`` can make any.
    public var emptySlotReads: Int
    /// Whether the class checks its freelist with canaries (``PyClass/freeListCanaries``).
    public var canaries = false
    /// Objects handed out while not parked (canaries only).
    public var handedOutTwice = 0
    /// Objects parked while not in use (canaries only).
    public var parkedTwice = 0

    /// Every misuse seen: ``readsPastEnd`` + ``emptySlotReads`` + ``handedOutTwice`` + ``parkedTwice``.
    public var violations: Int { readsPastEnd + emptySlotReads + handedOutTwice + parkedTwice }

    /// Counters of a list; `limit` defaults to `capacity` (a single list).
    public init(strategy: String, capacity: Int, limit: Int? = nil, cached: Int, hits: Int, misses: Int,
                overflows: Int, readsPastEnd: Int = 0, emptySlotReads: Int = 0) {
        self.strategy = strategy
        self.capacity = capacity
        self.limit = limit ?? capacity
        self.cached = cached
        self.hits = hits
        self.misses = misses
        self.overflows = overflows
        self.readsPastEnd = readsPastEnd
        self.emptySlotReads = emptySlotReads
    }
}
