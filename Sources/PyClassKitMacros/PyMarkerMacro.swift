import SwiftSyntax
import SwiftSyntaxMacros

/// `@PyInit`, `@PyGet`, `@PySet`, `@PyMethod`, `@PyClassAttribute`, `@PyFunction`: marks a member
/// for the `@PyClass` or `@PyModule` macro of its type, which reads it; expands to nothing.
public struct PyMarkerMacro: PeerMacro {
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        var diagnostics = PyMacroDiagnostics()
        let marker = node.attributeName.trimmedDescription
        let fits: Bool
        switch marker {
        case "PyInit": fits = declaration.is(InitializerDeclSyntax.self)
        case "PyGet", "PySet", "PyClassAttribute": fits = declaration.is(VariableDeclSyntax.self)
        case "PyMethod": fits = declaration.is(FunctionDeclSyntax.self)
        case "PyFunction":
            fits = declaration.as(FunctionDeclSyntax.self)?.modifiers.contains(.static) == true
        default: fits = true
        }
        if !fits {
            let expected = switch marker {
            case "PyInit": "an initialiser"
            case "PyMethod": "a method"
            case "PyFunction": "a static func of a @PyModule enum"
            default: "a property"
            }
            diagnostics.error(node, "misplacedMarker", "@\(marker) applies to \(expected)")
        }
        try diagnostics.check()
        return []
    }
}
