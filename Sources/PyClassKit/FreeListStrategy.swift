/// How a pyclass keeps the dead instances it may hand out again.
public enum FreeListStrategy: Sendable, Equatable {
    /// No freelist: every instance is allocated and freed through the type's allocator.
    case none
    /// A ``MutexFreeList`` of the given capacity (PyO3's fix of its freelist race).
    case mutex(capacity: Int)

    /// A new, empty freelist for one type object, or `nil` for ``none`` and zero capacities.
    public func makeFreeList() -> (any FreeList)? {
        switch self {
        case .none:
            return nil
        case .mutex(let capacity):
            return capacity > 0 ? MutexFreeList(capacity: capacity) : nil
        }
    }
}
