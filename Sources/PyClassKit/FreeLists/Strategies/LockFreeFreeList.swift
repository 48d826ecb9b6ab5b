import Synchronization

/// A fixed-capacity, lock-free LIFO freelist that never touches a parked object's memory.
///
/// The list owns `capacity` slots, each an atomic word holding a parked object's address, and a
/// side array `next` linking slot indices. Two Treiber stacks of slot indices share these
/// arrays: the *parked* stack (slots holding objects, most recent on top) and the *empty* stack
/// (free slots). Pushing an object pops a free slot, stores the address and pushes the slot
/// onto the parked stack; popping does the reverse. A slot index is on exactly one stack, or
/// held by the one thread moving it between them, so a slot has one writer at a time.
///
/// Each stack head is an `Atomic<WordPair>` replaced by a double-word compare-and-swap
/// (`cmpxchg16b` on x86-64): `first` packs the depth and the top index, `second` is a tag
/// incremented by every successful swap. A thread that read `(top, tag)` and `next[top]` can
/// only complete its pop if no swap happened since, so a top that left and came back (ABA)
/// cannot make it install a stale `next`. Because the links live in the list's own atomic
/// array, reading a stale link is harmless, and no parked object is ever read or written.
///
/// Counting is nearly free: `hits` is derived from the parked stack's head (its tag counts
/// pushes plus pops, its depth pushes minus pops), so a hit costs no operation beyond the pop
/// itself. Misses and overflows, which lead to the allocator anyway, are relaxed atomic
/// additions on a cache line of their own.
public final class LockFreeFreeList: FreeList {
    /// One of the list's two stacks of slot indices.
    package enum Stack: Int, Sendable {
        /// Slots holding parked objects.
        case parked = 0
        /// Free slots.
        case empty = 1
    }

    /// The state of a pop between reading the head and swapping it, for tests that interleave
    /// other operations there (see ``beginPop(from:)``).
    package struct PopAttempt: Sendable {
        /// The head as read.
        package let head: WordPair
        /// The slot index on top of the stack in ``head``.
        package let index: Int
        /// The head to install: the slot below ``index``, one less deep, the tag plus one.
        package let replacement: WordPair
    }

    public let capacity: Int
    /// The heads of the two stacks, indexed by ``Stack``, on one cache line: every operation
    /// swaps both. `first` = depth << 32 | (top index + 1, or 0 when empty); `second` = tag.
    private let heads: AtomicBuffer<WordPair>
    /// The address of the object parked in each slot; meaningful while the slot is parked.
    private let slots: AtomicBuffer<UInt>
    /// For each slot on a stack, the index + 1 of the slot below it, or 0 at the bottom.
    private let next: AtomicBuffer<UInt>
    /// Misses at index 0, overflows at index 8, pops by ``removeAll()`` at index 16: one cache
    /// line each.
    private let counters: AtomicBuffer<Int>

    private static let topMask: UInt = 0xFFFF_FFFF
    private static let missCounter = 0, overflowCounter = 8, removedCounter = 16

    /// Creates an empty list that holds up to `capacity` objects (at most 2³² − 2).
    public init(capacity: Int) {
        precondition(capacity > 0, "a freelist's capacity must be positive")
        precondition(UInt(capacity) < Self.topMask, "a lock-free freelist holds fewer than 2^32 - 1 objects")
        self.capacity = capacity
        // Every slot starts on the empty stack, 0 on top: 0 -> 1 -> ... -> capacity - 1.
        heads = AtomicBuffer(count: 2) { stack in
            stack == Stack.empty.rawValue ? WordPair(first: UInt(capacity) << 32 | 1, second: 0)
                                          : WordPair(first: 0, second: 0)
        }
        slots = AtomicBuffer(count: capacity) { _ in 0 }
        next = AtomicBuffer(count: capacity) { index in index + 1 < capacity ? UInt(index + 2) : 0 }
        counters = AtomicBuffer(count: Self.removedCounter + 1) { _ in 0 }
    }

    public func pop() -> PyObjectPointer? {
        guard let index = popIndex(from: .parked) else {
            counters[Self.missCounter].wrappingAdd(1, ordering: .relaxed)
            return nil
        }
        let address = slots[index].load(ordering: .relaxed)
        pushIndex(index, onto: .empty)
        return PyObjectPointer(bitPattern: address)
    }

    public func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        guard let index = popIndex(from: .empty) else {
            counters[Self.overflowCounter].wrappingAdd(1, ordering: .relaxed)
            return object
        }
        slots[index].store(UInt(bitPattern: object), ordering: .relaxed)
        pushIndex(index, onto: .parked)
        return nil
    }

    /// Pops every parked object like ``pop()`` would, without counting the pops as hits.
    public func removeAll() -> [PyObjectPointer] {
        var parked: [PyObjectPointer] = []
        while let index = popIndex(from: .parked) {
            parked.append(PyObjectPointer(bitPattern: slots[index].load(ordering: .relaxed))!)
            pushIndex(index, onto: .empty)
        }
        counters[Self.removedCounter].wrappingAdd(parked.count, ordering: .relaxed)
        return parked
    }

    /// A snapshot of the counters: exact when no other thread uses the list, approximate
    /// otherwise (the parked stack's head is read at once, the other counters apart).
    public func statistics() -> FreeListStatistics {
        let head = heads[Stack.parked.rawValue].load(ordering: .relaxed)
        let depth = Int(head.first >> 32)
        // Every swap of the parked head is a push (depth + 1) or a pop (depth - 1).
        let pops = (Int(truncatingIfNeeded: head.second) - depth) / 2
        return FreeListStatistics(
            strategy: "lockFree", capacity: capacity, cached: depth,
            hits: pops - counters[Self.removedCounter].load(ordering: .relaxed),
            misses: counters[Self.missCounter].load(ordering: .relaxed),
            overflows: counters[Self.overflowCounter].load(ordering: .relaxed))
    }

    // MARK: The two Treiber stacks
    //
    // Memory orderings. A push stores `next[index]` (and, onto the parked stack, the slot's
    // address, after the pusher's last writes into the object) before a *releasing* swap of the
    // head; a pop reads the head with an *acquiring* load or failed swap before it reads
    // `next[top]`, and its swap is *acquiring* before it reads the slot's address. A successful
    // swap of either kind continues the release sequence of the pushes before it, so a popper
    // sees everything its slot's pusher wrote, and a pusher that takes a slot from the empty
    // stack writes it only after the popper that freed it has read it. The links and addresses
    // themselves need only relaxed atomics: the head swaps order them, and a link read while
    // another thread moves the slot belongs to a head that has changed, so the swap fails.

    /// Starts a pop: reads `stack`'s head and the link below its top, or returns `nil` when the
    /// stack is empty. ``finishPop(_:from:)`` completes it.
    @inline(__always)
    package func beginPop(from stack: Stack) -> PopAttempt? {
        attempt(heads[stack.rawValue].load(ordering: .acquiring))
    }

    /// Completes a pop begun by ``beginPop(from:)``: swaps the head if it is still the one read.
    /// On failure returns the current head's attempt (`nil` if the stack is now empty).
    @inline(__always)
    package func finishPop(_ attempt: PopAttempt, from stack: Stack) -> (popped: Bool, retry: PopAttempt?) {
        let (exchanged, current) = heads[stack.rawValue].compareExchange(
            expected: attempt.head, desired: attempt.replacement,
            successOrdering: .acquiring, failureOrdering: .acquiring)
        return exchanged ? (true, nil) : (false, self.attempt(current))
    }

    /// Pops a slot index from `stack`, or returns `nil` when the stack is empty.
    @inline(__always)
    package func popIndex(from stack: Stack) -> Int? {
        var attempt = beginPop(from: stack)
        while let current = attempt {
            let (popped, retry) = finishPop(current, from: stack)
            if popped { return current.index }
            attempt = retry
        }
        return nil
    }

    /// Pushes a slot index, held by the calling thread, onto `stack`.
    @inline(__always)
    package func pushIndex(_ index: Int, onto stack: Stack) {
        var head = heads[stack.rawValue].load(ordering: .relaxed)
        while true {
            next[index].store(head.first & Self.topMask, ordering: .relaxed)
            let depth = (head.first >> 32) &+ 1
            let desired = WordPair(first: depth << 32 | UInt(index + 1), second: head.second &+ 1)
            let (exchanged, current) = heads[stack.rawValue].compareExchange(
                expected: head, desired: desired, successOrdering: .releasing, failureOrdering: .relaxed)
            if exchanged { return }
            head = current
        }
    }

    /// The current head of `stack`.
    package func head(of stack: Stack) -> WordPair {
        heads[stack.rawValue].load(ordering: .acquiring)
    }

    /// The pop of the top of `head`, or `nil` when `head` is empty.
    @inline(__always)
    private func attempt(_ head: WordPair) -> PopAttempt? {
        let top = Int(head.first & Self.topMask)
        guard top != 0 else { return nil }
        let below = next[top - 1].load(ordering: .relaxed)
        let depth = (head.first >> 32) &- 1
        return PopAttempt(head: head, index: top - 1,
                          replacement: WordPair(first: depth << 32 | below, second: head.second &+ 1))
    }
}

/// A fixed number of atomics at stable addresses, starting on a cache line of their own (away
/// from the list object's reference count, and from other buffers).
///
/// This is the lock-free list's only unsafe code. `@unchecked Sendable`: the memory is reached
/// only through `Atomic` operations, and is allocated in `init` and freed in `deinit`, when no
/// other reference exists.
private struct AtomicBuffer<Value: AtomicRepresentable>: ~Copyable, @unchecked Sendable {
    private let base: UnsafeMutablePointer<Atomic<Value>>
    private let count: Int

    /// Allocates `count` atomics, the one at `index` holding `initialValue(index)`.
    init(count: Int, initialValue: (Int) -> Value) {
        self.count = count
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: count * MemoryLayout<Atomic<Value>>.stride, alignment: 64)
        base = memory.bindMemory(to: Atomic<Value>.self, capacity: count)
        for index in 0..<count { (base + index).initialize(to: Atomic(initialValue(index))) }
    }

    deinit {
        base.deinitialize(count: count)
        UnsafeMutableRawPointer(base).deallocate()
    }

    /// The atomic at `index`, which must be in `0..<count` (the lists' indices always are).
    subscript(index: Int) -> Atomic<Value> {
        @inline(__always) unsafeAddress {
            assert(index >= 0 && index < count, "atomic buffer index out of range")
            return UnsafePointer(base + index)
        }
    }
}
