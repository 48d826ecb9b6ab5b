import CPythonShim
import PyClassKit

/// Example PyClassKit classes: points with and without a freelist, one per strategy, and a
/// counter, a vector and a distance function declared with the macros.
@PyModule("points")
enum Points {
    static let classes: [any PyClass.Type] = [
        Point.self, PlainPoint.self, Tagged.self, Tracked.self, Counter.self, Vector.self, Polar.self, Cell.self,
    ] + strategyPointClasses

    static let exceptions: [any PyException.Type] = [GeometryError.self]

    static let functions: [PyFunction] = [.freeListStatistics, .freeListStrategies(classes: strategyPointRoles)]

    /// The Euclidean distance between two points.
    @PyFunction static func distance(a: Point, b: Point) -> Double {
        let (dx, dy) = (a.x - b.x, a.y - b.y)
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The point halfway between a and b (both positional-only).
    @PyFunction static func midpoint(_ a: Point, _ b: Point) throws(PyError) -> Point {
        try Point(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
    }

    /// How many Swift states of points.Tracked instances were made.
    @PyFunction("tracked_made") static func trackedMade() -> Int {
        trackedBoxesMade.load(ordering: .relaxed)
    }

    /// How many Swift states of points.Tracked instances were deinitialised.
    @PyFunction("tracked_deinitialised") static func trackedDeinitialised() -> Int {
        trackedBoxesDeinitialised.load(ordering: .relaxed)
    }
}

/// A 2-D point, allocated through a per-thread freelist of capacity 32.
@PyClass(freeList: .perThread(capacity: 32))
struct Point {
    /// The x coordinate.
    @PyGet var x: Double
    /// The y coordinate.
    @PyGet var y: Double

    @PyInit init(x: Double, y: Double) throws(PyError) {
        guard x.isFinite, y.isFinite else { throw .notFinite("Point", x, y) }
        self.x = x
        self.y = y
    }

    /// The Euclidean length of the point.
    @PyMethod func norm() -> Double { (x * x + y * y).squareRoot() }

    var pythonRepr: String { "Point(x=\(x), y=\(y))" }
}

/// A 2-D point without a freelist.
@PyClass
struct PlainPoint {
    /// The x coordinate.
    @PyGet var x: Double
    /// The y coordinate.
    @PyGet var y: Double

    @PyInit init(x: Double, y: Double) throws(PyError) {
        guard x.isFinite, y.isFinite else { throw .notFinite("PlainPoint", x, y) }
        self.x = x
        self.y = y
    }

    /// The Euclidean length of the point.
    @PyMethod func norm() -> Double { (x * x + y * y).squareRoot() }

    var pythonRepr: String { "PlainPoint(x=\(x), y=\(y))" }
}

/// Any object with a string tag. Garbage-collected (a stored PyReference: it can be part of a
/// reference cycle) and cached in a freelist of 32.
@PyClass(freeList: .mutex(capacity: 32))
struct Tagged {
    /// The tagged object.
    @PyGet var value: PyReference
    /// The tag.
    @PyGet var tag: String

    @PyInit init(value: PyReference, tag: String) {
        self.value = value
        self.tag = tag
    }

    var pythonRepr: String { "Tagged(tag=\(tag.debugDescription))" }
}

extension PyError {
    /// The `ValueError` of a point constructor given a coordinate that is not finite. Out of
    /// line, as the C floor's `not_finite`: the message is built only on this rare path, so the
    /// initialiser stays small enough to be inlined into the constructor.
    @inline(never)
    static func notFinite(_ className: String, _ x: Double, _ y: Double) -> PyError {
        .valueError("\(className)() coordinates must be finite, got (\(x), \(y))")
    }
}
