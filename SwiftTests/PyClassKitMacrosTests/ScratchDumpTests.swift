import PyClassKitMacros
import SwiftSyntax
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacros
import SwiftSyntaxMacrosTestSupport
import XCTest

let scratchSpecs: [String: MacroSpec] = [
    "PyClass": MacroSpec(type: PyClassMacro.self, conformances: [TypeSyntax(IdentifierTypeSyntax(name: .identifier("PyClass"))), TypeSyntax(IdentifierTypeSyntax(name: .identifier("PyConvertible")))]),
    "PyException": MacroSpec(type: PyExceptionMacro.self, conformances: [TypeSyntax(IdentifierTypeSyntax(name: .identifier("PyException")))]),
    "PyModule": MacroSpec(type: PyModuleMacro.self),
    "PyInit": MacroSpec(type: PyMarkerMacro.self), "PyGet": MacroSpec(type: PyMarkerMacro.self),
    "PySet": MacroSpec(type: PyMarkerMacro.self), "PyMethod": MacroSpec(type: PyMarkerMacro.self),
    "PyClassAttribute": MacroSpec(type: PyMarkerMacro.self), "PyFunction": MacroSpec(type: PyMarkerMacro.self),
]

final class ScratchDumpTests: XCTestCase {
    func testDump() throws {
        let dir = ProcessInfo.processInfo.environment["DUMP_DIR"] ?? "/tmp/tc/cases"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".in") }.sorted()
        for file in files {
            let source = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            print("=== \(file)")
            assertMacroExpansion(source, expandedSource: "<<PLACEHOLDER>>", macroSpecs: scratchSpecs)
        }
    }
}
