import PyClassKitMacros
import SwiftSyntaxMacros
import SwiftSyntaxMacrosTestSupport
import XCTest

final class PyClassMacroTests: XCTestCase {
    func testPlaceholder() {
        assertMacroExpansion("@PyClass struct P {}", expandedSource: "X", macros: ["PyClass": PyClassMacro.self])
    }
}
