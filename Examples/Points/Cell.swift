import PyClassKit

/// A mutable cell holding any object: value is read-write, so the class has mutable state (its
/// accesses run in the object's critical section) and, holding a Python reference, is
/// garbage-collected; a cell can hold itself, a cycle only its generated clear() can break.
@PyClass(freeList: .perThread(capacity: 32))
struct Cell {
    /// The object held.
    @PySet var value: PyReference

    @PyInit init(value: PyReference) {
        self.value = value
    }

    /// Replaces the value with new and returns the old one.
    @PyMethod mutating func swap(new: PyReference) -> PyReference {
        defer { value = new }
        return value
    }

    var pythonRepr: String { "Cell(...)" }
}
