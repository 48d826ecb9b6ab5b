import PyClassKit

/// A counter that threads may share: increment() is atomic (on free-threaded Python it runs
/// inside the object's critical section), and so is setting label.
@PyClass(freeList: .perThread(capacity: 32))
struct Counter {
    /// The current value.
    @PyGet private(set) var value: Int
    /// A label, read-write.
    @PySet var label: String

    @PyInit init(start: Int = 0) {
        value = start
        label = ""
    }

    /// Adds by to the value and returns the new value.
    @PyMethod mutating func increment(by step: Int = 1) throws(PyError) -> Int {
        let (sum, overflow) = value.addingReportingOverflow(step)
        guard !overflow else { throw .overflowError("Counter.increment() would take the value out of the range of a 64-bit int") }
        value = sum
        return value
    }

    var pythonRepr: String { "Counter(value=\(value), label=\(label.debugDescription))" }
}
