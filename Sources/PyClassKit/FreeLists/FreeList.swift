import CPythonShim

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
