import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@PyClass`: the `PyClass` conformance of a struct, from its marked members.
public struct PyClassMacro: ExtensionMacro {
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        var diagnostics = PyMacroDiagnostics()
        guard let structDecl = declaration.as(StructDeclSyntax.self) else {
            diagnostics.error(node, "notAStruct", "@PyClass applies to a struct: its value is the instance's state, laid out inline in the Python object")
            try diagnostics.check()
            return []
        }
        if let generics = structDecl.genericParameterClause {
            diagnostics.error(generics, "genericStruct", "@PyClass cannot be applied to a generic struct: a Python class is one concrete type; declare a struct (or a typealias-free copy) per element type")
        }
        let model = PythonClassModel(structDecl, attribute: node, diagnostics: &diagnostics)
        try diagnostics.check()

        return [try ExtensionDeclSyntax.adding(protocols, to: type, members: model.members(), separator: "\n\n")]
    }
}
