import CPythonShim  // atan2, from the C library Python.h includes
import PyClassKit

/// Raised for geometry that has no answer, such as the direction of the zero vector.
@PyException(base: .valueError)
enum GeometryError {}

/// A 2-D vector, compared and hashed by value; supports weak references.
@PyClass(weakref: true)
struct Vector: Hashable, CustomStringConvertible {
    /// The x component.
    @PyGet var x: Double
    /// The y component.
    @PyGet var y: Double

    /// The vector in polar coordinates.
    @PyGet var polar: Polar { Polar(length: (x * x + y * y).squareRoot(), angle: atan2(y, x)) }

    /// The number of components.
    @PyClassAttribute static let dimensions = 2

    @PyInit init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The dot product with another vector.
    @PyMethod func dot(other: Vector) -> Double { x * other.x + y * other.y }

    /// The vector multiplied by factor.
    @PyMethod func scaled(factor: Double = 1.0) -> Vector { Vector(x: x * factor, y: y * factor) }

    /// The vector of length 1 in the same direction; GeometryError for the zero vector.
    @PyMethod func normalized() throws(PyError) -> Vector {
        let length = (x * x + y * y).squareRoot()
        guard length > 0 else { throw GeometryError.error("the zero vector has no direction") }
        return Vector(x: x / length, y: y / length)
    }

    /// The zero vector.
    @PyMethod static func zero() -> Vector { Vector(x: 0, y: 0) }

    /// The sum of a sequence of vectors.
    @PyMethod static func sum(_ vectors: [Vector]) -> Vector {
        vectors.reduce(Vector.zero()) { Vector(x: $0.x + $1.x, y: $0.y + $1.y) }
    }

    /// The components, as a list.
    @PyMethod func components() -> [Double] { [x, y] }

    var pythonRepr: String { "Vector(x=\(x), y=\(y))" }
    var description: String { "(\(x), \(y))" }
}

/// The result of Vector.polar: a length and an angle, compared by value and unhashable
/// (Equatable without Hashable). Python code cannot create one.
@PyClass(final: true)
struct Polar: Equatable {
    /// The length.
    @PyGet var length: Double
    /// The angle from the x axis, in radians.
    @PyGet var angle: Double

    var pythonRepr: String { "Polar(length=\(length), angle=\(angle))" }
}
