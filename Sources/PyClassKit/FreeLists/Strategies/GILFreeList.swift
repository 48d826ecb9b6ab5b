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
    /// The common cases of ``pop()`` and ``push(_:)`` over the stack's address: the slot
    /// functions keep one in their class's hot path and call it with no reference to the list.
    @usableFromInline
    struct FastPath {
        @usableFromInline let stack: UnsafeMutablePointer<BoundedStack>

        /// The most recently parked object; `nil` (nothing counted) means "take the full
        /// ``pop()``", which counts the miss.
        @inlinable @inline(__always)
        func popFromCache() -> PyObjectPointer? {
            guard stack.pointee.count > 0 else { return nil }
            return stack.pointee.pop()?.pointer
        }

        /// Parks `object` if there is room; `false` (nothing parked, nothing counted) means
        /// "take the full ``push(_:)``", which counts the overflow.
        @inlinable @inline(__always)
        func pushToCache(_ object: PyObjectPointer) -> Bool {
            guard stack.pointee.count < stack.pointee.capacity else { return false }
            return stack.pointee.push(ParkedObject(object)) == nil
        }
    }

    /// This list's ``FastPath``.
    var fastPath: FastPath { FastPath(stack: stack) }
    public func removeAll() -> [PyObjectPointer] { stack.pointee.removeAll() }
    public func statistics() -> FreeListStatistics { stack.pointee.statistics(strategy: strategy) }
}
