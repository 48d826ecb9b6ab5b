import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@PyException`: the `PyException` conformance of an enum or struct.
public struct PyExceptionMacro: ExtensionMacro {
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        var diagnostics = PyMacroDiagnostics()
        let name: String
        node.checkNameArgument(in: &diagnostics)
        if let enumDecl = declaration.as(EnumDeclSyntax.self) {
            name = enumDecl.name.identifierName
        } else if let structDecl = declaration.as(StructDeclSyntax.self) {
            name = structDecl.name.identifierName
        } else {
            diagnostics.error(node, "exceptionNotAType", "@PyException applies to an enum or a struct that names the exception")
            try diagnostics.check()
            return []
        }
        try diagnostics.check()
        var members = ["static var pythonName: String { \((node.nameArgument ?? name).swiftLiteral) }"]
        if let base = node.argument("base") { members.append("static var base: PyExceptionBase { \(base.trimmedDescription) }") }
        if let doc = declaration.docComment { members.append("static var doc: String? { \(doc.swiftLiteral) }") }
        let access = declaration.modifiers.accessPrefix
        return [try ExtensionDeclSyntax.adding(protocols, to: type, members: members.map { access + $0 }, separator: "\n")]
    }
}
