import Foundation
import SwiftSyntax

/// One parameter of a Swift function that Python calls.
struct PythonParameter {
    /// The argument label in a Swift call (`nil` for `_`).
    let label: String?
    /// The Python name: the label, or for `_` the parameter's own name.
    let pythonName: String
    let type: String
    /// The Swift default value expression, if any.
    let defaultValue: String?
    /// `_` makes a parameter positional-only.
    var isPositionalOnly: Bool { label == nil }

    /// `PyParameter(...)`, for the signature.
    var parameterExpression: String {
        let positionalOnly = isPositionalOnly ? ", positionalOnly: true" : ""
        guard let defaultValue else {
            return isPositionalOnly ? "PyParameter(\(pythonName.swiftLiteral)\(positionalOnly))" : pythonName.swiftLiteral
        }
        return "PyParameter(\(pythonName.swiftLiteral), default: \(PythonDefault.text(ofSwift: defaultValue).swiftLiteral)\(positionalOnly))"
    }
}

/// A Swift function, method or initialiser as Python calls it: what the macros need to convert
/// its arguments and call it.
struct PythonCallable {
    let swiftName: String
    let pythonName: String
    let parameters: [PythonParameter]
    let isThrowing: Bool
    /// The result type, or `nil` for none (`Void`: the Python call returns `None`).
    let resultType: String?
    let isMutating: Bool
    let isStatic: Bool
    let doc: String?

    /// Reads `parameters` of a declaration, reporting what the macros cannot call.
    static func parameters(
        of clause: FunctionParameterClauseSyntax, in diagnostics: inout PyMacroDiagnostics
    ) -> [PythonParameter] {
        var sawKeywordParameter = false
        var sawDefault = false
        return clause.parameters.map { parameter in
            let firstName = parameter.firstName.identifierName
            let ownName = parameter.secondName?.identifierName ?? firstName
            let label = firstName == "_" ? nil : firstName
            if label == nil, sawKeywordParameter {
                diagnostics.error(parameter, "positionalOnlyAfterKeyword", "'_ \(ownName)' is positional-only but follows a parameter Python may pass by name: put the '_' parameters first (they come before '/' in Python)")
            }
            if parameter.defaultValue == nil, sawDefault {
                diagnostics.error(parameter, "requiredAfterDefault", "'\(ownName)' has no default value but follows a parameter that has one: Python requires parameters with defaults to come last")
            }
            sawKeywordParameter = sawKeywordParameter || label != nil
            sawDefault = sawDefault || parameter.defaultValue != nil
            if parameter.ellipsis != nil {
                diagnostics.error(parameter, "variadicParameter", "variadic parameter '\(ownName)' is not supported: take an array ([T] converts from a Python list)")
            }
            let type = parameter.type
            if let attributed = type.as(AttributedTypeSyntax.self), attributed.specifiers.contains(where: {
                $0.as(SimpleTypeSpecifierSyntax.self)?.specifier.tokenKind == .keyword(.inout)
            }) {
                diagnostics.error(parameter, "inoutParameter", "inout parameter '\(ownName)' is not supported: Python arguments are passed by reference to objects, not to variables")
            } else if let problem = unsupportedTypeProblem(type) {
                diagnostics.error(type, "unsupportedParameterType", "parameter '\(ownName)' has type '\(type.trimmedDescription)', which \(problem)")
            }
            return PythonParameter(label: label, pythonName: label ?? ownName, type: type.trimmedDescription,
                                   defaultValue: parameter.defaultValue?.value.trimmedDescription)
        }
    }

    /// Why a parameter or result of this type cannot convert, or `nil` if it may (the compiler
    /// checks the rest: the type must be `PyConvertible`).
    static func unsupportedTypeProblem(_ type: TypeSyntax) -> String? {
        if type.is(FunctionTypeSyntax.self) { return "is a function type: PyClassKit converts no functions between Swift and Python" }
        if let tuple = type.as(TupleTypeSyntax.self), tuple.elements.count == 1, tuple.elements.first?.firstName == nil {
            return unsupportedTypeProblem(tuple.elements.first!.type)   // `(Int)` is `Int`
        }
        if type.is(TupleTypeSyntax.self) { return "is a tuple: PyClassKit converts no tuples; declare a @PyClass struct, or use an array" }
        if type.is(SomeOrAnyTypeSyntax.self) { return "is not a concrete type: use one, or PyReference for any object" }
        if let attributed = type.as(AttributedTypeSyntax.self) { return unsupportedTypeProblem(attributed.baseType) }
        return nil
    }

    /// Checks a function's effects: `async` cannot be called, and only `throws(PyError)` raises.
    static func isThrowing(
        _ effects: (some EffectSpecifiersSyntax)?, name: String, in diagnostics: inout PyMacroDiagnostics
    ) -> Bool {
        guard let effects else { return false }
        if let async = effects.asyncSpecifier {
            diagnostics.error(async, "asyncFunction", "'\(name)' is async: Python calls it synchronously; make it synchronous")
        }
        guard let throwsClause = effects.throwsClause else { return false }
        if throwsClause.type?.trimmedDescription != "PyError" {
            diagnostics.error(throwsClause, "untypedThrows", "'\(name)' must throw PyError only: declare it 'throws(PyError)' so that each error maps to a Python exception")
        }
        return true
    }

    /// The signature's parameters: `["x", PyParameter("y", default: "0.0")]`.
    var parameterList: String {
        "[" + parameters.map(\.parameterExpression).joined(separator: ", ") + "]"
    }

    /// The type the arguments convert to: `Void`, `T`, or a tuple `(T, U)`.
    var argumentsType: String {
        switch parameters.count {
        case 0: "Void"
        case 1: parameters[0].type
        default: "(" + parameters.map(\.type).joined(separator: ", ") + ")"
        }
    }

    /// Statements converting each argument of ``PyArguments`` named `arguments`, in order, to a
    /// constant `value<index>` (a rejected one raises before the call; what earlier ones took,
    /// such as a ``PyReference``, is released with them).
    var conversionStatements: [String] {
        parameters.indices.map { index in
            let parameter = parameters[index]
            let value = parameter.defaultValue.map { "arguments.value(\(index), as: (\(parameter.type)).self, orDefault: \($0))" }
                ?? "arguments.value(\(index), as: (\(parameter.type)).self)"
            return "let value\(index) = try \(value)"
        }
    }

    /// A closure converting ``PyArguments`` to ``argumentsType``.
    var convertingClosure: String {
        if parameters.isEmpty { return "{ (_: PyArguments) throws(PyError) -> Void in () }" }
        let values = parameters.indices.map { "value\($0)" }
        let result = values.count == 1 ? values[0] : "(" + values.joined(separator: ", ") + ")"
        return "{ (arguments: PyArguments) throws(PyError) -> \(argumentsType) in \(conversionStatements.joined(separator: "; ")); return \(result) }"
    }

    /// The Swift call's argument list, of the constants of ``conversionStatements``.
    var directCallArguments: String {
        parameters.indices.map { index in
            parameters[index].label.map { "\($0): value\(index)" } ?? "value\(index)"
        }.joined(separator: ", ")
    }

    /// The Swift call's argument list, reading converted arguments named `arguments` (one value,
    /// or a tuple of several).
    var callArguments: String {
        parameters.enumerated().map { index, parameter in
            let value = parameters.count == 1 ? "arguments" : "arguments.\(index)"
            return parameter.label.map { "\($0): \(value)" } ?? value
        }.joined(separator: ", ")
    }

    /// The body of a closure calling `callee` (e.g. `state.pointee.norm`), returning a
    /// `PyRepresentable` (``PyNone`` for a Swift function without a result).
    func callStatement(_ callee: String) -> String {
        let call = "\(isThrowing ? "try " : "")\(callee)(\(callArguments))"
        return resultType == nil ? "\(call); return PyNone()" : "return \(call)"
    }

    /// The closure's result type.
    var resultTypeOrNone: String { resultType ?? "PyNone" }
}

/// Python source for a Swift default value, for a text signature (`inspect.signature`).
enum PythonDefault {
    static func text(ofSwift expression: String) -> String {
        switch expression {
        case "true": return "True"
        case "false": return "False"
        case "nil": return "None"
        case "[]": return "[]"
        case "[:]": return "{}"
        default: break
        }
        if let number = numberLiteral(expression) { return number }
        if expression.hasPrefix("\""), expression.hasSuffix("\""), expression.count >= 2,
           !expression.contains("\\(") {
            let body = expression.dropFirst().dropLast()
            return "'" + body.replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        return "..."
    }

    /// An integer or floating-point literal, without Swift's `_` separators; `nil` otherwise.
    private static func numberLiteral(_ text: String) -> String? {
        let plain = text.replacingOccurrences(of: "_", with: "")
        let digits = plain.hasPrefix("-") ? plain.dropFirst() : Substring(plain)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-" }),
              digits.first!.isNumber else { return nil }
        return plain
    }
}

