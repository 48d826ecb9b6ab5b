import CPythonShim
import PyClassKit
import Synchronization

/// The number of ``TrackedBox`` objects made so far, in the whole process.
let trackedBoxesMade = Atomic<Int>(0)
/// The number of ``TrackedBox`` objects deinitialised so far, in the whole process.
let trackedBoxesDeinitialised = Atomic<Int>(0)

/// The Swift object in the state of every `points.Tracked` instance: it counts how many of its
/// kind were made and deinitialised (``trackedBoxesMade``, ``trackedBoxesDeinitialised``), so
/// that tests can check that each Python instance's Swift state is destroyed exactly once, and
/// holds the instance's Python references: the constructor's value first, then whatever
/// `Tracked.hold(obj)` added.
///
/// Because `hold` can add a reference to the instance itself, a `Tracked` can form a cycle that
/// nothing but its own `tp_clear` can break: the leak tests use it to check that `tp_clear`
/// releases what the state holds.
///
/// The references are guarded by a mutex: on free-threaded Python several threads may call
/// `hold` on one instance at once. No Python code runs while it is held (a new reference is an
/// atomic increment), so a garbage collection that stops the world never finds it taken, and
/// references are released (which may run arbitrary code) only after it is unlocked.
final class TrackedBox: Sendable {
    /// The Python references the instance holds, each owned by this box until released.
    private let references: Mutex<[PyReference]>

    /// A box holding `value`: the instance's first reference.
    init(holding value: PyReference) {
        references = Mutex([value])
        trackedBoxesMade.wrappingAdd(1, ordering: .relaxed)
    }

    deinit { trackedBoxesDeinitialised.wrappingAdd(1, ordering: .relaxed) }

    /// Adds a reference; returns how many the box holds now.
    func append(_ reference: PyReference) -> Int {
        references.withLock { references in
            references.append(reference)
            return references.count
        }
    }

    /// The number of references held.
    var count: Int { references.withLock { $0.count } }

    /// A new reference to the first object held, or `None` once the box was emptied.
    func first() -> PyObjectPointer? {
        // Taken under the lock: a concurrent `removeAll()` could otherwise release the object
        // between reading the pointer and taking the new reference.
        references.withLock { $0.first?.toPython() } ?? pck_none()
    }

    /// Passes every reference to a `tp_traverse` visitor.
    func visit(_ visitor: PyVisitor) -> Int32 {
        references.withLock { references in
            for reference in references {
                let status = reference.visit(visitor)
                if status != 0 { return status }
            }
            return 0
        }
    }

    /// Takes every reference out of the box, for the caller to release (outside the lock).
    func removeAll() -> [PyReference] {
        references.withLock { references in
            defer { references = [] }
            return references
        }
    }
}

/// Holds value (and what hold() adds) in a Swift object whose deinitialisations are counted
/// (tracked_made(), tracked_deinitialised()); GC-enabled, per-thread freelist of 32.
///
/// It exists for the leak tests: a Swift object, a Swift string and an array of Python
/// references in one state, all of which must be released exactly once.
@PyClass(freeList: .perThread(capacity: 32))
struct Tracked {
    var box: TrackedBox
    /// The label.
    @PyGet var label: String

    @PyInit init(value: PyReference, label: String = "") {
        self.label = label
        box = TrackedBox(holding: value)
    }

    /// The object the instance was made with (None once cleared).
    @PyGet var value: TrackedValue { TrackedValue(box: box) }
    /// The number of objects held.
    @PyGet var held: Int { box.count }

    /// Holds one more reference, to obj; returns how many are held.
    @PyMethod func hold(obj: PyReference) -> Int { box.append(obj) }

    var pythonRepr: String { "Tracked(label=\(label.debugDescription), held=\(box.count))" }

    func traverse(_ visitor: PyVisitor) -> Int32 { box.visit(visitor) }

    mutating func clear() {
        for reference in box.removeAll() { reference.clear() }
    }
}

/// The `value` attribute of a `Tracked`: converts to a new reference to the box's first object.
struct TrackedValue: PyRepresentable {
    let box: TrackedBox
    func toPython() -> PyObjectPointer? { box.first() }
}
