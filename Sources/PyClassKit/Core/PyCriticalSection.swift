import CPythonShim

/// Runs `body` inside `object`'s critical section on free-threaded builds; on GIL builds it only
/// runs `body` (decided when PyClassKit is compiled: the GIL serialises Python code already).
///
/// This is how CPython's own mutable types (list, dict) make each operation atomic on 3.13t
/// (`Py_BEGIN_CRITICAL_SECTION`): a per-object lock that a thread waits for, never fails on,
/// and that the interpreter suspends while the holder blocks (on another lock, on I/O, on a
/// stop-the-world pause), so that nested or crossing sections cannot deadlock. It follows
/// that `body` is atomic only as long as it does not call back into Python: a Python call that
/// blocks may let another thread in. PyClassKit's calls convert arguments before entering
/// the section and results after leaving it, so a method's or setter's own Swift code runs
/// whole.
@inlinable @inline(__always)
public func withCriticalSection<R, E: Error>(_ object: PyObjectPointer, _ body: () throws(E) -> R) throws(E) -> R {
#if PYCLASSKIT_GIL_DISABLED
    // The section is linked into the thread state between begin and end: it needs an address
    // that stays put, which withUnsafeMutablePointer gives for the closure's duration.
    var section = PCKCriticalSection()
    return try withUnsafeMutablePointer(to: &section) { (section) throws(E) -> R in
        pck_critical_section_begin(section, object)
        defer { pck_critical_section_end(section) }
        return try body()
    }
#else
    return try body()
#endif
}

/// Runs `body` inside the critical section of both `first` and `second` (one, if they are the
/// same object); see ``withCriticalSection(_:_:)``.
@inlinable @inline(__always)
public func withCriticalSection<R, E: Error>(
    _ first: PyObjectPointer, _ second: PyObjectPointer, _ body: () throws(E) -> R
) throws(E) -> R {
#if PYCLASSKIT_GIL_DISABLED
    var section = PCKCriticalSection()
    return try withUnsafeMutablePointer(to: &section) { (section) throws(E) -> R in
        pck_critical_section2_begin(section, first, second)
        defer { pck_critical_section2_end(section) }
        return try body()
    }
#else
    return try body()
#endif
}
