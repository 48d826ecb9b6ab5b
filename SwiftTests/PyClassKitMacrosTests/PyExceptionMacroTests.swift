import PyClassKitMacros
import SwiftSyntaxMacrosTestSupport
import XCTest

/// Expansion tests of `@PyException`: `extension E: PyException` with its name, base and doc.
final class PyExceptionMacroTests: XCTestCase {
    /// Without arguments and doc: only the name (the base defaults to `Exception`).
    func testPlainException() {
        assertMacroExpansion(
            #"""
            @PyException
            enum PlainError {}
            """#,
            expandedSource: #"""
            enum PlainError {}

            extension PlainError: PyException {
                static var pythonName: String {
                    "PlainError"
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// `base:` is copied as written; the `///` comment is the doc.
    func testBaseAndDoc() {
        assertMacroExpansion(
            #"""
            /// Raised for geometry that has no answer.
            @PyException(base: .valueError)
            enum GeometryError {}
            """#,
            expandedSource: #"""
            /// Raised for geometry that has no answer.
            enum GeometryError {}

            extension GeometryError: PyException {
                static var pythonName: String {
                    "GeometryError"
                }
                static var base: PyExceptionBase {
                    .valueError
                }
                static var doc: String? {
                    "Raised for geometry that has no answer."
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A struct, a Python name, another Swift exception as base, a two-line doc.
    func testNamedStructWithOtherBaseAndMultilineDoc() {
        assertMacroExpansion(
            #"""
            /// A custom error,
            /// on two lines.
            @PyException("CustomError", base: .other(GeometryError.self))
            struct Custom {}
            """#,
            expandedSource: #"""
            /// A custom error,
            /// on two lines.
            struct Custom {}

            extension Custom: PyException {
                static var pythonName: String {
                    "CustomError"
                }
                static var base: PyExceptionBase {
                    .other(GeometryError.self)
                }
                static var doc: String? {
                    "A custom error,\non two lines."
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A module-qualified name and no base.
    func testNameOnly() {
        assertMacroExpansion(
            #"""
            @PyException("errors.NotFound")
            enum NotFound {}
            """#,
            expandedSource: #"""
            enum NotFound {}

            extension NotFound: PyException {
                static var pythonName: String {
                    "errors.NotFound"
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// The members generated for a `public` enum are `public`.
    func testPublicException() {
        assertMacroExpansion(
            #"""
            /// Raised by the public API.
            @PyException(base: .valueError)
            public enum PublicError {}
            """#,
            expandedSource: #"""
            /// Raised by the public API.
            public enum PublicError {}

            extension PublicError: PyException {
                public static var pythonName: String {
                    "PublicError"
                }
                public static var base: PyExceptionBase {
                    .valueError
                }
                public static var doc: String? {
                    "Raised by the public API."
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// The members generated for a `package` struct are `package`.
    func testPackageException() {
        assertMacroExpansion(
            #"""
            @PyException("tools.Failure")
            package struct PackageFailure {}
            """#,
            expandedSource: #"""
            package struct PackageFailure {}

            extension PackageFailure: PyException {
                package static var pythonName: String {
                    "tools.Failure"
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }

    /// A type name in backticks: the Python name has none.
    func testBacktickedTypeName() {
        assertMacroExpansion(
            #"""
            @PyException
            enum `Type` {}
            """#,
            expandedSource: #"""
            enum `Type` {}

            extension `Type`: PyException {
                static var pythonName: String {
                    "Type"
                }
            }
            """#,
            macroSpecs: testMacros
        )
    }
}
