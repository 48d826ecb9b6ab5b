/// The freelist of every strategy on a GIL build: a fixed-capacity LIFO stack with no lock.
///
/// On an interpreter built without `Py_GIL_DISABLED`, `tp_alloc` and `tp_dealloc` run only
/// with the GIL held, so the GIL serialises every call into the list. ``FreeListStrategy``
/// picks this type at compile time on such builds; it never exists in a free-threaded build.
public final class GILFreeList: FreeList, @unchecked Sendable {
    // @unchecked: every caller holds the GIL (see above), which orders all accesses.
    public let capacity: Int
    private let strategy: String
    private let slots: UnsafeMutablePointer<PyObjectPointer>
    private var count = 0
    private var hits = 0
    private var misses = 0
    private var overflows = 0

    /// Creates an empty list that holds up to `capacity` objects and reports `strategy` as its
    /// strategy's name.
    public init(strategy: String, capacity: Int) {
        precondition(capacity > 0, "a freelist's capacity must be positive")
        self.strategy = strategy
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
    }

    deinit { slots.deallocate() }

    public func pop() -> PyObjectPointer? {
        guard count > 0 else {
            misses &+= 1
            return nil
        }
        count -= 1
        hits &+= 1
        return slots[count]
    }

    public func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        guard count < capacity else {
            overflows &+= 1
            return object
        }
        slots[count] = object
        count += 1
        return nil
    }

    public func removeAll() -> [PyObjectPointer] {
        defer { count = 0 }
        return Array(UnsafeBufferPointer(start: slots, count: count))
    }

    public func statistics() -> FreeListStatistics {
        FreeListStatistics(strategy: strategy, capacity: capacity, cached: count, hits: hits,
                           misses: misses, overflows: overflows)
    }
}
