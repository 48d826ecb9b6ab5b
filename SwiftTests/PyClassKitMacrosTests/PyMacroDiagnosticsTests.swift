import PyClassKitMacros
import SwiftSyntaxMacrosTestSupport
import XCTest

/// The errors the macros report, each message and position checked exactly.
///
/// Marker misplacement is tested on declarations that come first in their source (or member
/// block): swift-syntax's test harness (603.0.1) misplaces the diagnostics of peer macros on later
/// declarations (it reports them at the position of an earlier declaration), while the compiler
/// reports them where they belong. Every position below is the one the compiler reports too.
final class PyMacroDiagnosticsTests: XCTestCase {
    /// `@PyClass` on a class: reported at the attribute, nothing generated.
    func testPyClassOnClass() {
        assertMacroExpansion(
            #"""
            @PyClass
            class Point {}
            """#,
            expandedSource: #"""
            class Point {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyClass applies to a struct: its value is the instance's state, laid out inline in the Python object"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyClass` on an enum.
    func testPyClassOnEnum() {
        assertMacroExpansion(
            #"""
            @PyClass
            enum Kind {}
            """#,
            expandedSource: #"""
            enum Kind {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyClass applies to a struct: its value is the instance's state, laid out inline in the Python object"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyClass` on a generic struct: reported at the generic parameter clause.
    func testPyClassOnGenericStruct() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct Box<Element> {
                var element: Element
            }
            """#,
            expandedSource: #"""
            struct Box<Element> {
                var element: Element
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyClass cannot be applied to a generic struct: a Python class is one concrete type; declare a struct (or a typealias-free copy) per element type"#, line: 2, column: 11),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PySet` on a `let`.
    func testPySetOnLet() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PySet let x: Double
            }
            """#,
            expandedSource: #"""
            struct P {
                let x: Double
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PySet needs a 'var': 'x' is a 'let', which Python must not change"#, line: 3, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PySet` on get-only computed properties (shorthand and explicit `get`).
    func testPySetOnGetOnlyComputedProperty() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                var x: Double
                @PySet var double: Double { x * 2 }
                @PySet var triple: Double {
                    get { x * 3 }
                }
            }
            """#,
            expandedSource: #"""
            struct P {
                var x: Double
                var double: Double { x * 2 }
                var triple: Double {
                    get { x * 3 }
                }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PySet needs a settable property: 'double' has a getter only"#, line: 4, column: 5),
                DiagnosticSpec(message: #"@PySet needs a settable property: 'triple' has a getter only"#, line: 5, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyGet` on a static property.
    func testPyGetOnStaticProperty() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyGet static var count = 0
            }
            """#,
            expandedSource: #"""
            struct P {
                static var count = 0
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'count' is static: expose it with @PyClassAttribute"#, line: 3, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyClassAttribute` on an instance property.
    func testPyClassAttributeOnInstanceProperty() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyClassAttribute var count = 0
            }
            """#,
            expandedSource: #"""
            struct P {
                var count = 0
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyClassAttribute exposes a static property: 'count' is an instance property (use @PyGet)"#, line: 3, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// Two `@PyInit`s: reported at the second marker.
    func testTwoInitializers() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                var x: Double
                @PyInit init(x: Double) { self.x = x }
                @PyInit init(y: Double) { self.x = y }
            }
            """#,
            expandedSource: #"""
            struct P {
                var x: Double
                init(x: Double) { self.x = x }
                init(y: Double) { self.x = y }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"only one initialiser can be @PyInit: Python classes have one constructor"#, line: 5, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// A failable `@PyInit`: reported at the `?`.
    func testFailableInitializer() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                var x: Double
                @PyInit init?(x: Double) { self.x = x }
            }
            """#,
            expandedSource: #"""
            struct P {
                var x: Double
                init?(x: Double) { self.x = x }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"a @PyInit initialiser cannot be failable: throw a PyError instead of returning nil"#, line: 4, column: 17),
            ],
            macroSpecs: testMacros
        )
    }

    /// An `async` method: reported at `async`.
    func testAsyncMethod() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyMethod func fetch() async -> Int { 0 }
            }
            """#,
            expandedSource: #"""
            struct P {
                func fetch() async -> Int { 0 }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'fetch' is async: Python calls it synchronously; make it synchronous"#, line: 3, column: 28),
            ],
            macroSpecs: testMacros
        )
    }

    /// Untyped `throws` and `throws(any Error)`: reported at the throws clause.
    func testUntypedThrows() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyMethod func load() throws -> Int { 0 }
                @PyMethod func save() throws(any Error) {}
            }
            """#,
            expandedSource: #"""
            struct P {
                func load() throws -> Int { 0 }
                func save() throws(any Error) {}
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'load' must throw PyError only: declare it 'throws(PyError)' so that each error maps to a Python exception"#, line: 3, column: 27),
                DiagnosticSpec(message: #"'save' must throw PyError only: declare it 'throws(PyError)' so that each error maps to a Python exception"#, line: 4, column: 27),
            ],
            macroSpecs: testMacros
        )
    }

    /// An `async throws` initialiser: both reported.
    func testAsyncUntypedThrowingInitializer() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                var x: Int
                @PyInit init(x: Int) async throws { self.x = x }
            }
            """#,
            expandedSource: #"""
            struct P {
                var x: Int
                init(x: Int) async throws { self.x = x }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'init' is async: Python calls it synchronously; make it synchronous"#, line: 4, column: 26),
                DiagnosticSpec(message: #"'init' must throw PyError only: declare it 'throws(PyError)' so that each error maps to a Python exception"#, line: 4, column: 32),
            ],
            macroSpecs: testMacros
        )
    }

    /// inout, function-typed, `some` and `any` parameters. (Variadic and tuple-typed parameters are
    /// diagnosed too, but their messages advise arrays, which PyClassKit does not convert: not pinned.)
    func testUnsupportedParameters() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyMethod func a(value: inout Int) {}
                @PyMethod func c(callback: () -> Void) {}
                @PyMethod func e(value: some PyConvertible) {}
                @PyMethod func f(value: any PyConvertible) {}
            }
            """#,
            expandedSource: #"""
            struct P {
                func a(value: inout Int) {}
                func c(callback: () -> Void) {}
                func e(value: some PyConvertible) {}
                func f(value: any PyConvertible) {}
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"inout parameter 'value' is not supported: Python arguments are passed by reference to objects, not to variables"#, line: 3, column: 22),
                DiagnosticSpec(message: #"parameter 'callback' has type '() -> Void', which is a function type: PyClassKit converts no functions between Swift and Python"#, line: 4, column: 32),
                DiagnosticSpec(message: #"parameter 'value' has type 'some PyConvertible', which is not a concrete type: use one, or PyReference for any object"#, line: 5, column: 29),
                DiagnosticSpec(message: #"parameter 'value' has type 'any PyConvertible', which is not a concrete type: use one, or PyReference for any object"#, line: 6, column: 29),
            ],
            macroSpecs: testMacros
        )
    }

    /// An inout and an (attributed) function-typed initialiser parameter.
    func testUnsupportedInitializerParameters() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                var x: Int
                @PyInit init(x: inout Int, handler: @escaping (Int) -> Int) { self.x = x }
            }
            """#,
            expandedSource: #"""
            struct P {
                var x: Int
                init(x: inout Int, handler: @escaping (Int) -> Int) { self.x = x }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"inout parameter 'x' is not supported: Python arguments are passed by reference to objects, not to variables"#, line: 4, column: 18),
                DiagnosticSpec(message: #"parameter 'handler' has type '@escaping (Int) -> Int', which is a function type: PyClassKit converts no functions between Swift and Python"#, line: 4, column: 41),
            ],
            macroSpecs: testMacros
        )
    }

    /// `some`, `any` and function-typed results (the messages of parameters). (A tuple result is diagnosed too, but its message advises an array,
    /// which PyClassKit does not convert: not pinned.)
    func testUnsupportedResults() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyMethod func value() -> some PyRepresentable { 0 }
                @PyMethod static func any() -> any PyRepresentable { 0 }
                @PyMethod func callback() -> () -> Void { {} }
            }
            """#,
            expandedSource: #"""
            struct P {
                func value() -> some PyRepresentable { 0 }
                static func any() -> any PyRepresentable { 0 }
                func callback() -> () -> Void { {} }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"the result type 'some PyRepresentable' is not a concrete type: use one, or PyReference for any object"#, line: 3, column: 31),
                DiagnosticSpec(message: #"the result type 'any PyRepresentable' is not a concrete type: use one, or PyReference for any object"#, line: 4, column: 36),
                DiagnosticSpec(message: #"the result type '() -> Void' is a function type: PyClassKit converts no functions between Swift and Python"#, line: 5, column: 34),
            ],
            macroSpecs: testMacros
        )
    }

    /// A positional-only (`_`) parameter after one Python may pass by name: reported at the parameter,
    /// in methods and initialisers.
    func testPositionalOnlyAfterKeywordParameter() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyMethod func move(x: Int, _ y: Int) {}
                @PyInit init(label: String, _ value: Int, _ other: Int) {}
            }
            """#,
            expandedSource: #"""
            struct P {
                func move(x: Int, _ y: Int) {}
                init(label: String, _ value: Int, _ other: Int) {}
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'_ y' is positional-only but follows a parameter Python may pass by name: put the '_' parameters first (they come before '/' in Python)"#, line: 3, column: 33),
                DiagnosticSpec(message: #"'_ value' is positional-only but follows a parameter Python may pass by name: put the '_' parameters first (they come before '/' in Python)"#, line: 4, column: 33),
                DiagnosticSpec(message: #"'_ other' is positional-only but follows a parameter Python may pass by name: put the '_' parameters first (they come before '/' in Python)"#, line: 4, column: 47),
            ],
            macroSpecs: testMacros
        )
    }

    /// A parameter without a default after one with a default: reported at the parameter; a `_`
    /// parameter after a labelled one with a default gets both errors.
    func testRequiredAfterDefaultParameter() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyMethod func scale(by factor: Double = 1, offset: Double) {}
                @PyMethod static func make(_ x: Int = 0, _ y: Int, _ z: Int = 0) -> Int { 0 }
                @PyInit init(label: String = "", _ value: Int) {}
            }
            """#,
            expandedSource: #"""
            struct P {
                func scale(by factor: Double = 1, offset: Double) {}
                static func make(_ x: Int = 0, _ y: Int, _ z: Int = 0) -> Int { 0 }
                init(label: String = "", _ value: Int) {}
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'offset' has no default value but follows a parameter that has one: Python requires parameters with defaults to come last"#, line: 3, column: 49),
                DiagnosticSpec(message: #"'y' has no default value but follows a parameter that has one: Python requires parameters with defaults to come last"#, line: 4, column: 46),
                DiagnosticSpec(message: #"'_ value' is positional-only but follows a parameter Python may pass by name: put the '_' parameters first (they come before '/' in Python)"#, line: 5, column: 38),
                DiagnosticSpec(message: #"'value' has no default value but follows a parameter that has one: Python requires parameters with defaults to come last"#, line: 5, column: 38),
            ],
            macroSpecs: testMacros
        )
    }

    /// The parameter-order errors in a `@PyFunction`.
    func testParameterOrderInModuleFunction() {
        assertMacroExpansion(
            #"""
            @PyModule("m")
            enum M {
                @PyFunction static func f(a: Int, _ b: Int, c: Int = 0, d: Int) {}
            }
            """#,
            expandedSource: #"""
            enum M {
                static func f(a: Int, _ b: Int, c: Int = 0, d: Int) {}
            }

            /// The module's init function, which CPython finds by its name when it imports `m`.
            @_cdecl("PyInit_m")
            public func M_PyInit() -> PyObjectPointer? {
                M.definition.initialize()
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'_ b' is positional-only but follows a parameter Python may pass by name: put the '_' parameters first (they come before '/' in Python)"#, line: 3, column: 39),
                DiagnosticSpec(message: #"'d' has no default value but follows a parameter that has one: Python requires parameters with defaults to come last"#, line: 3, column: 61),
            ],
            macroSpecs: testMacros
        )
    }

    /// Python names that are not string literals (a name, an interpolation), for `@PyClass` and the
    /// markers it reads: reported at the argument, nothing generated.
    func testNonLiteralPythonNames() {
        assertMacroExpansion(
            #"""
            @PyClass(className, freeList: .none)
            struct P {
                @PyGet(attributeName) var x: Int
                @PySet(setterName) var y: Int
                @PyClassAttribute(constantName) static let z = 1
                @PyMethod(methodName) func m() {}
                @PyGet("w\(suffix)") var w: Int
            }
            """#,
            expandedSource: #"""
            struct P {
                var x: Int
                var y: Int
                static let z = 1
                func m() {}
                var w: Int
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"the Python name must be a string literal: @PyClass("name")"#, line: 1, column: 10),
                DiagnosticSpec(message: #"the Python name must be a string literal: @PyGet("name")"#, line: 3, column: 12),
                DiagnosticSpec(message: #"the Python name must be a string literal: @PySet("name")"#, line: 4, column: 12),
                DiagnosticSpec(message: #"the Python name must be a string literal: @PyClassAttribute("name")"#, line: 5, column: 23),
                DiagnosticSpec(message: #"the Python name must be a string literal: @PyMethod("name")"#, line: 6, column: 15),
                DiagnosticSpec(message: #"the Python name must be a string literal: @PyGet("name")"#, line: 7, column: 12),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyFunction(name)`: the function's Python name must be a string literal.
    func testNonLiteralFunctionName() {
        assertMacroExpansion(
            #"""
            @PyModule("m")
            enum M {
                @PyFunction(functionName) static func f() {}
            }
            """#,
            expandedSource: #"""
            enum M {
                static func f() {}
            }

            /// The module's init function, which CPython finds by its name when it imports `m`.
            @_cdecl("PyInit_m")
            public func M_PyInit() -> PyObjectPointer? {
                M.definition.initialize()
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"the Python name must be a string literal: @PyFunction("name")"#, line: 3, column: 17),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyException(name)`: the exception's Python name must be a string literal.
    func testNonLiteralExceptionName() {
        assertMacroExpansion(
            #"""
            @PyException(exceptionName, base: .valueError)
            enum Failure {}
            """#,
            expandedSource: #"""
            enum Failure {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"the Python name must be a string literal: @PyException("name")"#, line: 1, column: 14),
            ],
            macroSpecs: testMacros
        )
    }

    /// A generic method: reported at the generic parameter clause.
    func testGenericMethod() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyMethod func echo<T: PyConvertible>(value: T) -> T { value }
            }
            """#,
            expandedSource: #"""
            struct P {
                func echo<T: PyConvertible>(value: T) -> T { value }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'echo' is generic: Python calls one concrete function; declare one method per type"#, line: 3, column: 24),
            ],
            macroSpecs: testMacros
        )
    }

    /// An attribute and a method with the same Python name: reported at the struct's name.
    func testDuplicatePythonNames() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyGet var size: Int
                @PyMethod("size") func count() -> Int { 0 }
            }
            """#,
            expandedSource: #"""
            struct P {
                var size: Int
                func count() -> Int { 0 }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"two members of P are exposed to Python as 'size': give one another name (@PyMethod("other"))"#, line: 2, column: 8),
            ],
            macroSpecs: testMacros
        )
    }

    /// A marker on a declaration of several properties. The first diagnostic is swift-syntax's own
    /// (its test harness refuses a peer macro there); the second is `@PyClass`'s.
    func testMultipleBindings() {
        assertMacroExpansion(
            #"""
            @PyClass
            struct P {
                @PyGet var x, y: Double
            }
            """#,
            expandedSource: #"""
            struct P {
                var x, y: Double
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"peer macro can only be applied to a single variable"#, line: 3, column: 5),
                DiagnosticSpec(message: #"declare one property per exposed attribute"#, line: 3, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// `canaries:` and `final:` that are not `true`/`false` literals.
    func testNonLiteralOptions() {
        assertMacroExpansion(
            #"""
            @PyClass(canaries: checked, final: isFinal)
            struct P {}
            """#,
            expandedSource: #"""
            struct P {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'canaries:' must be true or false, written as a literal"#, line: 1, column: 20),
                DiagnosticSpec(message: #"'final:' must be true or false, written as a literal"#, line: 1, column: 36),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyMethod` on a property.
    func testPyMethodOnProperty() {
        assertMacroExpansion(
            #"""
            @PyMethod var x = 1
            """#,
            expandedSource: #"""
            var x = 1
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyMethod applies to a method"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyMethod` on a property of a struct.
    func testPyMethodOnPropertyInStruct() {
        assertMacroExpansion(
            #"""
            struct S {
                @PyMethod var x: Double
            }
            """#,
            expandedSource: #"""
            struct S {
                var x: Double
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyMethod applies to a method"#, line: 2, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyInit` on a func.
    func testPyInitOnFunction() {
        assertMacroExpansion(
            #"""
            @PyInit func make() {}
            """#,
            expandedSource: #"""
            func make() {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyInit applies to an initialiser"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyGet` on a func.
    func testPyGetOnFunction() {
        assertMacroExpansion(
            #"""
            @PyGet func value() -> Int { 0 }
            """#,
            expandedSource: #"""
            func value() -> Int { 0 }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyGet applies to a property"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PySet` on an initialiser.
    func testPySetOnInitializer() {
        assertMacroExpansion(
            #"""
            struct S {
                @PySet init() {}
            }
            """#,
            expandedSource: #"""
            struct S {
                init() {}
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PySet applies to a property"#, line: 2, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyClassAttribute` on a static func.
    func testPyClassAttributeOnFunction() {
        assertMacroExpansion(
            #"""
            struct S {
                @PyClassAttribute static func limit() -> Int { 0 }
            }
            """#,
            expandedSource: #"""
            struct S {
                static func limit() -> Int { 0 }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyClassAttribute applies to a property"#, line: 2, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyFunction` on a func that is not static.
    func testPyFunctionOnInstanceFunction() {
        assertMacroExpansion(
            #"""
            enum M {
                @PyFunction func distance() -> Double { 0 }
            }
            """#,
            expandedSource: #"""
            enum M {
                func distance() -> Double { 0 }
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyFunction applies to a static func of a @PyModule enum"#, line: 2, column: 5),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyModule` on a struct: one error (from the member role), no `PyInit_` peer.
    func testPyModuleOnStruct() {
        assertMacroExpansion(
            #"""
            @PyModule("points")
            struct Points {}
            """#,
            expandedSource: #"""
            struct Points {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyModule applies to an enum without cases, which holds the module's declarations"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyModule("")`: no name.
    func testPyModuleWithEmptyName() {
        assertMacroExpansion(
            #"""
            @PyModule("")
            enum Points {}
            """#,
            expandedSource: #"""
            enum Points {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyModule needs the module's name as a string literal: @PyModule("points")"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyModule(moduleName)`: the name must be a string literal.
    func testPyModuleWithNonLiteralName() {
        assertMacroExpansion(
            #"""
            @PyModule(moduleName)
            enum Points {}
            """#,
            expandedSource: #"""
            enum Points {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyModule needs the module's name as a string literal: @PyModule("points")"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }

    /// A generic, async, untyped-throwing `@PyFunction`; function-typed and `some` parameters.
    func testUnsupportedModuleFunctions() {
        assertMacroExpansion(
            #"""
            @PyModule("m")
            enum M {
                @PyFunction static func f<T>(x: T) async throws -> Int { 0 }
                @PyFunction static func g(callback: () -> Void, value: some PyConvertible) {}
            }
            """#,
            expandedSource: #"""
            enum M {
                static func f<T>(x: T) async throws -> Int { 0 }
                static func g(callback: () -> Void, value: some PyConvertible) {}
            }

            /// The module's init function, which CPython finds by its name when it imports `m`.
            @_cdecl("PyInit_m")
            public func M_PyInit() -> PyObjectPointer? {
                M.definition.initialize()
            }
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"'f' is generic: Python calls one concrete function; declare one function per type"#, line: 3, column: 30),
                DiagnosticSpec(message: #"'f' is async: Python calls it synchronously; make it synchronous"#, line: 3, column: 40),
                DiagnosticSpec(message: #"'f' must throw PyError only: declare it 'throws(PyError)' so that each error maps to a Python exception"#, line: 3, column: 46),
                DiagnosticSpec(message: #"parameter 'callback' has type '() -> Void', which is a function type: PyClassKit converts no functions between Swift and Python"#, line: 4, column: 41),
                DiagnosticSpec(message: #"parameter 'value' has type 'some PyConvertible', which is not a concrete type: use one, or PyReference for any object"#, line: 4, column: 60),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyException` on a class.
    func testPyExceptionOnClass() {
        assertMacroExpansion(
            #"""
            @PyException
            class Failure {}
            """#,
            expandedSource: #"""
            class Failure {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyException applies to an enum or a struct that names the exception"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }

    /// `@PyException` on a protocol.
    func testPyExceptionOnProtocol() {
        assertMacroExpansion(
            #"""
            @PyException("Failure")
            protocol Failure {}
            """#,
            expandedSource: #"""
            protocol Failure {}
            """#,
            diagnostics: [
                DiagnosticSpec(message: #"@PyException applies to an enum or a struct that names the exception"#, line: 1, column: 1),
            ],
            macroSpecs: testMacros
        )
    }
}
