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

/// `points.Tracked(value, label="")`: holds `value`, and any objects added by `hold(obj)`, in a
/// Swift class instance (``TrackedBox``) whose deinitialisations are counted; `tracked_made()`
/// and `tracked_deinitialised()` report the counts. Garbage-collected, and cached in a
/// per-thread freelist of 32. It exists for the leak tests: a Swift object, a Swift string and
/// an array of Python references in one state, all of which must be released exactly once.
struct Tracked: PyClass {
    static let pythonName = "points.Tracked"
    static let doc: String? = "Holds value (and what hold() adds) in a Swift object whose deinitialisations are counted "
        + "(tracked_made(), tracked_deinitialised()); GC-enabled, per-thread freelist of 32."
    static let signature = PySignature("Tracked()", ["value", PyParameter("label", optional: true)])
    static let freeList = FreeListStrategy.perThread(capacity: 32)
    static let hasGarbageCollection = true

    var box: TrackedBox
    var label: String

    init(arguments: PyArguments) throws(PyError) {
        // Every argument is converted before the box takes its reference to `value`: a
        // rejected call leaves nothing behind.
        label = try arguments.optionalValue(1) ?? ""
        box = TrackedBox(holding: try arguments.value(0))
    }

    static var attributes: [PyAttribute<Tracked>] {
        [
            .init("value", doc: "The object the instance was made with (None once cleared).") { TrackedValue(box: $0.box) },
            .init("label", doc: "The label.") { $0.label },
            .init("held", doc: "The number of objects held.") { $0.box.count },
        ]
    }

    static var methods: [PyMethod<Tracked>] {
        [.init("hold", doc: "Holds one more reference, to obj; returns how many are held.",
               parameters: ["obj"]) { (tracked, arguments) throws(PyError) -> Int in
            tracked.box.append(try arguments.value(0))
        }]
    }

    var pythonRepr: String { "Tracked(label=\(label.debugDescription), held=\(box.count))" }

    func traverse(_ visitor: PyVisitor) -> Int32 { box.visit(visitor) }

    mutating func clear() {
        for var reference in box.removeAll() { reference.clear() }
    }
}

/// The `value` attribute of a `Tracked`: converts to a new reference to the box's first object.
private struct TrackedValue: PyRepresentable {
    let box: TrackedBox
    func toPython() -> PyObjectPointer? { box.first() }
}

extension PyFunction {
    /// `tracked_made()`: how many `Tracked` states (their Swift ``TrackedBox``) were made.
    static let trackedMade = PyFunction(
        "tracked_made", doc: "How many Swift states of points.Tracked instances were made."
    ) { (_) throws(PyError) -> Int in trackedBoxesMade.load(ordering: .relaxed) }

    /// `tracked_deinitialised()`: how many `Tracked` states (their Swift ``TrackedBox``) were
    /// deinitialised.
    static let trackedDeinitialised = PyFunction(
        "tracked_deinitialised",
        doc: "How many Swift states of points.Tracked instances were deinitialised."
    ) { (_) throws(PyError) -> Int in trackedBoxesDeinitialised.load(ordering: .relaxed) }
}
