import CPythonShim

/// A dead object handed to a freelist: owned by the list until popped, by no thread meanwhile.
///
/// `@unchecked Sendable` because ownership moves with the value: the thread that parks an
/// object gives it up, the thread that pops it takes it over, and the list never dereferences it.
@usableFromInline
struct ParkedObject: @unchecked Sendable {
    @usableFromInline let pointer: PyObjectPointer
    @inlinable init(_ pointer: PyObjectPointer) { self.pointer = pointer }
}
