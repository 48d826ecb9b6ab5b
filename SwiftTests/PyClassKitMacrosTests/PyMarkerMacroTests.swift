import PyClassKitMacros
import SwiftSyntaxMacrosTestSupport
import XCTest

/// The marker macros expand to nothing: `@PyClass` and `@PyModule` read them.
final class PyMarkerMacroTests: XCTestCase {
    /// Correctly placed markers leave their declarations unchanged and add no peers (here without
    /// `@PyClass`, which would read them).
    func testMarkersExpandToNothing() {
        assertMacroExpansion(
            #"""
            struct Plain {
                @PyGet var x: Double
                @PySet var y: Double
                @PyClassAttribute static let z = 1
                @PyInit init() { x = 0; y = 0 }
                @PyMethod func f() {}
                @PyFunction static func g() {}
            }
            """#,
            expandedSource: #"""
            struct Plain {
                var x: Double
                var y: Double
                static let z = 1
                init() { x = 0; y = 0 }
                func f() {}
                static func g() {}
            }
            """#,
            macroSpecs: testMacros
        )
    }
}
