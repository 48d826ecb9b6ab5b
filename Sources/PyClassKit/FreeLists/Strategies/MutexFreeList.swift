import Synchronization

/// A ``BoundedStack`` guarded by a `Synchronization.Mutex`.
///
/// This is the fix PyO3 adopted for its `#[pyclass(freelist = N)]` race (PyO3 PR 4902): every
/// pop and push takes one lock (on Linux a priority-inheritance futex). Unlike PyO3's list, a
/// capacity of N holds exactly N objects.
public final class MutexFreeList: FreeList {
    private let stack: Mutex<BoundedStack>
    public let capacity: Int
    /// ThreadSanitizer's view of `stack`'s lock (see ``ThreadSanitizerAnnotations``).
    private let sanitizer = ThreadSanitizerAnnotations.current

    /// The address ThreadSanitizer knows the lock by.
    private var lockAddress: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Creates an empty list that holds up to `capacity` objects.
    public init(capacity: Int) {
        self.capacity = capacity
        stack = Mutex(BoundedStack(capacity: capacity))
    }

    public func pop() -> PyObjectPointer? {
        stack.withAnnouncedLock(sanitizer, at: lockAddress) { $0.pop() }?.pointer
    }

    public func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        let parked = ParkedObject(object)
        return stack.withAnnouncedLock(sanitizer, at: lockAddress) { $0.push(parked) }?.pointer
    }

    public func removeAll() -> [PyObjectPointer] {
        stack.withAnnouncedLock(sanitizer, at: lockAddress) { $0.removeAll() }
    }

    public func statistics() -> FreeListStatistics {
        stack.withAnnouncedLock(sanitizer, at: lockAddress) { $0.statistics(strategy: "mutex") }
    }
}
