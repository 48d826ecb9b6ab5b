import CPythonShim
import PyClassKit

/// The example module `points`: the same 2-D point with and without a freelist, one class per
/// freelist strategy (plain, and checked with canaries), and a garbage-collected class that
/// holds any Python object.
let pointsModule = PyModuleDefinition(
    name: "points",
    doc: "Example PyClassKit classes: points with and without a freelist, one per strategy.",
    classes: [Point.self, PlainPoint.self, Tagged.self] + strategyPointClasses,
    functions: [.freeListStatistics]
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
        [.init("norm", doc: "norm() -> float\n\nThe Euclidean length of the point.") { point, _ in
            (point.x * point.x + point.y * point.y).squareRoot()
        }]
    }

    var pythonRepr: String { "\(Self.pythonName.split(separator: ".").last!)(x=\(x), y=\(y))" }
}

/// `points.Point(x, y)`: a point whose instances are cached in a freelist of 32.
struct Point: PointClass {
    static let pythonName = "points.Point"
    static let doc: String? = "Point(x: float, y: float)\n\nA 2-D point, allocated through a freelist of capacity 32."
    static let freeList = FreeListStrategy.mutex(capacity: 32)
    var x: Double
    var y: Double
}

/// `points.PlainPoint(x, y)`: the same point without a freelist.
struct PlainPoint: PointClass {
    static let pythonName = "points.PlainPoint"
    static let doc: String? = "PlainPoint(x: float, y: float)\n\nA 2-D point without a freelist."
    var x: Double
    var y: Double
}

/// The same point with a chosen freelist strategy and capacity 32: `points.MutexPoint`, ..., and
/// `points.Checked<Name>` with canaries (``PyClass/freeListCanaries``) for the reproduction harness.
struct StrategyPoint<Variant: PointVariant>: PointClass {
    static var pythonName: String { "points.\(Variant.checked ? "Checked" : "")\(Variant.name)" }
    static var doc: String? {
        "\(pythonName.dropFirst(7))(x: float, y: float)\n\nA 2-D point, allocated through a freelist of strategy "
            + "'\(Variant.strategy.name)' and capacity \(Variant.strategy.capacity)"
            + (Variant.checked ? ", checked with canaries." : ".") + Variant.warning
    }
    static var freeList: FreeListStrategy { Variant.strategy }
    static var freeListCanaries: Bool { Variant.checked }
    var x: Double
    var y: Double
}

/// What distinguishes one ``StrategyPoint`` class from another.
protocol PointVariant {
    /// The class name without the `Checked` prefix: `"MutexPoint"`.
    static var name: String { get }
    static var strategy: FreeListStrategy { get }
    /// Whether the class has canaries (and the `Checked` prefix).
    static var checked: Bool { get }
    /// A warning appended to the docstring.
    static var warning: String { get }
}

extension PointVariant {
    static var warning: String { "" }
}

enum MutexVariant: PointVariant {
    static let name = "MutexPoint", strategy = FreeListStrategy.mutex(capacity: 32), checked = false
}
enum CheckedMutexVariant: PointVariant {
    static let name = "MutexPoint", strategy = FreeListStrategy.mutex(capacity: 32), checked = true
}
enum PyMutexVariant: PointVariant {
    static let name = "PyMutexPoint", strategy = FreeListStrategy.pyMutex(capacity: 32), checked = false
}
enum CheckedPyMutexVariant: PointVariant {
    static let name = "PyMutexPoint", strategy = FreeListStrategy.pyMutex(capacity: 32), checked = true
}
enum PerThreadVariant: PointVariant {
    static let name = "PerThreadPoint", strategy = FreeListStrategy.perThread(capacity: 32), checked = false
}
enum CheckedPerThreadVariant: PointVariant {
    static let name = "PerThreadPoint", strategy = FreeListStrategy.perThread(capacity: 32), checked = true
}
enum LockFreeVariant: PointVariant {
    static let name = "LockFreePoint", strategy = FreeListStrategy.lockFree(capacity: 32), checked = false
}
enum CheckedLockFreeVariant: PointVariant {
    static let name = "LockFreePoint", strategy = FreeListStrategy.lockFree(capacity: 32), checked = true
}
enum RacyVariant: PointVariant {
    static let name = "RacyPoint", strategy = FreeListStrategy.unsynchronized(capacity: 32), checked = false
    static let warning = "\n\nDELIBERATELY UNSAFE: its freelist is PyO3's pre-0.23.5 list, with no synchronisation. "
        + "It races on free-threaded Python and exists only to reproduce that bug (scripts/repro)."
}
enum CheckedRacyVariant: PointVariant {
    static let name = "RacyPoint", strategy = FreeListStrategy.unsynchronized(capacity: 32), checked = true
    static let warning = RacyVariant.warning
}

/// Every ``StrategyPoint`` class of the module.
let strategyPointClasses: [any PyClass.Type] = [
    StrategyPoint<MutexVariant>.self, StrategyPoint<CheckedMutexVariant>.self,
    StrategyPoint<PyMutexVariant>.self, StrategyPoint<CheckedPyMutexVariant>.self,
    StrategyPoint<PerThreadVariant>.self, StrategyPoint<CheckedPerThreadVariant>.self,
    StrategyPoint<LockFreeVariant>.self, StrategyPoint<CheckedLockFreeVariant>.self,
    StrategyPoint<RacyVariant>.self, StrategyPoint<CheckedRacyVariant>.self,
]

/// `points.Tagged(value, tag)`: any Python object with a string tag. Garbage-collected (it can
/// be part of a reference cycle) and cached in a freelist of 32.
struct Tagged: PyClass {
    static let pythonName = "points.Tagged"
    static let doc: String? = "Tagged(value: object, tag: str)\n\nAny object with a tag; GC-enabled, freelist of 32."
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
