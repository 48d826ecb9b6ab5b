/// The freelist of every strategy on a GIL build: a ``BoundedStack`` with no lock.
///
/// On an interpreter built without `Py_GIL_DISABLED`, `tp_alloc` and `tp_dealloc` run only
/// with the GIL held, so the GIL serialises every call into the list. ``FreeListStrategy``
/// picks this type at compile time on such builds; it never exists in a free-threaded build.
public final class GILFreeList: FreeList, @unchecked Sendable {
    // @unchecked: every caller holds the GIL (see above), which orders all accesses.
    private let strategy: String
    public let capacity: Int
    /// The stack, out of line: a stored property of a class would be checked for exclusive
    /// access (a runtime call) on every mutation.
    private let stack: UnsafeMutablePointer<BoundedStack>

    /// Creates an empty list that holds up to `capacity` objects and reports `strategy` as its
    /// strategy's name.
    public init(strategy: String, capacity: Int) {
        self.strategy = strategy
        self.capacity = capacity
        stack = .allocate(capacity: 1)
        stack.initialize(to: BoundedStack(capacity: capacity))
    }

    deinit {
        stack.deinitialize(count: 1)
        stack.deallocate()
    }

    @inline(__always) public func pop() -> PyObjectPointer? { stack.pointee.pop()?.pointer }
    @inline(__always) public func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        stack.pointee.push(ParkedObject(object))?.pointer
    }
    public func removeAll() -> [PyObjectPointer] { stack.pointee.removeAll() }
    public func statistics() -> FreeListStatistics { stack.pointee.statistics(strategy: strategy) }
}
