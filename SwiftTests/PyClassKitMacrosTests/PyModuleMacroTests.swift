import PyClassKitMacros
import SwiftSyntaxMacrosTestSupport
import XCTest

/// Expansion tests of `@PyModule` (member `definition`, `_pyFunctionSignature<n>` for each
/// `@PyFunction`, and the peer `@_cdecl("PyInit_<name>")` function), compared exactly.
final class PyModuleMacroTests: XCTestCase {
    /// The declared `classes`, `exceptions` and `functions` are used; each `@PyFunction` gets its own
    /// C function, after which the declared `functions` are appended; docs, positional-only
    /// parameters, `try` and the `@PyFunction("name")` rename.
    func testModuleWithClassesExceptionsAndFunctions() {
        assertMacroExpansion(
            #"""
            /// The points module.
            @PyModule("points")
            enum Points {
                static let classes: [any PyClass.Type] = [Point.self, Counter.self]
                static let exceptions: [any PyException.Type] = [GeometryError.self]
                static let functions: [PyFunction] = [.freeListStatistics]

                /// The Euclidean distance between two points.
                @PyFunction static func distance(a: Point, b: Point) -> Double {
                    let (dx, dy) = (a.x - b.x, a.y - b.y)
                    return (dx * dx + dy * dy).squareRoot()
                }

                /// The point halfway between a and b.
                @PyFunction static func midpoint(_ a: Point, _ b: Point) throws(PyError) -> Point {
                    try Point(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
                }

                @PyFunction("tracked_made") static func trackedMade() -> Int { 0 }
            }
            """#,
            expandedSource: #"""
            /// The points module.
            enum Points {
                static let classes: [any PyClass.Type] = [Point.self, Counter.self]
                static let exceptions: [any PyException.Type] = [GeometryError.self]
                static let functions: [PyFunction] = [.freeListStatistics]

                /// The Euclidean distance between two points.
                static func distance(a: Point, b: Point) -> Double {
                    let (dx, dy) = (a.x - b.x, a.y - b.y)
                    return (dx * dx + dy * dy).squareRoot()
                }

                /// The point halfway between a and b.
                static func midpoint(_ a: Point, _ b: Point) throws(PyError) -> Point {
                    try Point(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
                }

                static func trackedMade() -> Int { 0 }

                static let _pyFunctionSignature0 = PySignature("distance()", ["a", "b"]).permanent

                static let _pyFunctionSignature1 = PySignature("midpoint()", [PyParameter("a", positionalOnly: true), PyParameter("b", positionalOnly: true)]).permanent

                static let _pyFunctionSignature2 = PySignature("tracked_made()", []).permanent

                /// The module's definition: what `PyInit_points` initialises.
                static let definition = PyModuleDefinition(
                    name: "points", doc: "The points module.",
                    classes: classes,
                    functions: [
                        PyFunction("distance", doc: "The Euclidean distance between two points.", parameters: ["a", "b"]) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Points._pyFunctionSignature0,
                                arguments: { (arguments: PyArguments) throws(PyError) -> (Point, Point) in
                                    let value0 = try arguments.value(0, as: (Point).self);
                                    let value1 = try arguments.value(1, as: (Point).self);
                                    return (value0, value1)
                                },
                                body: { (arguments: (Point, Point)) throws(PyError) -> Double in
                                    return Points.distance(a: arguments.0, b: arguments.1)
                                })
                        },
                        PyFunction("midpoint", doc: "The point halfway between a and b.", parameters: [PyParameter("a", positionalOnly: true), PyParameter("b", positionalOnly: true)]) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Points._pyFunctionSignature1,
                                arguments: { (arguments: PyArguments) throws(PyError) -> (Point, Point) in
                                    let value0 = try arguments.value(0, as: (Point).self);
                                    let value1 = try arguments.value(1, as: (Point).self);
                                    return (value0, value1)
                                },
                                body: { (arguments: (Point, Point)) throws(PyError) -> Point in
                                    return try Points.midpoint(arguments.0, arguments.1)
                                })
                        },
                        PyFunction("tracked_made", parameters: []) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Points._pyFunctionSignature2,
                                arguments: { (_: PyArguments) throws(PyError) -> Void in
                                    ()
                                },
                                body: { (arguments: Void) throws(PyError) -> Int in
                                    return Points.trackedMade()
                                })
                        }
                    ] + functions,
                    exceptions: exceptions)
            }

            /// The module's init function, which CPython finds by its name when it imports `points`.
            @_cdecl("PyInit_points")
            public func Points_PyInit() -> PyObjectPointer? {
                Points.definition.initialize()
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A module that declares nothing: empty classes, functions and exceptions, no doc.
    func testEmptyModule() {
        assertMacroExpansion(
            #"""
            @PyModule("empty")
            enum Empty {}
            """#,
            expandedSource: #"""
            enum Empty {

                /// The module's definition: what `PyInit_empty` initialises.
                static let definition = PyModuleDefinition(
                    name: "empty", doc: nil,
                    classes: [],
                    functions: [

                    ],
                    exceptions: [])
            }

            /// The module's init function, which CPython finds by its name when it imports `empty`.
            @_cdecl("PyInit_empty")
            public func Empty_PyInit() -> PyObjectPointer? {
                Empty.definition.initialize()
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// Without a declared `functions` list only the `@PyFunction`s are listed; a `Void` throwing
    /// function returns `None`, a `PyReference` argument converts in order with the others, unmarked
    /// functions are not exposed.
    func testFunctionsWithoutDeclaredFunctionList() {
        assertMacroExpansion(
            #"""
            @PyModule("tools")
            enum Tools {
                static let classes: [any PyClass.Type] = []
                @PyFunction static func check(_ value: Int, limit: Int = 10) throws(PyError) {}
                @PyFunction static func keep(object: PyReference, times: Int) -> Int { times }
                static func helper() -> Int { 0 }
            }
            """#,
            expandedSource: #"""
            enum Tools {
                static let classes: [any PyClass.Type] = []
                static func check(_ value: Int, limit: Int = 10) throws(PyError) {}
                static func keep(object: PyReference, times: Int) -> Int { times }
                static func helper() -> Int { 0 }

                static let _pyFunctionSignature0 = PySignature("check()", [PyParameter("value", positionalOnly: true), PyParameter("limit", default: "10")]).permanent

                static let _pyFunctionSignature1 = PySignature("keep()", ["object", "times"]).permanent

                /// The module's definition: what `PyInit_tools` initialises.
                static let definition = PyModuleDefinition(
                    name: "tools", doc: nil,
                    classes: classes,
                    functions: [
                        PyFunction("check", parameters: [PyParameter("value", positionalOnly: true), PyParameter("limit", default: "10")]) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Tools._pyFunctionSignature0,
                                arguments: { (arguments: PyArguments) throws(PyError) -> (Int, Int) in
                                    let value0 = try arguments.value(0, as: (Int).self);
                                    let value1 = try arguments.value(1, as: (Int).self, orDefault: 10);
                                    return (value0, value1)
                                },
                                body: { (arguments: (Int, Int)) throws(PyError) -> PyNone in
                                    try Tools.check(arguments.0, limit: arguments.1);
                                    return PyNone()
                                })
                        },
                        PyFunction("keep", parameters: ["object", "times"]) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Tools._pyFunctionSignature1,
                                arguments: { (arguments: PyArguments) throws(PyError) -> (PyReference, Int) in
                                    let value0 = try arguments.value(0, as: (PyReference).self);
                                    let value1 = try arguments.value(1, as: (Int).self);
                                    return (value0, value1)
                                },
                                body: { (arguments: (PyReference, Int)) throws(PyError) -> Int in
                                    return Tools.keep(object: arguments.0, times: arguments.1)
                                })
                        }
                    ],
                    exceptions: [])
            }

            /// The module's init function, which CPython finds by its name when it imports `tools`.
            @_cdecl("PyInit_tools")
            public func Tools_PyInit() -> PyObjectPointer? {
                Tools.definition.initialize()
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// Keywords used as a function name and argument labels: none of the Python names has backticks;
    /// the call keeps them on the function's name (labels need none).
    func testBacktickedFunctionNameAndLabels() {
        assertMacroExpansion(
            #"""
            @PyModule("loader")
            enum Loader {
                @PyFunction static func `import`(`from` path: String, `as` alias: String = "") -> Int { 0 }
            }
            """#,
            expandedSource: #"""
            enum Loader {
                static func `import`(`from` path: String, `as` alias: String = "") -> Int { 0 }

                static let _pyFunctionSignature0 = PySignature("import()", ["from", PyParameter("as", default: "''")]).permanent

                /// The module's definition: what `PyInit_loader` initialises.
                static let definition = PyModuleDefinition(
                    name: "loader", doc: nil,
                    classes: [],
                    functions: [
                        PyFunction("import", parameters: ["from", PyParameter("as", default: "''")]) { _, arguments, count, keywordNames in
                            _invokeFunction(arguments, count, keywordNames, signature: Loader._pyFunctionSignature0,
                                arguments: { (arguments: PyArguments) throws(PyError) -> (String, String) in
                                    let value0 = try arguments.value(0, as: (String).self);
                                    let value1 = try arguments.value(1, as: (String).self, orDefault: "");
                                    return (value0, value1)
                                },
                                body: { (arguments: (String, String)) throws(PyError) -> Int in
                                    return Loader.`import`(from: arguments.0, as: arguments.1)
                                })
                        }
                    ],
                    exceptions: [])
            }

            /// The module's init function, which CPython finds by its name when it imports `loader`.
            @_cdecl("PyInit_loader")
            public func Loader_PyInit() -> PyObjectPointer? {
                Loader.definition.initialize()
            }
            """#,
            macroSpecs: testMacros
        )
    }
}
