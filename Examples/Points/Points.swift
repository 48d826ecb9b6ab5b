import CPythonShim
import PyClassKit

/// The example module `points`: the same 2-D point with and without a freelist, one class per
/// freelist strategy (plain, and checked with canaries), and a garbage-collected class that
/// holds any Python object.
let pointsModule = PyModuleDefinition(
    name: "points",
    doc: "Example PyClassKit classes: points with and without a freelist, one per strategy.",
    classes: [Point.self, PlainPoint.self, Tagged.self, Tracked.self] + strategyPointClasses,
    functions: [.freeListStatistics, .trackedMade, .trackedDeinitialised]
)

@_cdecl("PyInit_points")
public func PyInit_points() -> UnsafeMutablePointer<PyObject>? {
    pointsModule.initialize()
}

/// What `Point` and `PlainPoint` share: two finite coordinates, `norm()`, and a repr.
protocol PointClass: PyClass {
    var x: Double { get }
    var y: Double { get }
    init(x: Double, y: Double)
}

extension PointClass {
    static var signature: PySignature {
        PySignature("\(pythonName.split(separator: ".").last!)()", ["x", "y"])
    }

    init(arguments: PyArguments) throws(PyError) {
        let x: Double = try arguments.value(0)
        let y: Double = try arguments.value(1)
        guard x.isFinite, y.isFinite else {
            throw .valueError("\(Self.signature.displayName) coordinates must be finite, got (\(x), \(y))")
        }
        self.init(x: x, y: y)
    }

    static var attributes: [PyAttribute<Self>] {
        [.init("x", doc: "The x coordinate.") { $0.x }, .init("y", doc: "The y coordinate.") { $0.y }]
    }

    static var methods: [PyMethod<Self>] {
        [.init("norm", doc: "The Euclidean length of the point.") { point, _ in
            (point.x * point.x + point.y * point.y).squareRoot()
        }]
    }

    var pythonRepr: String { "\(Self.pythonName.split(separator: ".").last!)(x=\(x), y=\(y))" }
}

/// `points.Point(x, y)`: a point whose instances are cached in a freelist of 32, of PyClassKit's
/// recommended strategy, ``FreeListStrategy/perThread(capacity:)`` (see the README's benchmarks).
struct Point: PointClass {
    static let pythonName = "points.Point"
    static let doc: String? = "A 2-D point, allocated through a per-thread freelist of capacity 32."
    static let freeList = FreeListStrategy.perThread(capacity: 32)
    var x: Double
    var y: Double
}

/// `points.PlainPoint(x, y)`: the same point without a freelist.
struct PlainPoint: PointClass {
    static let pythonName = "points.PlainPoint"
    static let doc: String? = "A 2-D point without a freelist."
    var x: Double
    var y: Double
}

/// The same point with each freelist strategy and capacity 32: `points.MutexPoint`, ..., and
/// `points.Checked<Name>` with canaries (``PyClass/freeListCanaries``) for the reproduction
/// harness. Each is its own non-generic type, as a user's class would be: the compiler
/// specialises its conversions (a generic class would pay for generic dispatch on every call).
protocol StrategyPointClass: PointClass {
    /// The class name without the module: `"MutexPoint"`, `"CheckedMutexPoint"`.
    static var className: String { get }
    /// A warning appended to the docstring.
    static var warning: String { get }
}

extension StrategyPointClass {
    static var pythonName: String { "points.\(className)" }
    static var doc: String? {
        "A 2-D point, allocated through a freelist of strategy "
            + "'\(freeList.name)' and capacity \(freeList.capacity)"
            + (freeListCanaries ? ", checked with canaries." : ".") + warning
    }
    static var warning: String { "" }
}

struct MutexPoint: StrategyPointClass {
    static let className = "MutexPoint", freeList = FreeListStrategy.mutex(capacity: 32)
    var x: Double, y: Double
}
struct CheckedMutexPoint: StrategyPointClass {
    static let className = "CheckedMutexPoint", freeList = FreeListStrategy.mutex(capacity: 32)
    static let freeListCanaries = true
    var x: Double, y: Double
}
struct PyMutexPoint: StrategyPointClass {
    static let className = "PyMutexPoint", freeList = FreeListStrategy.pyMutex(capacity: 32)
    var x: Double, y: Double
}
struct CheckedPyMutexPoint: StrategyPointClass {
    static let className = "CheckedPyMutexPoint", freeList = FreeListStrategy.pyMutex(capacity: 32)
    static let freeListCanaries = true
    var x: Double, y: Double
}
struct PerThreadPoint: StrategyPointClass {
    static let className = "PerThreadPoint", freeList = FreeListStrategy.perThread(capacity: 32)
    var x: Double, y: Double
}
struct CheckedPerThreadPoint: StrategyPointClass {
    static let className = "CheckedPerThreadPoint", freeList = FreeListStrategy.perThread(capacity: 32)
    static let freeListCanaries = true
    var x: Double, y: Double
}
struct LockFreePoint: StrategyPointClass {
    static let className = "LockFreePoint", freeList = FreeListStrategy.lockFree(capacity: 32)
    var x: Double, y: Double
}
struct CheckedLockFreePoint: StrategyPointClass {
    static let className = "CheckedLockFreePoint", freeList = FreeListStrategy.lockFree(capacity: 32)
    static let freeListCanaries = true
    var x: Double, y: Double
}

/// The docstring warning of the racy classes.
private let racyWarning = "\n\nDELIBERATELY UNSAFE: its freelist is PyO3's pre-0.23.5 list, with no synchronisation. "
    + "It races on free-threaded Python and exists only to reproduce that bug (scripts/repro)."

struct RacyPoint: StrategyPointClass {
    static let className = "RacyPoint", freeList = FreeListStrategy.unsynchronized(capacity: 32)
    static var warning: String { racyWarning }
    var x: Double, y: Double
}
struct CheckedRacyPoint: StrategyPointClass {
    static let className = "CheckedRacyPoint", freeList = FreeListStrategy.unsynchronized(capacity: 32)
    static let freeListCanaries = true
    static var warning: String { racyWarning }
    var x: Double, y: Double
}

/// Every strategy class of the module.
let strategyPointClasses: [any PyClass.Type] = [
    MutexPoint.self, CheckedMutexPoint.self, PyMutexPoint.self, CheckedPyMutexPoint.self,
    PerThreadPoint.self, CheckedPerThreadPoint.self, LockFreePoint.self, CheckedLockFreePoint.self,
    RacyPoint.self, CheckedRacyPoint.self,
]

/// `points.Tagged(value, tag)`: any Python object with a string tag. Garbage-collected (it can
/// be part of a reference cycle) and cached in a freelist of 32.
struct Tagged: PyClass {
    static let pythonName = "points.Tagged"
    static let doc: String? = "Any object with a tag; GC-enabled, freelist of 32."
    static let signature = PySignature("Tagged()", ["value", "tag"])
    static let freeList = FreeListStrategy.mutex(capacity: 32)
    static let hasGarbageCollection = true

    var value: PyReference
    var tag: String

    init(arguments: PyArguments) throws(PyError) {
        tag = try arguments.value(1)
        value = try arguments.value(0)
    }

    static var attributes: [PyAttribute<Tagged>] {
        [.init("value", doc: "The tagged object.") { $0.value }, .init("tag", doc: "The tag.") { $0.tag }]
    }

    var pythonRepr: String { "Tagged(tag=\(tag.debugDescription))" }

    func traverse(_ visitor: PyVisitor) -> Int32 { value.visit(visitor) }

    mutating func clear() { value.clear() }
}
