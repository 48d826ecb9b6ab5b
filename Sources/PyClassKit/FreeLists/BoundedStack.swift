/// A LIFO stack of up to `capacity` parked objects and its counters: the list that the locked
/// strategies share (``GILFreeList``, ``MutexFreeList``, ``PyMutexFreeList``), each behind its
/// own lock.
///
/// Not synchronised: its owner serialises every call (a lock, or the GIL). Objects go in and
/// out as ``ParkedObject``s: ownership moves with them, from the parking thread to the popping one. A capacity of N holds
/// exactly N objects (PyO3's list held N - 1). The counters are plain integers under the same
/// lock, so counting costs no atomic operation.
@usableFromInline
struct BoundedStack: ~Copyable {
    @usableFromInline let capacity: Int
    /// `capacity` slots, allocated once; `0..<count` hold parked objects, the most recent last.
    @usableFromInline let slots: UnsafeMutablePointer<ParkedObject>
    @usableFromInline var count = 0
    @usableFromInline var hits = 0
    @usableFromInline var misses = 0
    @usableFromInline var overflows = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a freelist's capacity must be positive")
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
    }

    deinit { slots.deallocate() }

    /// The most recently parked object, or `nil` when none is parked.
    @inlinable @inline(__always)
    mutating func pop() -> ParkedObject? {
        guard count > 0 else {
            misses &+= 1
            return nil
        }
        count -= 1
        hits &+= 1
        return slots[count]
    }

    /// Parks `object`; returns it back (for the caller to free) when the stack is full.
    @inlinable @inline(__always)
    mutating func push(_ object: ParkedObject) -> ParkedObject? {
        guard count < capacity else {
            overflows &+= 1
            return object
        }
        slots[count] = object
        count += 1
        return nil
    }

    /// Removes and returns every parked object.
    mutating func removeAll() -> [PyObjectPointer] {
        defer { count = 0 }
        return UnsafeBufferPointer(start: slots, count: count).map(\.pointer)
    }

    /// The counters, as a list of strategy `strategy` reports them.
    func statistics(strategy: String) -> FreeListStatistics {
        FreeListStatistics(strategy: strategy, capacity: capacity, cached: count, hits: hits, misses: misses,
                           overflows: overflows)
    }
}
