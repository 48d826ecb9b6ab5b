import Synchronization

/// PyO3's freelist before 0.23.5, replicated to show its race: **deliberately unsafe** on a
/// free-threaded interpreter. Exists only for the reproduction harness (`scripts/repro`).
///
/// PyO3 kept, per class, a `static mut FREELIST` holding a fixed array of slots and a split
/// index, and touched both with no synchronisation: the GIL made that safe. Without the GIL two
/// threads can read the same split, pop the same object twice (it is handed out twice), or
/// overwrite each other's slot (an object is lost, or parked twice). This class keeps the same
/// state in `nonisolated(unsafe)` storage, Swift's spelling of `static mut`.
///
/// One difference: where PyO3 aborts the process (Rust's bounds check on `entries[split]`, or its
/// `panic!("FreeList is corrupt")` when the slot below the split is empty), this list counts the
/// event in an atomic counter (``readsPastEnd``, ``emptySlotReads``) and goes on as a miss or a
/// full list would, so that a harness sees every such event instead of only the first abort.
public final class UnsynchronizedFreeList: FreeList, @unchecked Sendable {
    // @unchecked and nonisolated(unsafe): that is the point of this type; see above.
    public let capacity: Int
    private let slots: UnsafeMutablePointer<PyObjectPointer?>
    nonisolated(unsafe) private var split = 0
    nonisolated(unsafe) private var hits = 0
    nonisolated(unsafe) private var misses = 0
    nonisolated(unsafe) private var overflows = 0
    /// Slot indices found outside `0..<capacity` (a split torn by concurrent updates).
    private let outOfRange = Atomic<Int>(0)
    /// Pops that found the slot below the split empty (PyO3: "FreeList is corrupt").
    private let emptySlots = Atomic<Int>(0)

    /// Creates an empty list that holds up to `capacity` objects.
    public init(capacity: Int) {
        precondition(capacity > 0, "a freelist's capacity must be positive")
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
    }

    deinit { slots.deallocate() }

    /// Out-of-range slot accesses so far.
    public var readsPastEnd: Int { outOfRange.load(ordering: .relaxed) }

    public func pop() -> PyObjectPointer? {
        let index = split - 1
        if index < 0 {
            if index < -1 { outOfRange.add(1, ordering: .relaxed) }
            misses += 1
            return nil
        }
        guard index < capacity else {
            outOfRange.add(1, ordering: .relaxed)
            misses += 1
            return nil
        }
        split = index
        guard let object = slots[index] else {
            emptySlots.add(1, ordering: .relaxed)
            misses += 1
            return nil
        }
        slots[index] = nil
        hits += 1
        return object
    }

    public func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        let index = split
        guard index >= 0, index <= capacity else {
            outOfRange.add(1, ordering: .relaxed)
            overflows += 1
            return object
        }
        guard index < capacity else {
            overflows += 1
            return object
        }
        slots[index] = object
        split = index + 1
        return nil
    }

    public func removeAll() -> [PyObjectPointer] {
        let parked = (0..<capacity).compactMap { slots[$0] }
        for index in 0..<capacity { slots[index] = nil }
        split = 0
        return parked
    }

    public func statistics() -> FreeListStatistics {
        FreeListStatistics(
            strategy: "unsynchronized", capacity: capacity, cached: max(0, min(split, capacity)),
            hits: hits, misses: misses, overflows: overflows, readsPastEnd: readsPastEnd,
            emptySlotReads: emptySlots.load(ordering: .relaxed))
    }
}
