import CPythonShim
import Synchronization

/// A fixed-capacity LIFO freelist guarded by a `Synchronization.Mutex`.
///
/// This is the fix PyO3 adopted for its `#[pyclass(freelist = N)]` race (PyO3 PR 4902): every
/// pop and push takes one lock. Unlike PyO3's list, a capacity of N holds exactly N objects.
/// The counters live inside the lock, so counting costs no extra atomic operation.
public final class MutexFreeList: FreeList {
    /// The lock-protected part: a stack of parked pointers and the counters.
    private struct State: ~Copyable {
        /// Slot storage, allocated once; slots `0..<count` hold parked objects.
        let slots: UnsafeMutablePointer<ParkedObject?>
        var count = 0
        var hits = 0
        var misses = 0
        var overflows = 0

        deinit { slots.deallocate() }
    }

    public let capacity: Int
    private let state: Mutex<State>
    /// ThreadSanitizer's view of `state`'s lock (see ``ThreadSanitizerAnnotations``).
    private let sanitizer = ThreadSanitizerAnnotations.current

    /// The address ThreadSanitizer knows the lock by.
    private var lockAddress: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Creates an empty list that holds up to `capacity` objects.
    public init(capacity: Int) {
        precondition(capacity >= 0, "a freelist's capacity cannot be negative")
        self.capacity = capacity
        let slots = UnsafeMutablePointer<ParkedObject?>.allocate(capacity: max(capacity, 1))
        self.state = Mutex(State(slots: slots))
    }

    public func pop() -> PyObjectPointer? {
        state.withAnnouncedLock(sanitizer, at: lockAddress) { state in
            guard state.count > 0 else {
                state.misses &+= 1
                return nil
            }
            state.count -= 1
            state.hits &+= 1
            return state.slots[state.count].take()?.pointer
        }
    }

    public func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        let parked = ParkedObject(object)
        let isFull = state.withAnnouncedLock(sanitizer, at: lockAddress) { state in
            guard state.count < capacity else {
                state.overflows &+= 1
                return true
            }
            state.slots[state.count] = parked
            state.count += 1
            return false
        }
        return isFull ? object : nil
    }

    public func removeAll() -> [PyObjectPointer] {
        state.withAnnouncedLock(sanitizer, at: lockAddress) { state in
            let parked = (0..<state.count).map { state.slots[$0]!.pointer }
            state.count = 0
            return parked
        }
    }

    public func statistics() -> FreeListStatistics {
        state.withAnnouncedLock(sanitizer, at: lockAddress) { state in
            return FreeListStatistics(
                strategy: "mutex", capacity: capacity, cached: state.count,
                hits: state.hits, misses: state.misses, overflows: state.overflows)
        }
    }
}
