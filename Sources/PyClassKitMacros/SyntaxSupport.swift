import Foundation
import SwiftSyntax
import SwiftSyntaxBuilder

extension SyntaxProtocol {
    /// The text of the `///` (or `/** */`) comment before the declaration, lines joined with
    /// newlines, or `nil`.
    var docComment: String? {
        var lines: [String] = []
        for piece in leadingTrivia {
            switch piece {
            case .docLineComment(let text):
                var line = text.dropFirst(3)
                if line.first == " " { line = line.dropFirst() }
                lines.append(String(line))
            case .docBlockComment(let text):
                let body = text.dropFirst(3).dropLast(2)
                lines += body.split(separator: "\n", omittingEmptySubsequences: false).map {
                    String($0.drop(while: { $0 == " " || $0 == "*" }))
                }
            default:
                break
            }
        }
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

extension AttributeListSyntax {
    /// The attribute named `name` (`PyGet` for `@PyGet(...)`), if present.
    func attribute(named name: String) -> AttributeSyntax? {
        for element in self {
            if let attribute = element.as(AttributeSyntax.self),
               attribute.attributeName.trimmedDescription == name { return attribute }
        }
        return nil
    }
}

extension AttributeSyntax {
    /// The arguments, labelled or not.
    var argumentList: LabeledExprListSyntax {
        arguments?.as(LabeledExprListSyntax.self) ?? []
    }

    /// The unlabelled first argument's string literal (a Python name), if any.
    var nameArgument: String? {
        argumentList.first(where: { $0.label == nil })?.expression.stringLiteralValue
    }

    /// Reports an unlabelled first argument that is not a string literal: a Python name must be
    /// known when the macro expands.
    func checkNameArgument(in diagnostics: inout PyMacroDiagnostics) {
        if let argument = argumentList.first(where: { $0.label == nil }), argument.expression.stringLiteralValue == nil {
            diagnostics.error(argument, "nonLiteralName", "the Python name must be a string literal: @\(attributeName.trimmedDescription)(\"name\")")
        }
    }

    /// The argument labelled `label`.
    func argument(_ label: String) -> ExprSyntax? {
        argumentList.first(where: { $0.label?.text == label })?.expression
    }
}

extension ExprSyntax {
    /// The value of a string literal without interpolations.
    var stringLiteralValue: String? {
        guard let literal = self.as(StringLiteralExprSyntax.self) else { return nil }
        var value = ""
        for segment in literal.segments {
            guard let text = segment.as(StringSegmentSyntax.self) else { return nil }
            value += text.content.text
        }
        return value
    }

    /// The value of `true` or `false`.
    var booleanLiteralValue: Bool? {
        self.as(BooleanLiteralExprSyntax.self).map { $0.literal.tokenKind == .keyword(.true) }
    }
}

extension TokenSyntax {
    /// The identifier without the backticks of a keyword used as a name (`` `class` ``).
    var identifierName: String { text.filter { $0 != "`" } }
}

extension DeclModifierListSyntax {
    /// `public ` or `package ` when the declaration has that access level, for the members a
    /// macro adds to it (they satisfy requirements of public protocols); else empty.
    var accessPrefix: String {
        if contains(.public) || contains(.open) { return "public " }
        if contains(.package) { return "package " }
        return ""
    }

    func contains(_ keyword: Keyword) -> Bool {
        contains { $0.name.tokenKind == .keyword(keyword) }
    }
}

extension String {
    /// The text as a Swift string literal.
    var swiftLiteral: String {
        var escaped = ""
        for character in unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "\"\(escaped)\""
    }

}

extension ExtensionDeclSyntax {
    /// `extension T: P, Q { members }`, conforming to the `protocols` the compiler asks for (those
    /// the type does not conform to yet; none: a plain extension).
    static func adding(_ protocols: [TypeSyntax], to type: some TypeSyntaxProtocol, members: [String],
                       separator: String) throws -> ExtensionDeclSyntax {
        let conformances = protocols.map(\.trimmedDescription).joined(separator: ", ")
        let header = conformances.isEmpty ? "extension \(type.trimmed)" : "extension \(type.trimmed): \(conformances)"
        return try ExtensionDeclSyntax("\(raw: header) {\n\(raw: members.joined(separator: separator))\n}")
    }
}
