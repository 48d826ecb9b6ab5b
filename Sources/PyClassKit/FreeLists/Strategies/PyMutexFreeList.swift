#if PYCLASSKIT_GIL_DISABLED
import CPythonShim

/// A fixed-capacity LIFO freelist guarded by CPython's own `PyMutex`.
///
/// The same stack as ``MutexFreeList``, behind the interpreter's one-byte parking-lot lock
/// (public since 3.13): locking and unlocking are one inline compare-and-swap each when
/// uncontended; a contended locker spins briefly, then parks (detaching its thread state, if
/// it has one, so a stop-the-world pause need not wait for it). No other C API is called
/// while the lock is held. Free-threaded builds only: GIL builds use ``GILFreeList``, and
/// Python 3.11 has no `PyMutex`.
public final class PyMutexFreeList: FreeList, @unchecked Sendable {
    // @unchecked: `state` and `slots` are touched only with `mutex` locked.

    /// What the lock protects: the stack's depth and the counters.
    private struct State {
        /// Slots `0..<count` hold parked objects.
        var count = 0
        var hits = 0
        var misses = 0
        var overflows = 0
    }

    /// The lock and its state, in one allocation on a cache line of its own. The lock is apart
    /// from `State` so that an `inout` access to the state never covers the lock's byte, which
    /// other threads swap atomically.
    private struct Storage {
        /// The lock; zero is unlocked. Never moves: it lives in the allocation.
        var mutex = PyMutex()
        var state = State()
    }

    public let capacity: Int
    private let storage: UnsafeMutablePointer<Storage>
    /// `storage.mutex`, at its stable address.
    private let mutex: UnsafeMutablePointer<PyMutex>
    /// `storage.state`.
    private let state: UnsafeMutablePointer<State>
    /// Slot storage, allocated once.
    private let slots: UnsafeMutablePointer<PyObjectPointer>

    /// Creates an empty list that holds up to `capacity` objects.
    public init(capacity: Int) {
        precondition(capacity > 0, "a freelist's capacity must be positive")
        self.capacity = capacity
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<Storage>.size, alignment: max(64, MemoryLayout<Storage>.alignment))
        storage = memory.bindMemory(to: Storage.self, capacity: 1)
        storage.initialize(to: Storage())
        mutex = (memory + MemoryLayout<Storage>.offset(of: \Storage.mutex)!).assumingMemoryBound(to: PyMutex.self)
        state = (memory + MemoryLayout<Storage>.offset(of: \Storage.state)!).assumingMemoryBound(to: State.self)
        slots = .allocate(capacity: capacity)
    }

    deinit {
        slots.deallocate()
        storage.deinitialize(count: 1)
        UnsafeMutableRawPointer(storage).deallocate()
    }

    /// Runs `body` on the state with the lock held. `body` must not call the Python C API.
    @inline(__always)
    private func withLock<Result>(_ body: (inout State) -> Result) -> Result {
        pck_mutex_lock(mutex)
        defer { pck_mutex_unlock(mutex) }
        return body(&state.pointee)
    }

    public func pop() -> PyObjectPointer? {
        withLock { state in
            guard state.count > 0 else {
                state.misses &+= 1
                return nil
            }
            state.count -= 1
            state.hits &+= 1
            return slots[state.count]
        }
    }

    public func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        withLock { state in
            guard state.count < capacity else {
                state.overflows &+= 1
                return object
            }
            slots[state.count] = object
            state.count += 1
            return nil
        }
    }

    public func removeAll() -> [PyObjectPointer] {
        withLock { state in
            defer { state.count = 0 }
            return Array(UnsafeBufferPointer(start: slots, count: state.count))
        }
    }

    public func statistics() -> FreeListStatistics {
        withLock { state in
            FreeListStatistics(
                strategy: "pymutex", capacity: capacity, cached: state.count,
                hits: state.hits, misses: state.misses, overflows: state.overflows)
        }
    }
}
#endif
