import CPythonShim

/// A pointer to a Python object, as the C API passes it.
public typealias PyObjectPointer = UnsafeMutablePointer<PyObject>

/// A dead object handed to a freelist: owned by the list until popped, by no thread meanwhile.
///
/// `@unchecked Sendable` because ownership moves with the value: the thread that parks an
/// object gives it up, the thread that pops it takes it over, and the list never dereferences it.
@usableFromInline
struct ParkedObject: @unchecked Sendable {
    @usableFromInline let pointer: PyObjectPointer
    @inlinable init(_ pointer: PyObjectPointer) { self.pointer = pointer }
}

/// A cache of dead objects of one Python type, handed out again by that type's `tp_alloc`.
///
/// A freelist stores pointers only: it never reads or writes a parked object's memory, whose
/// header other threads of a free-threaded interpreter may still read. It never calls the Python
/// C API, so an implementation that takes a lock cannot deadlock against the interpreter.
/// Every method may be called from any thread at any time.
public protocol FreeList: AnyObject, Sendable {
    /// The number of objects the list holds when full.
    var capacity: Int { get }

    /// Takes the most recently parked object, or returns `nil` when none is parked.
    func pop() -> PyObjectPointer?

    /// Parks a dead object and returns what the caller must free now: `nil` when nothing is due,
    /// `object` itself when the list is full, or an older object the list holds beyond its bound
    /// (a strategy that parks objects of exited threads hands them back here, on a thread that
    /// may call the C API) while `object` takes its place.
    func push(_ object: PyObjectPointer) -> PyObjectPointer?

    /// Removes and returns every parked object, for the caller to free.
    func removeAll() -> [PyObjectPointer]

    /// A snapshot of the list's counters.
    func statistics() -> FreeListStatistics
}

/// Counters of a freelist, as `freelist_stats(cls)` reports them.
public struct FreeListStatistics: Sendable, Equatable {
    /// The strategy's name (`"mutex"`, ...).
    public var strategy: String
    /// The capacity the class declared (``FreeListStrategy/capacity``): for a single list the
    /// most objects it holds, for ``PerThreadFreeList`` the most each thread's cache holds.
    public var capacity: Int
    /// The most objects the list can hold at this moment, all threads together: ``capacity``
    /// for a single list; for ``PerThreadFreeList`` the caches of the threads that have one,
    /// plus the depot, plus the surplus of exited threads' objects it holds. `cached` never
    /// exceeds it, and reaches it once more objects die than it holds.
    public var limit: Int
    /// Objects parked now.
    public var cached: Int
    /// Allocations served from the list.
    public var hits: Int
    /// Allocations that found the list empty.
    public var misses: Int
    /// Deallocations that found the list full (the object was freed).
    public var overflows: Int
    /// Slot accesses outside the list's storage (only ``UnsynchronizedFreeList`` can make any).
    public var readsPastEnd: Int
    /// Pops that found the slot below the split empty: PyO3's list panics there ("FreeList is
    /// corrupt"); only ``UnsynchronizedFreeList`` can make any.
    public var emptySlotReads: Int
    /// Whether the class checks its freelist with canaries (``PyClass/freeListCanaries``).
    public var canaries = false
    /// Objects handed out while not parked (canaries only).
    public var handedOutTwice = 0
    /// Objects parked while not in use (canaries only).
    public var parkedTwice = 0

    /// Every misuse seen: ``readsPastEnd`` + ``emptySlotReads`` + ``handedOutTwice`` + ``parkedTwice``.
    public var violations: Int { readsPastEnd + emptySlotReads + handedOutTwice + parkedTwice }

    /// Counters of a list; `limit` defaults to `capacity` (a single list).
    public init(strategy: String, capacity: Int, limit: Int? = nil, cached: Int, hits: Int, misses: Int,
                overflows: Int, readsPastEnd: Int = 0, emptySlotReads: Int = 0) {
        self.strategy = strategy
        self.capacity = capacity
        self.limit = limit ?? capacity
        self.cached = cached
        self.hits = hits
        self.misses = misses
        self.overflows = overflows
        self.readsPastEnd = readsPastEnd
        self.emptySlotReads = emptySlotReads
    }
}
