import PyClassKit

/// The same point as `points.Point` with each freelist strategy and capacity 32:
/// `points.MutexPoint`, ..., and `points.Checked<Name>` with canaries for the reproduction
/// harness. Each class is a `@PyClass` struct of its own, as a user's class would be (the
/// compiler specialises each one's conversions); what they share is this protocol's.
protocol StrategyPoint: PyClass {
    var x: Double { get }
    var y: Double { get }
    init(x: Double, y: Double)
    /// A warning appended to the docstring.
    static var warning: String { get }
}

extension StrategyPoint {
    static var doc: String? {
        "A 2-D point, allocated through a freelist of strategy "
            + "'\(freeList.name)' and capacity \(freeList.capacity)"
            + (freeListCanaries ? ", checked with canaries." : ".") + warning
    }
    static var warning: String { "" }
    static var signature: PySignature { PySignature("\(pythonName)()", ["x", "y"]) }

    init(arguments: PyArguments) throws(PyError) {
        let x: Double = try arguments.value(0)
        let y: Double = try arguments.value(1)
        guard x.isFinite, y.isFinite else { throw .notFinite(Self.pythonName, x, y) }
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

    var pythonRepr: String { "\(Self.pythonName)(x=\(x), y=\(y))" }
}

// No `///` comments on these: the macro would make them the docstring, which the protocol writes.
@PyClass(freeList: .mutex(capacity: 32)) struct MutexPoint: StrategyPoint { var x, y: Double }
@PyClass(freeList: .mutex(capacity: 32), canaries: true) struct CheckedMutexPoint: StrategyPoint { var x, y: Double }
@PyClass(freeList: .pyMutex(capacity: 32)) struct PyMutexPoint: StrategyPoint { var x, y: Double }
@PyClass(freeList: .pyMutex(capacity: 32), canaries: true) struct CheckedPyMutexPoint: StrategyPoint { var x, y: Double }
@PyClass(freeList: .perThread(capacity: 32)) struct PerThreadPoint: StrategyPoint { var x, y: Double }
@PyClass(freeList: .perThread(capacity: 32), canaries: true) struct CheckedPerThreadPoint: StrategyPoint { var x, y: Double }
@PyClass(freeList: .lockFree(capacity: 32)) struct LockFreePoint: StrategyPoint { var x, y: Double }
@PyClass(freeList: .lockFree(capacity: 32), canaries: true) struct CheckedLockFreePoint: StrategyPoint { var x, y: Double }

/// The docstring warning of the racy classes.
private let racyWarning = "\n\nDELIBERATELY UNSAFE: its freelist is PyO3's pre-0.23.5 list, with no synchronisation. "
    + "It races on free-threaded Python and exists only to reproduce that bug (scripts/repro)."

@PyClass(freeList: .unsynchronized(capacity: 32))
struct RacyPoint: StrategyPoint {
    static var warning: String { racyWarning }
    var x, y: Double
}

@PyClass(freeList: .unsynchronized(capacity: 32), canaries: true)
struct CheckedRacyPoint: StrategyPoint {
    static var warning: String { racyWarning }
    var x, y: Double
}

/// The point of every strategy with a freelist, and the same checked with canaries.
let strategyPoints: [any PyClass.Type] = [
    MutexPoint.self, PyMutexPoint.self, PerThreadPoint.self, LockFreePoint.self, RacyPoint.self,
]
let checkedStrategyPoints: [any PyClass.Type] = [
    CheckedMutexPoint.self, CheckedPyMutexPoint.self, CheckedPerThreadPoint.self, CheckedLockFreePoint.self,
    CheckedRacyPoint.self,
]

/// Every strategy class of the module.
let strategyPointClasses = strategyPoints + checkedStrategyPoints

/// The classes of `freelist_strategies()`, one of each strategy per role: the plain point and the
/// one checked with canaries (`PlainPoint`, without a freelist, is both for `none`).
let strategyPointRoles: KeyValuePairs<String, [any PyClass.Type]> = [
    "class": [PlainPoint.self] + strategyPoints,
    "checked_class": [PlainPoint.self] + checkedStrategyPoints,
]
