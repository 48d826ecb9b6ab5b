#if PYCLASSKIT_GIL_DISABLED
import CPythonShim

/// A ``BoundedStack`` guarded by CPython's own `PyMutex`.
///
/// The interpreter's one-byte parking-lot lock (public since 3.13): locking and unlocking are
/// one inline compare-and-swap each when uncontended; a contended locker spins briefly, then
/// parks (detaching its thread state, if it has one, so a stop-the-world pause need not wait for
/// it). No other C API is called while the lock is held. Free-threaded builds only: GIL builds
/// use ``GILFreeList``, and Python 3.11 has no `PyMutex`.
public final class PyMutexFreeList: FreeList, @unchecked Sendable {
    // @unchecked: the stack is touched only with `mutex` locked.

    public let capacity: Int
    /// The lock (zero is unlocked), at the start of an allocation on a cache line of its own,
    /// followed by ``stack``: one line carries both. The stack is apart from the lock so that an
    /// `inout` access to the stack never covers the lock's byte, which other threads swap
    /// atomically. Neither moves.
    private let mutex: UnsafeMutablePointer<PyMutex>
    private let stack: UnsafeMutablePointer<BoundedStack>

    /// Creates an empty list that holds up to `capacity` objects.
    public init(capacity: Int) {
        self.capacity = capacity
        let alignment = MemoryLayout<BoundedStack>.alignment
        let stackOffset = (MemoryLayout<PyMutex>.size + alignment - 1) / alignment * alignment
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: stackOffset + MemoryLayout<BoundedStack>.size, alignment: max(cacheLineSize, alignment))
        mutex = memory.bindMemory(to: PyMutex.self, capacity: 1)
        mutex.initialize(to: PyMutex())
        stack = (memory + stackOffset).bindMemory(to: BoundedStack.self, capacity: 1)
        stack.initialize(to: BoundedStack(capacity: capacity))
    }

    deinit {
        stack.deinitialize(count: 1)
        UnsafeMutableRawPointer(mutex).deallocate()
    }

    /// Runs `body` on the stack with the lock held. `body` must not call the Python C API.
    @inline(__always)
    private func withLock<Result>(_ body: (inout BoundedStack) -> Result) -> Result {
        pck_mutex_lock(mutex)
        defer { pck_mutex_unlock(mutex) }
        return body(&stack.pointee)
    }

    public func pop() -> PyObjectPointer? { withLock { $0.pop() }?.pointer }
    public func push(_ object: PyObjectPointer) -> PyObjectPointer? { withLock { $0.push(ParkedObject(object)) }?.pointer }
    public func removeAll() -> [PyObjectPointer] { withLock { $0.removeAll() } }
    public func statistics() -> FreeListStatistics { withLock { $0.statistics(strategy: "pymutex") } }
}
#endif
