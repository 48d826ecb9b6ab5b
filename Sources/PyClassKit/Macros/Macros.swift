// The macros that declare Python classes, modules, functions and exceptions in Swift. Each
// expands to the hand-written layer underneath (`PyClass`, `PyModuleDefinition`, `PyFunction`,
// `PyException`), specialised for the declaration: every method and function gets a C function
// of its own, and its arguments convert with the conversions of its parameter types.

/// Makes a struct a Python class: `extension S: PyClass, PyConvertible` with its name,
/// docstring (the struct's `///` comment), constructor (the `@PyInit` initialiser), attributes
/// (`@PyGet`, `@PySet`), methods (`@PyMethod`) and class attributes (`@PyClassAttribute`).
///
/// ```swift
/// /// A 2-D point.
/// @PyClass(freeList: .perThread(capacity: 32))
/// struct Point {
///     /// The x coordinate.
///     @PyGet var x: Double
///     @PyGet var y: Double
///     @PyInit init(x: Double, y: Double = 0) { self.x = x; self.y = y }
///     @PyMethod func norm() -> Double { (x * x + y * y).squareRoot() }
/// }
/// ```
///
/// - Parameters:
///   - name: the Python name (default: the struct's); the module that lists the class puts its
///     own name before it.
///   - freeList: how dead instances are cached (``FreeListStrategy``; default: none).
///   - canaries: count freelist misuse (``PyClass/freeListCanaries``).
///   - final: Python code may not subclass the class.
///   - weakref: instances support `weakref.ref`.
///
/// Instances are immutable unless a method is `mutating` or a property is `@PySet`: the class
/// then has mutable state (``PyClass/hasMutableState``), and every access to it runs inside the
/// object's critical section on free-threaded Python. Stored `PyReference` properties make the
/// class garbage-collected, with `traverse` and `clear` generated. `Equatable`, `Hashable`,
/// `Comparable` and `CustomStringConvertible` conformances become `==`, `hash()`, ordering and
/// `str()`; `pythonRepr` is `repr()`.
@attached(extension, conformances: PyClass, PyConvertible, names: arbitrary)
public macro PyClass(
    _ name: String? = nil, freeList: FreeListStrategy = .none, canaries: Bool = false,
    final: Bool = false, weakref: Bool = false
) = #externalMacro(module: "PyClassKitMacros", type: "PyClassMacro")

/// Marks the initialiser Python calls to construct the class: its argument labels are the
/// parameter names (`_` makes one positional-only), its default values the Python defaults;
/// `throws(PyError)` raises.
@attached(peer)
public macro PyInit() = #externalMacro(module: "PyClassKitMacros", type: "PyMarkerMacro")

/// Exposes a stored or computed property as a read-only attribute (`name`: its Python name).
@attached(peer)
public macro PyGet(_ name: String? = nil) = #externalMacro(module: "PyClassKitMacros", type: "PyMarkerMacro")

/// Exposes a `var` as a read-write attribute; Python's value converts to the property's type.
@attached(peer)
public macro PySet(_ name: String? = nil) = #externalMacro(module: "PyClassKitMacros", type: "PyMarkerMacro")

/// Exposes a method: an instance method (`mutating` allowed), or a static method if `static`.
@attached(peer)
public macro PyMethod(_ name: String? = nil) = #externalMacro(module: "PyClassKitMacros", type: "PyMarkerMacro")

/// Exposes a `static let` or `static var` as an attribute of the class, computed when the
/// type is made.
@attached(peer)
public macro PyClassAttribute(_ name: String? = nil) = #externalMacro(module: "PyClassKitMacros", type: "PyMarkerMacro")

/// Exposes a `static func` of a `@PyModule` enum as a module function.
@attached(peer)
public macro PyFunction(_ name: String? = nil) = #externalMacro(module: "PyClassKitMacros", type: "PyMarkerMacro")

/// Declares a Python extension module on an enum, and its `PyInit_<name>` function: the
/// classes of `static let classes: [any PyClass.Type]`, the exceptions of
/// `static let exceptions: [any PyException.Type]`, the enum's `@PyFunction` static functions,
/// and any hand-written `static let functions: [PyFunction]`; the enum's `///` comment is the
/// module's docstring.
///
/// ```swift
/// @PyModule("points")
/// enum Points {
///     static let classes: [any PyClass.Type] = [Point.self]
///     @PyFunction static func distance(a: Point, b: Point) -> Double { ... }
/// }
/// ```
@attached(member, names: named(definition), arbitrary)
@attached(peer, names: suffixed(_PyInit))
public macro PyModule(_ name: String) = #externalMacro(module: "PyClassKitMacros", type: "PyModuleMacro")

/// Declares a Python exception type on an empty enum or struct: `extension E: PyException`
/// with its name (default: the type's), base (default: `Exception`) and docstring (the `///`
/// comment). List it in the module's `exceptions`; raise it with `throw E.error("message")`.
@attached(extension, conformances: PyException, names: named(pythonName), named(base), named(doc))
public macro PyException(_ name: String? = nil, base: PyExceptionBase = .exception) =
    #externalMacro(module: "PyClassKitMacros", type: "PyExceptionMacro")
