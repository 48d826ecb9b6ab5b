import Synchronization

/// A mark in every instance's payload that catches freelist misuse as it happens.
///
/// Opt-in per class (``PyClass/freeListCanaries``) and meant for tests and the reproduction
/// harness, not for benchmarks. The class's instances get one extra word between the object
/// header and the Swift state. An instance in use carries ``live``; a parked one ``parked``.
/// Popping an object swaps parked for live, pushing one swaps live for parked, each with one
/// compare-and-swap, so two threads that are handed the same object cannot both succeed. A
/// failed swap is counted, never fixed: the object goes on as the unchecked code would.
/// The header is never written: other threads may still read a freed object's header.
final class FreeListCanaries: Sendable {
    /// The mark of an instance in use ("LIVE").
    static let live: UInt64 = 0x4556_494C
    /// The mark of a parked instance ("FREE").
    static let parked: UInt64 = 0x4545_5246

    /// Offset of the mark from the start of the object.
    let offset: Int
    /// Pops that found an object not marked parked: handed out twice, or never parked.
    let handedOutTwice = Atomic<Int>(0)
    /// Pushes of an object not marked live: parked twice, or parked while still in use.
    let parkedTwice = Atomic<Int>(0)

    init(offset: Int) { self.offset = offset }

    /// The mark of `object`. Its memory belongs to the instance's layout (see ``offset``).
    @inline(__always)
    private func mark(_ object: PyObjectPointer) -> UnsafeMutablePointer<Atomic<UInt64>> {
        (UnsafeMutableRawPointer(object) + offset).assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    /// Marks a newly allocated instance live.
    func markAllocated(_ object: PyObjectPointer) {
        mark(object).pointee.store(Self.live, ordering: .relaxed)
    }

    /// Marks an instance that leaves the list live; counts it if it was not parked.
    func checkOut(_ object: PyObjectPointer) {
        let (swapped, _) = mark(object).pointee.compareExchange(
            expected: Self.parked, desired: Self.live, ordering: .acquiringAndReleasing)
        if !swapped { handedOutTwice.add(1, ordering: .relaxed) }
    }

    /// Marks an instance about to be parked; counts it if it was not live.
    func checkIn(_ object: PyObjectPointer) {
        let (swapped, _) = mark(object).pointee.compareExchange(
            expected: Self.live, desired: Self.parked, ordering: .acquiringAndReleasing)
        if !swapped { parkedTwice.add(1, ordering: .relaxed) }
    }

    /// Clears the mark of an instance whose memory goes back to the allocator.
    func markFreed(_ object: PyObjectPointer) {
        mark(object).pointee.store(0, ordering: .relaxed)
    }
}
