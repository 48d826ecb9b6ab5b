import PyClassKitMacros
import SwiftSyntax
import SwiftSyntaxMacroExpansion

/// Every PyClassKit macro, under the name `Sources/PyClassKit/Macros/Macros.swift` declares it
/// with. The extension macros get the conformances the compiler passes them (those of their
/// `@attached(extension, conformances: ...)`), which they write into the extension's header.
let testMacros: [String: MacroSpec] = [
    "PyClass": MacroSpec(type: PyClassMacro.self, conformances: [conformance("PyClass"), conformance("PyConvertible")]),
    "PyException": MacroSpec(type: PyExceptionMacro.self, conformances: [conformance("PyException")]),
    "PyModule": MacroSpec(type: PyModuleMacro.self),
    "PyInit": MacroSpec(type: PyMarkerMacro.self),
    "PyGet": MacroSpec(type: PyMarkerMacro.self),
    "PySet": MacroSpec(type: PyMarkerMacro.self),
    "PyMethod": MacroSpec(type: PyMarkerMacro.self),
    "PyClassAttribute": MacroSpec(type: PyMarkerMacro.self),
    "PyFunction": MacroSpec(type: PyMarkerMacro.self),
]

private func conformance(_ name: String) -> TypeSyntax {
    TypeSyntax(IdentifierTypeSyntax(name: .identifier(name)))
}
