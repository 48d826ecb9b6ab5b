import PyClassKitMacros
import SwiftSyntaxMacrosTestSupport
import XCTest

/// Expansion tests of `@PyClass` (with the marker macros `@PyInit`, `@PyGet`, `@PySet`, `@PyMethod`,
/// `@PyClassAttribute`): the `extension S: PyClass, PyConvertible` it generates, compared exactly.
///
/// Each expected expansion was read and checked against the runtime it calls (`PyAttribute`,
/// `PyMethod`, `PyClass._invokeMethod`, `_invokeFunction`,
/// `PyArguments.value(_:as:orDefault:)`, `PySignature`, `PyParameter`, `_constructInstance`), and each
/// input was compiled with its expansion against PyClassKit itself. Inputs without `@PyInit` (and
/// without a protocol that could supply `init(arguments:)`) get `isConstructible` false, and conform
/// with `PyClass`'s default `signature` and `init(arguments:)`.
final class PyClassMacroTests: XCTestCase {
    /// The smallest class: a name, a type slot, and one read-only attribute per `@PyGet` stored
    /// property, in declaration order; no constructor members without `@PyInit`.
    func testMinimalStructWithGetters() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Point {
                @PyGet var x: Double
                @PyGet var y: Double
            }
            """#,
            expandedSource: #"""
            struct Point {
                var x: Double
                var y: Double
            }

            extension Point: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Point"
                }

                static var isConstructible: Bool {
                    false
                }

                static var attributes: [PyAttribute<Point>] {
                    [
                        PyAttribute("x") {
                            $0.x
                        },
                        PyAttribute("y") {
                            $0.y
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `@PyInit`: the signature (`_` makes `value` positional-only, `= 1.5` the default shown
    /// as `factor=1.5`), `init(arguments:)` converting each argument by index and calling the initialiser with
    /// its labels, and the specialised `_vectorcall` / `_makeInstance` doing the same conversions.
    func testInitializerWithDefaultValueAndPositionalOnlyParameter() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Scaled {
                @PyGet var value: Double
                @PyInit init(_ value: Double, factor: Double = 1.5) {
                    self.value = value * factor
                }
            }
            """#,
            expandedSource: #"""
            struct Scaled {
                var value: Double
                init(_ value: Double, factor: Double = 1.5) {
                    self.value = value * factor
                }
            }

            extension Scaled: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Scaled"
                }

                static var signature: PySignature {
                    PySignature("Scaled()", [PyParameter("value", positionalOnly: true), PyParameter("factor", default: "1.5")])
                }

                init(arguments: PyArguments) throws(PyError) {
                    let value0 = try arguments.value(0, as: (Double).self)
                    let value1 = try arguments.value(1, as: (Double).self, orDefault: 1.5)
                    self.init(value0, factor: value1)
                }

                static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        Scaled._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: 2) {
                            (arguments: PyArguments) throws(PyError) -> Scaled in
                            let value0 = try arguments.value(0, as: (Double).self)
                            let value1 = try arguments.value(1, as: (Double).self, orDefault: 1.5)
                            return Scaled(value0, factor: value1)
                        }
                    }
                }

                static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: 2, positional: positional, count: count, keywords: keywords) {
                        (arguments: PyArguments) throws(PyError) -> Scaled in
                        let value0 = try arguments.value(0, as: (Double).self)
                        let value1 = try arguments.value(1, as: (Double).self, orDefault: 1.5)
                        return Scaled(value0, factor: value1)
                    }
                }

                static var attributes: [PyAttribute<Scaled>] {
                    [
                        PyAttribute("value") {
                            $0.value
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A `throws(PyError)` initialiser is called with `try`, in `init(arguments:)` and in
    /// `_makeInstance`.
    func testThrowingInitializerIsCalledWithTry() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Finite {
                @PyGet var x: Double
                @PyInit init(x: Double) throws(PyError) {
                    guard x.isFinite else { throw .valueError("x must be finite") }
                    self.x = x
                }
            }
            """#,
            expandedSource: #"""
            struct Finite {
                var x: Double
                init(x: Double) throws(PyError) {
                    guard x.isFinite else { throw .valueError("x must be finite") }
                    self.x = x
                }
            }

            extension Finite: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Finite"
                }

                static var signature: PySignature {
                    PySignature("Finite()", ["x"])
                }

                init(arguments: PyArguments) throws(PyError) {
                    let value0 = try arguments.value(0, as: (Double).self)
                    try self.init(x: value0)
                }

                static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        Finite._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: 1) {
                            (arguments: PyArguments) throws(PyError) -> Finite in
                            let value0 = try arguments.value(0, as: (Double).self)
                            return try Finite(x: value0)
                        }
                    }
                }

                static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: 1, positional: positional, count: count, keywords: keywords) {
                        (arguments: PyArguments) throws(PyError) -> Finite in
                        let value0 = try arguments.value(0, as: (Double).self)
                        return try Finite(x: value0)
                    }
                }

                static var attributes: [PyAttribute<Finite>] {
                    [
                        PyAttribute("x") {
                            $0.x
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// Non-mutating methods: a permanent signature each (`Circle.scaled()`), `_invokeMethod`, no
    /// `hasMutableState`; no arguments convert to `Void`, several to a tuple passed back by position
    /// with the Swift labels (`_` omitted, positional-only in Python).
    func testNonMutatingMethods() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Circle {
                var radius: Double
                @PyMethod func area() -> Double { radius * radius * 3.14 }
                @PyMethod func scaled(_ factor: Double, offset: Double = 0) -> Circle {
                    Circle(radius: radius * factor + offset)
                }
            }
            """#,
            expandedSource: #"""
            struct Circle {
                var radius: Double
                func area() -> Double { radius * radius * 3.14 }
                func scaled(_ factor: Double, offset: Double = 0) -> Circle {
                    Circle(radius: radius * factor + offset)
                }
            }

            extension Circle: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Circle"
                }

                static var isConstructible: Bool {
                    false
                }

                static let _pyMethodSignature0 = PySignature("Circle.area()", []).permanent

                static let _pyMethodSignature1 = PySignature("Circle.scaled()", [PyParameter("factor", positionalOnly: true), PyParameter("offset", default: "0")]).permanent

                static var methods: [PyMethod<Circle>] {
                    [
                        PyMethod("area", parameters: [], kind: .instance) { object, arguments, count, keywordNames in
                            Circle._invokeMethod(object, arguments, count, keywordNames, signature: Circle._pyMethodSignature0,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (state: UnsafeMutablePointer<Circle>, arguments: Void) throws(PyError) -> Double in
                                    return state.pointee.area()
                                })
                        },
                        PyMethod("scaled", parameters: [PyParameter("factor", positionalOnly: true), PyParameter("offset", default: "0")], kind: .instance) { object, arguments, count, keywordNames in
                            Circle._invokeMethod(object, arguments, count, keywordNames, signature: Circle._pyMethodSignature1,
                                arguments: { (arguments: PyArguments) throws(PyError) -> (Double, Double) in
                                    let value0 = try arguments.value(0, as: (Double).self);
                                    let value1 = try arguments.value(1, as: (Double).self, orDefault: 0);
                                    return (value0, value1)
                                },
                                body: { (state: UnsafeMutablePointer<Circle>, arguments: (Double, Double)) throws(PyError) -> Circle in
                                    return state.pointee.scaled(arguments.0, offset: arguments.1)
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A `mutating` method makes the class `hasMutableState` and is called through
    /// `_invokeMethod` (the class has mutable state: a critical section); its Python name is the argument label (`by`), not the parameter name.
    func testMutatingMethodMakesMutableState() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Counter {
                var value: Int
                @PyMethod mutating func increment(by step: Int = 1) -> Int {
                    value += step
                    return value
                }
            }
            """#,
            expandedSource: #"""
            struct Counter {
                var value: Int
                mutating func increment(by step: Int = 1) -> Int {
                    value += step
                    return value
                }
            }

            extension Counter: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Counter"
                }

                static var hasMutableState: Bool {
                    true
                }

                static var isConstructible: Bool {
                    false
                }

                static let _pyMethodSignature0 = PySignature("Counter.increment()", [PyParameter("by", default: "1")]).permanent

                static var methods: [PyMethod<Counter>] {
                    [
                        PyMethod("increment", parameters: [PyParameter("by", default: "1")], kind: .instance) { object, arguments, count, keywordNames in
                            Counter._invokeMethod(object, arguments, count, keywordNames, signature: Counter._pyMethodSignature0,
                                arguments: { (arguments: PyArguments) throws(PyError) -> Int in
                                    let value0 = try arguments.value(0, as: (Int).self, orDefault: 1);
                                    return value0
                                },
                                body: { (state: UnsafeMutablePointer<Counter>, arguments: Int) throws(PyError) -> Int in
                                    return state.pointee.increment(by: arguments)
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// Static methods: `kind: .static`, `_invokeFunction` (no receiver), called on the type; a `Self`
    /// result is the struct's own type.
    func testStaticMethods() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Vector {
                var x, y: Double
                @PyMethod static func zero() -> Vector { Vector(x: 0, y: 0) }
                @PyMethod static func unit(angle: Double) -> Self { Vector(x: angle, y: angle) }
            }
            """#,
            expandedSource: #"""
            struct Vector {
                var x, y: Double
                static func zero() -> Vector { Vector(x: 0, y: 0) }
                static func unit(angle: Double) -> Self { Vector(x: angle, y: angle) }
            }

            extension Vector: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Vector"
                }

                static var isConstructible: Bool {
                    false
                }

                static let _pyMethodSignature0 = PySignature("Vector.zero()", []).permanent

                static let _pyMethodSignature1 = PySignature("Vector.unit()", ["angle"]).permanent

                static var methods: [PyMethod<Vector>] {
                    [
                        PyMethod("zero", parameters: [], kind: .static) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Vector._pyMethodSignature0,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (arguments: Void) throws(PyError) -> Vector in
                                    return Vector.zero()
                                })
                        },
                        PyMethod("unit", parameters: ["angle"], kind: .static) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Vector._pyMethodSignature1,
                                arguments: { (arguments: PyArguments) throws(PyError) -> Double in
                                    let value0 = try arguments.value(0, as: (Double).self);
                                    return value0
                                },
                                body: { (arguments: Double) throws(PyError) -> Vector in
                                    return Vector.unit(angle: arguments)
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `@PySet`: read-write attributes (`get:` and `set:`) on a stored `var`, a computed property
    /// with a setter (renamed), and a stored property with observers; the class has mutable state.
    func testSettableAttributesMakeMutableState() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Label {
                @PySet var text: String
                @PySet("width") var columns: Int {
                    get { text.count }
                    set { text = String(repeating: " ", count: newValue) }
                }
                @PySet var observed: Int = 0 {
                    didSet { print(observed) }
                }
            }
            """#,
            expandedSource: #"""
            struct Label {
                var text: String
                var columns: Int {
                    get { text.count }
                    set { text = String(repeating: " ", count: newValue) }
                }
                var observed: Int = 0 {
                    didSet { print(observed) }
                }
            }

            extension Label: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Label"
                }

                static var hasMutableState: Bool {
                    true
                }

                static var isConstructible: Bool {
                    false
                }

                static var attributes: [PyAttribute<Label>] {
                    [
                        PyAttribute("text", get: {
                                $0.text
                            }, set: {
                                $0.text = $1
                            }),
                        PyAttribute("width", get: {
                                $0.columns
                            }, set: {
                                $0.columns = $1
                            }),
                        PyAttribute("observed", get: {
                                $0.observed
                            }, set: {
                                $0.observed = $1
                            }),
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `@PyClassAttribute` on a `static let` and a computed `static var` (renamed): read from the type.
    func testClassAttributes() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Grid {
                @PyClassAttribute static let dimensions = 2
                @PyClassAttribute("ORIGIN") static var origin: String { "(0, 0)" }
            }
            """#,
            expandedSource: #"""
            struct Grid {
                static let dimensions = 2
                static var origin: String { "(0, 0)" }
            }

            extension Grid: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Grid"
                }

                static var isConstructible: Bool {
                    false
                }

                static var classAttributes: [PyClassAttribute] {
                    [PyClassAttribute("dimensions") {
                            Grid.dimensions
                        }, PyClassAttribute("ORIGIN") {
                            Grid.origin
                        }]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// The options: the Python name (also in the method signatures' display names), `freeList:`
    /// copied as written, `canaries:`, `final:` (not a base type), `weakref:`; marker names rename
    /// members.
    func testOptions() {
        assertMacroExpansion(
            #"""
            @PyClass("Pt", freeList: .perThread(capacity: 32), canaries: true, final: true, weakref: true)
            struct P {
                @PyGet("ex") var x: Double
                @PyMethod("magnitude") func norm() -> Double { x.magnitude }
            }
            """#,
            expandedSource: #"""
            struct P {
                var x: Double
                func norm() -> Double { x.magnitude }
            }

            extension P: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Pt"
                }

                static var freeList: FreeListStrategy {
                    .perThread(capacity: 32)
                }

                static var freeListCanaries: Bool {
                    true
                }

                static var isBaseType: Bool {
                    false
                }

                static var supportsWeakReferences: Bool {
                    true
                }

                static var isConstructible: Bool {
                    false
                }

                static var attributes: [PyAttribute<P>] {
                    [
                        PyAttribute("ex") {
                            $0.x
                        },
                    ]
                }

                static let _pyMethodSignature0 = PySignature("Pt.magnitude()", []).permanent

                static var methods: [PyMethod<P>] {
                    [
                        PyMethod("magnitude", parameters: [], kind: .instance) { object, arguments, count, keywordNames in
                            P._invokeMethod(object, arguments, count, keywordNames, signature: P._pyMethodSignature0,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (state: UnsafeMutablePointer<P>, arguments: Void) throws(PyError) -> Double in
                                    return state.pointee.norm()
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `false` options generate nothing; an explicit `freeList:` is copied even when it is `.none`.
    func testFalseOptionsAddNothing() {
        assertMacroExpansion(
            #"""
            @PyClass(freeList: .none, canaries: false, final: false, weakref: false)
            struct Q {}
            """#,
            expandedSource: #"""
            struct Q {}

            extension Q: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Q"
                }

                static var freeList: FreeListStrategy {
                    .none
                }

                static var isConstructible: Bool {
                    false
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `///` comments become the class's `doc` (lines joined with newlines, blank `///` lines kept),
    /// and the attribute's and method's `doc:`; quotes are escaped; `//` comments are not docs.
    func testDocComments() {
        assertMacroExpansion(
            #"""
            /// A text label.
            ///
            /// Shown on screen.
            @PyClass
            struct Label {
                /// The "text" itself.
                @PyGet var text: String
                // Not a doc comment.
                @PyGet var size: Int
                /// The length of the text.
                @PyMethod func length() -> Int { text.count }
            }
            """#,
            expandedSource: #"""
            /// A text label.
            ///
            /// Shown on screen.
            struct Label {
                /// The "text" itself.
                var text: String
                // Not a doc comment.
                var size: Int
                /// The length of the text.
                func length() -> Int { text.count }
            }

            extension Label: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Label"
                }

                static var doc: String? {
                    "A text label.\n\nShown on screen."
                }

                static var isConstructible: Bool {
                    false
                }

                static var attributes: [PyAttribute<Label>] {
                    [
                        PyAttribute("text", doc: "The \"text\" itself.") {
                            $0.text
                        },
                        PyAttribute("size") {
                            $0.size
                        },
                    ]
                }

                static let _pyMethodSignature0 = PySignature("Label.length()", []).permanent

                static var methods: [PyMethod<Label>] {
                    [
                        PyMethod("length", doc: "The length of the text.", parameters: [], kind: .instance) { object, arguments, count, keywordNames in
                            Label._invokeMethod(object, arguments, count, keywordNames, signature: Label._pyMethodSignature0,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (state: UnsafeMutablePointer<Label>, arguments: Void) throws(PyError) -> Int in
                                    return state.pointee.length()
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// Stored `PyReference` instance properties (exposed or not) make the class garbage-collected with
    /// a generated `traverse` (each visited in declaration order into one `status`, the first non-zero
    /// result returned) and `clear`; static and computed `PyReference` properties are not part of the
    /// state.
    func testPyReferencePropertiesMakeGarbageCollectedClass() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Pair {
                @PyGet var first: PyReference
                var second: PyReference
                @PyGet var count: Int
                static var shared: PyReference? = nil
                var computed: PyReference { first }
            }
            """#,
            expandedSource: #"""
            struct Pair {
                var first: PyReference
                var second: PyReference
                var count: Int
                static var shared: PyReference? = nil
                var computed: PyReference { first }
            }

            extension Pair: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Pair"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                func traverse(_ visitor: PyVisitor) -> Int32 {
                    var status: Int32 = 0
                    status = self.first.visit(visitor)
                    if status != 0 {
                        return status
                    }
                    status = self.second.visit(visitor)
                    if status != 0 {
                        return status
                    }
                    return status
                }

                mutating func clear() {
                    self.first.clear()
                    self.second.clear()
                }

                static var isConstructible: Bool {
                    false
                }

                static var attributes: [PyAttribute<Pair>] {
                    [
                        PyAttribute("first") {
                            $0.first
                        },
                        PyAttribute("count") {
                            $0.count
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A struct that declares its own `traverse` and `clear` gets `hasGarbageCollection` and neither
    /// generated, whatever it stores.
    func testDeclaredTraverseOnlyEnablesGarbageCollection() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Holder {
                var box: Box
                var reference: PyReference
                func traverse(_ visitor: PyVisitor) -> Int32 { box.visit(visitor) }
                mutating func clear() { box.removeAll() }
            }
            """#,
            expandedSource: #"""
            struct Holder {
                var box: Box
                var reference: PyReference
                func traverse(_ visitor: PyVisitor) -> Int32 { box.visit(visitor) }
                mutating func clear() { box.removeAll() }
            }

            extension Holder: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Holder"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                static var isConstructible: Bool {
                    false
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A struct that declares its own `clear()` gets the generated `traverse` but not the generated
    /// `clear()`, which would be a second declaration of it.
    func testDeclaredClearSuppressesOnlyGeneratedClear() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Cache {
                var value: PyReference
                var hits: Int
                mutating func clear() {
                    self.value.clear()
                    hits = 0
                }
            }
            """#,
            expandedSource: #"""
            struct Cache {
                var value: PyReference
                var hits: Int
                mutating func clear() {
                    self.value.clear()
                    hits = 0
                }
            }

            extension Cache: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Cache"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                func traverse(_ visitor: PyVisitor) -> Int32 {
                    var status: Int32 = 0
                    status = self.value.visit(visitor)
                    if status != 0 {
                        return status
                    }
                    return status
                }

                static var isConstructible: Bool {
                    false
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A struct that declares its own `traverse(_:)` still gets the generated `clear()`.
    func testDeclaredTraverseSuppressesOnlyGeneratedTraverse() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Watched {
                var value: PyReference
                func traverse(_ visitor: PyVisitor) -> Int32 { value.visit(visitor) }
            }
            """#,
            expandedSource: #"""
            struct Watched {
                var value: PyReference
                func traverse(_ visitor: PyVisitor) -> Int32 { value.visit(visitor) }
            }

            extension Watched: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Watched"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                mutating func clear() {
                    self.value.clear()
                }

                static var isConstructible: Bool {
                    false
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A declared `clear()` makes the class garbage-collected even without stored references (the
    /// references are in a box; `traverse` is `PyClass`'s default).
    func testDeclaredClearAloneEnablesGarbageCollection() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Resettable {
                var box: Box
                mutating func clear() { box.removeAll() }
            }
            """#,
            expandedSource: #"""
            struct Resettable {
                var box: Box
                mutating func clear() { box.removeAll() }
            }

            extension Resettable: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Resettable"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                static var isConstructible: Bool {
                    false
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// Only a `clear()` without parameters is the collector's: `clear(_:)` does not stop the generated one.
    func testClearWithParametersIsNotTheCollectorsClear() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Store {
                var value: PyReference
                func clear(_ keepingCapacity: Bool) {}
            }
            """#,
            expandedSource: #"""
            struct Store {
                var value: PyReference
                func clear(_ keepingCapacity: Bool) {}
            }

            extension Store: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Store"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                func traverse(_ visitor: PyVisitor) -> Int32 {
                    var status: Int32 = 0
                    status = self.value.visit(visitor)
                    if status != 0 {
                        return status
                    }
                    return status
                }

                mutating func clear() {
                    self.value.clear()
                }

                static var isConstructible: Bool {
                    false
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `var a, b: PyReference` (the type written once, on the last name): both are visited and cleared,
    /// in order. The visits share one `var status`, so a property named like a per-reference local
    /// (`valueResult`) is not shadowed.
    func testReferencesDeclaredTogetherShareOneStatus() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Link {
                @PyGet var size: Int
                var value, valueResult: PyReference
            }
            """#,
            expandedSource: #"""
            struct Link {
                var size: Int
                var value, valueResult: PyReference
            }

            extension Link: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Link"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                func traverse(_ visitor: PyVisitor) -> Int32 {
                    var status: Int32 = 0
                    status = self.value.visit(visitor)
                    if status != 0 {
                        return status
                    }
                    status = self.valueResult.visit(visitor)
                    if status != 0 {
                        return status
                    }
                    return status
                }

                mutating func clear() {
                    self.value.clear()
                    self.valueResult.clear()
                }

                static var isConstructible: Bool {
                    false
                }

                static var attributes: [PyAttribute<Link>] {
                    [
                        PyAttribute("size") {
                            $0.size
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A `PyReference?` stored property is visited when present (`?? 0`) and cleared with `?.`.
    func testOptionalReference() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Node {
                @PyGet var name: String
                var parent: PyReference?
            }
            """#,
            expandedSource: #"""
            struct Node {
                var name: String
                var parent: PyReference?
            }

            extension Node: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Node"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                func traverse(_ visitor: PyVisitor) -> Int32 {
                    var status: Int32 = 0
                    status = self.parent?.visit(visitor) ?? 0
                    if status != 0 {
                        return status
                    }
                    return status
                }

                mutating func clear() {
                    self.parent?.clear()
                }

                static var isConstructible: Bool {
                    false
                }

                static var attributes: [PyAttribute<Node>] {
                    [
                        PyAttribute("name") {
                            $0.name
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A `[PyReference]` stored property: each element visited in a loop (the first non-zero result
    /// returned) and cleared in place.
    func testArrayOfReferences() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Bag {
                var items: [PyReference]
            }
            """#,
            expandedSource: #"""
            struct Bag {
                var items: [PyReference]
            }

            extension Bag: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Bag"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                func traverse(_ visitor: PyVisitor) -> Int32 {
                    var status: Int32 = 0
                    for reference in self.items {
                        status = reference.visit(visitor)
                        if status != 0 {
                            return status
                        }
                    }
                    return status
                }

                mutating func clear() {
                    for index in self.items.indices {
                        self.items[index].clear()
                    }
                }

                static var isConstructible: Bool {
                    false
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `throws(PyError)` methods, instance, mutating and static, are called with `try`.
    func testThrowingMethodsAreCalledWithTry() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Checked {
                var x: Double
                @PyMethod func inverse() throws(PyError) -> Double {
                    guard x != 0 else { throw .valueError("zero") }
                    return 1 / x
                }
                @PyMethod mutating func reset(to value: Double) throws(PyError) {
                    x = value
                }
                @PyMethod static func parse(_ text: String) throws(PyError) -> Checked {
                    Checked(x: 0)
                }
            }
            """#,
            expandedSource: #"""
            struct Checked {
                var x: Double
                func inverse() throws(PyError) -> Double {
                    guard x != 0 else { throw .valueError("zero") }
                    return 1 / x
                }
                mutating func reset(to value: Double) throws(PyError) {
                    x = value
                }
                static func parse(_ text: String) throws(PyError) -> Checked {
                    Checked(x: 0)
                }
            }

            extension Checked: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Checked"
                }

                static var hasMutableState: Bool {
                    true
                }

                static var isConstructible: Bool {
                    false
                }

                static let _pyMethodSignature0 = PySignature("Checked.inverse()", []).permanent

                static let _pyMethodSignature1 = PySignature("Checked.reset()", ["to"]).permanent

                static let _pyMethodSignature2 = PySignature("Checked.parse()", [PyParameter("text", positionalOnly: true)]).permanent

                static var methods: [PyMethod<Checked>] {
                    [
                        PyMethod("inverse", parameters: [], kind: .instance) { object, arguments, count, keywordNames in
                            Checked._invokeMethod(object, arguments, count, keywordNames, signature: Checked._pyMethodSignature0,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (state: UnsafeMutablePointer<Checked>, arguments: Void) throws(PyError) -> Double in
                                    return try state.pointee.inverse()
                                })
                        },
                        PyMethod("reset", parameters: ["to"], kind: .instance) { object, arguments, count, keywordNames in
                            Checked._invokeMethod(object, arguments, count, keywordNames, signature: Checked._pyMethodSignature1,
                                arguments: { (arguments: PyArguments) throws(PyError) -> Double in
                                    let value0 = try arguments.value(0, as: (Double).self);
                                    return value0
                                },
                                body: { (state: UnsafeMutablePointer<Checked>, arguments: Double) throws(PyError) -> PyNone in
                                    try state.pointee.reset(to: arguments);
                                    return PyNone()
                                })
                        },
                        PyMethod("parse", parameters: [PyParameter("text", positionalOnly: true)], kind: .static) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Checked._pyMethodSignature2,
                                arguments: { (arguments: PyArguments) throws(PyError) -> String in
                                    let value0 = try arguments.value(0, as: (String).self);
                                    return value0
                                },
                                body: { (arguments: String) throws(PyError) -> Checked in
                                    return try Checked.parse(arguments)
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A method without a result, `-> Void` or `-> ()` returns `PyNone()` (Python's `None`).
    func testVoidMethodsReturnNone() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Logger {
                var prefix: String
                @PyMethod func log(message: String) { print(prefix + message) }
                @PyMethod func flush() -> Void {}
                @PyMethod func touch() -> () {}
            }
            """#,
            expandedSource: #"""
            struct Logger {
                var prefix: String
                func log(message: String) { print(prefix + message) }
                func flush() -> Void {}
                func touch() -> () {}
            }

            extension Logger: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Logger"
                }

                static var isConstructible: Bool {
                    false
                }

                static let _pyMethodSignature0 = PySignature("Logger.log()", ["message"]).permanent

                static let _pyMethodSignature1 = PySignature("Logger.flush()", []).permanent

                static let _pyMethodSignature2 = PySignature("Logger.touch()", []).permanent

                static var methods: [PyMethod<Logger>] {
                    [
                        PyMethod("log", parameters: ["message"], kind: .instance) { object, arguments, count, keywordNames in
                            Logger._invokeMethod(object, arguments, count, keywordNames, signature: Logger._pyMethodSignature0,
                                arguments: { (arguments: PyArguments) throws(PyError) -> String in
                                    let value0 = try arguments.value(0, as: (String).self);
                                    return value0
                                },
                                body: { (state: UnsafeMutablePointer<Logger>, arguments: String) throws(PyError) -> PyNone in
                                    state.pointee.log(message: arguments);
                                    return PyNone()
                                })
                        },
                        PyMethod("flush", parameters: [], kind: .instance) { object, arguments, count, keywordNames in
                            Logger._invokeMethod(object, arguments, count, keywordNames, signature: Logger._pyMethodSignature1,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (state: UnsafeMutablePointer<Logger>, arguments: Void) throws(PyError) -> PyNone in
                                    state.pointee.flush();
                                    return PyNone()
                                })
                        },
                        PyMethod("touch", parameters: [], kind: .instance) { object, arguments, count, keywordNames in
                            Logger._invokeMethod(object, arguments, count, keywordNames, signature: Logger._pyMethodSignature2,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (state: UnsafeMutablePointer<Logger>, arguments: Void) throws(PyError) -> PyNone in
                                    state.pointee.touch();
                                    return PyNone()
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// Parameters holding a `PyReference` (also `PyReference?`) convert in declaration order with the
    /// others: when a later argument is rejected, the reference an earlier one took is released with
    /// its last copy.
    func testPyReferenceParametersConvertInOrder() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Tracked {
                var box: TrackedBox
                @PyGet var label: String
                @PyInit init(value: PyReference, label: String = "") {
                    self.label = label
                    box = TrackedBox(holding: value)
                }
                @PyMethod func hold(_ obj: PyReference, count: Int, optional: PyReference?, flag: Bool = false) -> Int { count }
                func traverse(_ visitor: PyVisitor) -> Int32 { box.visit(visitor) }
            }
            """#,
            expandedSource: #"""
            struct Tracked {
                var box: TrackedBox
                var label: String
                init(value: PyReference, label: String = "") {
                    self.label = label
                    box = TrackedBox(holding: value)
                }
                func hold(_ obj: PyReference, count: Int, optional: PyReference?, flag: Bool = false) -> Int { count }
                func traverse(_ visitor: PyVisitor) -> Int32 { box.visit(visitor) }
            }

            extension Tracked: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Tracked"
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                static var signature: PySignature {
                    PySignature("Tracked()", ["value", PyParameter("label", default: "''")])
                }

                init(arguments: PyArguments) throws(PyError) {
                    let value0 = try arguments.value(0, as: (PyReference).self)
                    let value1 = try arguments.value(1, as: (String).self, orDefault: "")
                    self.init(value: value0, label: value1)
                }

                static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        Tracked._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: 2) {
                            (arguments: PyArguments) throws(PyError) -> Tracked in
                            let value0 = try arguments.value(0, as: (PyReference).self)
                            let value1 = try arguments.value(1, as: (String).self, orDefault: "")
                            return Tracked(value: value0, label: value1)
                        }
                    }
                }

                static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: 2, positional: positional, count: count, keywords: keywords) {
                        (arguments: PyArguments) throws(PyError) -> Tracked in
                        let value0 = try arguments.value(0, as: (PyReference).self)
                        let value1 = try arguments.value(1, as: (String).self, orDefault: "")
                        return Tracked(value: value0, label: value1)
                    }
                }

                static var attributes: [PyAttribute<Tracked>] {
                    [
                        PyAttribute("label") {
                            $0.label
                        },
                    ]
                }

                static let _pyMethodSignature0 = PySignature("Tracked.hold()", [PyParameter("obj", positionalOnly: true), "count", "optional", PyParameter("flag", default: "False")]).permanent

                static var methods: [PyMethod<Tracked>] {
                    [
                        PyMethod("hold", parameters: [PyParameter("obj", positionalOnly: true), "count", "optional", PyParameter("flag", default: "False")], kind: .instance) { object, arguments, count, keywordNames in
                            Tracked._invokeMethod(object, arguments, count, keywordNames, signature: Tracked._pyMethodSignature0,
                                arguments: { (arguments: PyArguments) throws(PyError) -> (PyReference, Int, PyReference?, Bool) in
                                    let value0 = try arguments.value(0, as: (PyReference).self);
                                    let value1 = try arguments.value(1, as: (Int).self);
                                    let value2 = try arguments.value(2, as: (PyReference?).self);
                                    let value3 = try arguments.value(3, as: (Bool).self, orDefault: false);
                                    return (value0, value1, value2, value3)
                                },
                                body: { (state: UnsafeMutablePointer<Tracked>, arguments: (PyReference, Int, PyReference?, Bool)) throws(PyError) -> Int in
                                    return state.pointee.hold(arguments.0, count: arguments.1, optional: arguments.2, flag: arguments.3)
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// Members without markers (and initialisers without `@PyInit`) are not exposed.
    func testUnmarkedMembersAreNotExposed() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Plain {
                var hidden: Int
                let constant = 1
                static let shared = 2
                func helper() -> Int { hidden }
                init(hidden: Int) { self.hidden = hidden }
                var pythonRepr: String { "Plain(\(hidden))" }
            }
            """#,
            expandedSource: #"""
            struct Plain {
                var hidden: Int
                let constant = 1
                static let shared = 2
                func helper() -> Int { hidden }
                init(hidden: Int) { self.hidden = hidden }
                var pythonRepr: String { "Plain(\(hidden))" }
            }

            extension Plain: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Plain"
                }

                static var isConstructible: Bool {
                    false
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// The members generated for a `public` struct are `public` (they witness requirements of the public
    /// `PyClass` protocol): every kind of member.
    func testPublicStructMembersArePublic() {
        assertMacroExpansion(
            #"""
            /// A point other modules use.
            @PyClass(freeList: .perThread(capacity: 8))
            public struct PublicPoint {
                @PyGet public var x: Double
                @PySet public var label: String
                public var tag: PyReference
                @PyInit public init(x: Double, tag: PyReference, label: String = "") {
                    self.x = x
                    self.tag = tag
                    self.label = label
                }
                @PyMethod public func norm() -> Double { x.magnitude }
                @PyMethod public static func unit(tag: PyReference) -> PublicPoint { PublicPoint(x: 1, tag: tag) }
                @PyClassAttribute public static let dimensions = 1
            }
            """#,
            expandedSource: #"""
            /// A point other modules use.
            public struct PublicPoint {
                public var x: Double
                public var label: String
                public var tag: PyReference
                public init(x: Double, tag: PyReference, label: String = "") {
                    self.x = x
                    self.tag = tag
                    self.label = label
                }
                public func norm() -> Double { x.magnitude }
                public static func unit(tag: PyReference) -> PublicPoint { PublicPoint(x: 1, tag: tag) }
                public static let dimensions = 1
            }

            extension PublicPoint: PyClass, PyConvertible {
                public static let _pyTypeSlot = PyClassTypeSlot()

                public static var pythonName: String {
                    "PublicPoint"
                }

                public static var doc: String? {
                    "A point other modules use."
                }

                public static var freeList: FreeListStrategy {
                    .perThread(capacity: 8)
                }

                public static var hasMutableState: Bool {
                    true
                }

                public static var hasGarbageCollection: Bool {
                    true
                }

                public func traverse(_ visitor: PyVisitor) -> Int32 {
                    var status: Int32 = 0
                    status = self.tag.visit(visitor)
                    if status != 0 {
                        return status
                    }
                    return status
                }

                public mutating func clear() {
                    self.tag.clear()
                }

                public static var signature: PySignature {
                    PySignature("PublicPoint()", ["x", "tag", PyParameter("label", default: "''")])
                }

                public init(arguments: PyArguments) throws(PyError) {
                    let value0 = try arguments.value(0, as: (Double).self)
                    let value1 = try arguments.value(1, as: (PyReference).self)
                    let value2 = try arguments.value(2, as: (String).self, orDefault: "")
                    self.init(x: value0, tag: value1, label: value2)
                }

                public static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        PublicPoint._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: 3) {
                            (arguments: PyArguments) throws(PyError) -> PublicPoint in
                            let value0 = try arguments.value(0, as: (Double).self)
                            let value1 = try arguments.value(1, as: (PyReference).self)
                            let value2 = try arguments.value(2, as: (String).self, orDefault: "")
                            return PublicPoint(x: value0, tag: value1, label: value2)
                        }
                    }
                }

                public static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: 3, positional: positional, count: count, keywords: keywords) {
                        (arguments: PyArguments) throws(PyError) -> PublicPoint in
                        let value0 = try arguments.value(0, as: (Double).self)
                        let value1 = try arguments.value(1, as: (PyReference).self)
                        let value2 = try arguments.value(2, as: (String).self, orDefault: "")
                        return PublicPoint(x: value0, tag: value1, label: value2)
                    }
                }

                public static var attributes: [PyAttribute<PublicPoint>] {
                    [
                        PyAttribute("x") {
                            $0.x
                        },
                        PyAttribute("label", get: {
                                $0.label
                            }, set: {
                                $0.label = $1
                            }),
                    ]
                }

                public static let _pyMethodSignature0 = PySignature("PublicPoint.norm()", []).permanent

                public static let _pyMethodSignature1 = PySignature("PublicPoint.unit()", ["tag"]).permanent

                public static var methods: [PyMethod<PublicPoint>] {
                    [
                        PyMethod("norm", parameters: [], kind: .instance) { object, arguments, count, keywordNames in
                            PublicPoint._invokeMethod(object, arguments, count, keywordNames, signature: PublicPoint._pyMethodSignature0,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (state: UnsafeMutablePointer<PublicPoint>, arguments: Void) throws(PyError) -> Double in
                                    return state.pointee.norm()
                                })
                        },
                        PyMethod("unit", parameters: ["tag"], kind: .static) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: PublicPoint._pyMethodSignature1,
                                arguments: { (arguments: PyArguments) throws(PyError) -> PyReference in
                                    let value0 = try arguments.value(0, as: (PyReference).self);
                                    return value0
                                },
                                body: { (arguments: PyReference) throws(PyError) -> PublicPoint in
                                    return PublicPoint.unit(tag: arguments)
                                })
                        },
                    ]
                }

                public static var classAttributes: [PyClassAttribute] {
                    [PyClassAttribute("dimensions") {
                            PublicPoint.dimensions
                        }]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// The members generated for a `package` struct are `package`.
    func testPackageStructMembersArePackage() {
        assertMacroExpansion(
            #"""
            @PyClass
            package struct Token {
                @PyGet package var text: String
                @PyInit package init(text: String) { self.text = text }
            }
            """#,
            expandedSource: #"""
            package struct Token {
                package var text: String
                package init(text: String) { self.text = text }
            }

            extension Token: PyClass, PyConvertible {
                package static let _pyTypeSlot = PyClassTypeSlot()

                package static var pythonName: String {
                    "Token"
                }

                package static var signature: PySignature {
                    PySignature("Token()", ["text"])
                }

                package init(arguments: PyArguments) throws(PyError) {
                    let value0 = try arguments.value(0, as: (String).self)
                    self.init(text: value0)
                }

                package static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        Token._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: 1) {
                            (arguments: PyArguments) throws(PyError) -> Token in
                            let value0 = try arguments.value(0, as: (String).self)
                            return Token(text: value0)
                        }
                    }
                }

                package static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: 1, positional: positional, count: count, keywords: keywords) {
                        (arguments: PyArguments) throws(PyError) -> Token in
                        let value0 = try arguments.value(0, as: (String).self)
                        return Token(text: value0)
                    }
                }

                package static var attributes: [PyAttribute<Token>] {
                    [
                        PyAttribute("text") {
                            $0.text
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// Keywords used as names: the Python names (attributes, class attribute, parameters, methods, the
    /// signatures' display names) have no backticks; the Swift code keeps them where it names Swift members
    /// (`` $0.`class` ``, `` state.pointee.`import` ``, `` Keywords.`static` ``); argument labels need none.
    func testBacktickedNames() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Keywords {
                @PyGet var `class`: String
                @PySet var `default`: Int
                @PyClassAttribute static let `static` = 1
                @PyInit init(`class`: String, `default`: Int = 0) {
                    self.class = `class`
                    self.default = `default`
                }
                @PyMethod func `import`(_ `in`: Int, `from` path: String) -> Int { `in` }
                @PyMethod static func `return`() -> Int { 0 }
            }
            """#,
            expandedSource: #"""
            struct Keywords {
                var `class`: String
                var `default`: Int
                static let `static` = 1
                init(`class`: String, `default`: Int = 0) {
                    self.class = `class`
                    self.default = `default`
                }
                func `import`(_ `in`: Int, `from` path: String) -> Int { `in` }
                static func `return`() -> Int { 0 }
            }

            extension Keywords: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Keywords"
                }

                static var hasMutableState: Bool {
                    true
                }

                static var signature: PySignature {
                    PySignature("Keywords()", ["class", PyParameter("default", default: "0")])
                }

                init(arguments: PyArguments) throws(PyError) {
                    let value0 = try arguments.value(0, as: (String).self)
                    let value1 = try arguments.value(1, as: (Int).self, orDefault: 0)
                    self.init(class: value0, default: value1)
                }

                static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        Keywords._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: 2) {
                            (arguments: PyArguments) throws(PyError) -> Keywords in
                            let value0 = try arguments.value(0, as: (String).self)
                            let value1 = try arguments.value(1, as: (Int).self, orDefault: 0)
                            return Keywords(class: value0, default: value1)
                        }
                    }
                }

                static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: 2, positional: positional, count: count, keywords: keywords) {
                        (arguments: PyArguments) throws(PyError) -> Keywords in
                        let value0 = try arguments.value(0, as: (String).self)
                        let value1 = try arguments.value(1, as: (Int).self, orDefault: 0)
                        return Keywords(class: value0, default: value1)
                    }
                }

                static var attributes: [PyAttribute<Keywords>] {
                    [
                        PyAttribute("class") {
                            $0.`class`
                        },
                        PyAttribute("default", get: {
                                $0.`default`
                            }, set: {
                                $0.`default` = $1
                            }),
                    ]
                }

                static let _pyMethodSignature0 = PySignature("Keywords.import()", [PyParameter("in", positionalOnly: true), "from"]).permanent

                static let _pyMethodSignature1 = PySignature("Keywords.return()", []).permanent

                static var methods: [PyMethod<Keywords>] {
                    [
                        PyMethod("import", parameters: [PyParameter("in", positionalOnly: true), "from"], kind: .instance) { object, arguments, count, keywordNames in
                            Keywords._invokeMethod(object, arguments, count, keywordNames, signature: Keywords._pyMethodSignature0,
                                arguments: { (arguments: PyArguments) throws(PyError) -> (Int, String) in
                                    let value0 = try arguments.value(0, as: (Int).self);
                                    let value1 = try arguments.value(1, as: (String).self);
                                    return (value0, value1)
                                },
                                body: { (state: UnsafeMutablePointer<Keywords>, arguments: (Int, String)) throws(PyError) -> Int in
                                    return state.pointee.`import`(arguments.0, from: arguments.1)
                                })
                        },
                        PyMethod("return", parameters: [], kind: .static) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Keywords._pyMethodSignature1,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (arguments: Void) throws(PyError) -> Int in
                                    return Keywords.`return`()
                                })
                        },
                    ]
                }

                static var classAttributes: [PyClassAttribute] {
                    [PyClassAttribute("static") {
                            Keywords.`static`
                        }]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `points.Point` as Examples/Points declares it.
    func testPointsPoint() {
        assertMacroExpansion(
            #"""
            /// A 2-D point, allocated through a per-thread freelist of capacity 32.
            @PyClass(freeList: .perThread(capacity: 32))
            struct Point {
                /// The x coordinate.
                @PyGet var x: Double
                /// The y coordinate.
                @PyGet var y: Double

                @PyInit init(x: Double, y: Double) throws(PyError) {
                    guard x.isFinite, y.isFinite else { throw .valueError("Point() coordinates must be finite, got (\(x), \(y))") }
                    self.x = x
                    self.y = y
                }

                /// The Euclidean length of the point.
                @PyMethod func norm() -> Double { (x * x + y * y).squareRoot() }

                var pythonRepr: String { "Point(x=\(x), y=\(y))" }
            }
            """#,
            expandedSource: #"""
            /// A 2-D point, allocated through a per-thread freelist of capacity 32.
            struct Point {
                /// The x coordinate.
                var x: Double
                /// The y coordinate.
                var y: Double

                init(x: Double, y: Double) throws(PyError) {
                    guard x.isFinite, y.isFinite else { throw .valueError("Point() coordinates must be finite, got (\(x), \(y))") }
                    self.x = x
                    self.y = y
                }

                /// The Euclidean length of the point.
                func norm() -> Double { (x * x + y * y).squareRoot() }

                var pythonRepr: String { "Point(x=\(x), y=\(y))" }
            }

            extension Point: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Point"
                }

                static var doc: String? {
                    "A 2-D point, allocated through a per-thread freelist of capacity 32."
                }

                static var freeList: FreeListStrategy {
                    .perThread(capacity: 32)
                }

                static var signature: PySignature {
                    PySignature("Point()", ["x", "y"])
                }

                init(arguments: PyArguments) throws(PyError) {
                    let value0 = try arguments.value(0, as: (Double).self)
                    let value1 = try arguments.value(1, as: (Double).self)
                    try self.init(x: value0, y: value1)
                }

                static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        Point._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: 2) {
                            (arguments: PyArguments) throws(PyError) -> Point in
                            let value0 = try arguments.value(0, as: (Double).self)
                            let value1 = try arguments.value(1, as: (Double).self)
                            return try Point(x: value0, y: value1)
                        }
                    }
                }

                static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: 2, positional: positional, count: count, keywords: keywords) {
                        (arguments: PyArguments) throws(PyError) -> Point in
                        let value0 = try arguments.value(0, as: (Double).self)
                        let value1 = try arguments.value(1, as: (Double).self)
                        return try Point(x: value0, y: value1)
                    }
                }

                static var attributes: [PyAttribute<Point>] {
                    [
                        PyAttribute("x", doc: "The x coordinate.") {
                            $0.x
                        },
                        PyAttribute("y", doc: "The y coordinate.") {
                            $0.y
                        },
                    ]
                }

                static let _pyMethodSignature0 = PySignature("Point.norm()", []).permanent

                static var methods: [PyMethod<Point>] {
                    [
                        PyMethod("norm", doc: "The Euclidean length of the point.", parameters: [], kind: .instance) { object, arguments, count, keywordNames in
                            Point._invokeMethod(object, arguments, count, keywordNames, signature: Point._pyMethodSignature0,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (state: UnsafeMutablePointer<Point>, arguments: Void) throws(PyError) -> Double in
                                    return state.pointee.norm()
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `points.Counter` as Examples/Points declares it (body shortened): a `private(set)` getter, a
    /// setter, a throwing mutating method.
    func testPointsCounter() {
        assertMacroExpansion(
            #"""
            /// A counter that threads may share.
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
                    value += step
                    return value
                }
            }
            """#,
            expandedSource: #"""
            /// A counter that threads may share.
            struct Counter {
                /// The current value.
                private(set) var value: Int
                /// A label, read-write.
                var label: String

                init(start: Int = 0) {
                    value = start
                    label = ""
                }

                /// Adds by to the value and returns the new value.
                mutating func increment(by step: Int = 1) throws(PyError) -> Int {
                    value += step
                    return value
                }
            }

            extension Counter: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Counter"
                }

                static var doc: String? {
                    "A counter that threads may share."
                }

                static var freeList: FreeListStrategy {
                    .perThread(capacity: 32)
                }

                static var hasMutableState: Bool {
                    true
                }

                static var signature: PySignature {
                    PySignature("Counter()", [PyParameter("start", default: "0")])
                }

                init(arguments: PyArguments) throws(PyError) {
                    let value0 = try arguments.value(0, as: (Int).self, orDefault: 0)
                    self.init(start: value0)
                }

                static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        Counter._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: 1) {
                            (arguments: PyArguments) throws(PyError) -> Counter in
                            let value0 = try arguments.value(0, as: (Int).self, orDefault: 0)
                            return Counter(start: value0)
                        }
                    }
                }

                static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: 1, positional: positional, count: count, keywords: keywords) {
                        (arguments: PyArguments) throws(PyError) -> Counter in
                        let value0 = try arguments.value(0, as: (Int).self, orDefault: 0)
                        return Counter(start: value0)
                    }
                }

                static var attributes: [PyAttribute<Counter>] {
                    [
                        PyAttribute("value", doc: "The current value.") {
                            $0.value
                        },
                        PyAttribute("label", doc: "A label, read-write.", get: {
                                $0.label
                            }, set: {
                                $0.label = $1
                            }),
                    ]
                }

                static let _pyMethodSignature0 = PySignature("Counter.increment()", [PyParameter("by", default: "1")]).permanent

                static var methods: [PyMethod<Counter>] {
                    [
                        PyMethod("increment", doc: "Adds by to the value and returns the new value.", parameters: [PyParameter("by", default: "1")], kind: .instance) { object, arguments, count, keywordNames in
                            Counter._invokeMethod(object, arguments, count, keywordNames, signature: Counter._pyMethodSignature0,
                                arguments: { (arguments: PyArguments) throws(PyError) -> Int in
                                    let value0 = try arguments.value(0, as: (Int).self, orDefault: 1);
                                    return value0
                                },
                                body: { (state: UnsafeMutablePointer<Counter>, arguments: Int) throws(PyError) -> Int in
                                    return try state.pointee.increment(by: arguments)
                                })
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `points.Tagged` as Examples/Points declares it: garbage-collected, the arguments converted in
    /// order.
    func testPointsTagged() {
        assertMacroExpansion(
            #"""
            /// Any object with a string tag.
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
            }
            """#,
            expandedSource: #"""
            /// Any object with a string tag.
            struct Tagged {
                /// The tagged object.
                var value: PyReference
                /// The tag.
                var tag: String

                init(value: PyReference, tag: String) {
                    self.value = value
                    self.tag = tag
                }
            }

            extension Tagged: PyClass, PyConvertible {
                static let _pyTypeSlot = PyClassTypeSlot()

                static var pythonName: String {
                    "Tagged"
                }

                static var doc: String? {
                    "Any object with a string tag."
                }

                static var freeList: FreeListStrategy {
                    .mutex(capacity: 32)
                }

                static var hasGarbageCollection: Bool {
                    true
                }

                func traverse(_ visitor: PyVisitor) -> Int32 {
                    var status: Int32 = 0
                    status = self.value.visit(visitor)
                    if status != 0 {
                        return status
                    }
                    return status
                }

                mutating func clear() {
                    self.value.clear()
                }

                static var signature: PySignature {
                    PySignature("Tagged()", ["value", "tag"])
                }

                init(arguments: PyArguments) throws(PyError) {
                    let value0 = try arguments.value(0, as: (PyReference).self)
                    let value1 = try arguments.value(1, as: (String).self)
                    self.init(value: value0, tag: value1)
                }

                static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        Tagged._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: 2) {
                            (arguments: PyArguments) throws(PyError) -> Tagged in
                            let value0 = try arguments.value(0, as: (PyReference).self)
                            let value1 = try arguments.value(1, as: (String).self)
                            return Tagged(value: value0, tag: value1)
                        }
                    }
                }

                static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: 2, positional: positional, count: count, keywords: keywords) {
                        (arguments: PyArguments) throws(PyError) -> Tagged in
                        let value0 = try arguments.value(0, as: (PyReference).self)
                        let value1 = try arguments.value(1, as: (String).self)
                        return Tagged(value: value0, tag: value1)
                    }
                }

                static var attributes: [PyAttribute<Tagged>] {
                    [
                        PyAttribute("value", doc: "The tagged object.") {
                            $0.value
                        },
                        PyAttribute("tag", doc: "The tag.") {
                            $0.tag
                        },
                    ]
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }
}
