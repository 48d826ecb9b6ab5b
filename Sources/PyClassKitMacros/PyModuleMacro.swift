import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@PyModule("name")`: the module definition of an enum's classes, exceptions and functions, and
/// its `PyInit_<name>`.
public struct PyModuleMacro: MemberMacro, PeerMacro {
    public static func expansion(
        of node: AttributeSyntax, providingMembersOf declaration: some DeclGroupSyntax,
        conformingTo protocols: [TypeSyntax], in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        var diagnostics = PyMacroDiagnostics()
        guard let enumDecl = declaration.as(EnumDeclSyntax.self) else {
            diagnostics.error(node, "moduleNotAnEnum", "@PyModule applies to an enum without cases, which holds the module's declarations")
            try diagnostics.check()
            return []
        }
        guard let name = node.nameArgument, !name.isEmpty else {
            diagnostics.error(node, "moduleName", "@PyModule needs the module's name as a string literal: @PyModule(\"points\")")
            try diagnostics.check()
            return []
        }
        let typeName = enumDecl.name.text
        var declared: Set<String> = []
        var functions: [PythonCallable] = []
        for member in enumDecl.memberBlock.members {
            if let variable = member.decl.as(VariableDeclSyntax.self), variable.modifiers.contains(.static) {
                for binding in variable.bindings {
                    if let identifier = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text { declared.insert(identifier) }
                }
            } else if let function = member.decl.as(FunctionDeclSyntax.self),
                      let marker = function.attributes.attribute(named: "PyFunction") {
                let swiftName = function.name.identifierName
                marker.checkNameArgument(in: &diagnostics)
                if let generics = function.genericParameterClause {
                    diagnostics.error(generics, "genericFunction", "'\(swiftName)' is generic: Python calls one concrete function; declare one function per type")
                }
                functions.append(PythonCallable(
                    swiftName: function.name.text, pythonName: marker.nameArgument ?? swiftName,
                    parameters: PythonCallable.parameters(of: function.signature.parameterClause, in: &diagnostics),
                    isThrowing: PythonCallable.isThrowing(function.signature.effectSpecifiers, name: swiftName, in: &diagnostics),
                    resultType: PythonClassModel.resultType(function.signature.returnClause, typeName: typeName, diagnostics: &diagnostics),
                    isMutating: false, isStatic: true, doc: function.docComment))
            }
        }
        try diagnostics.check()

        var members: [DeclSyntax] = []
        for (index, function) in functions.enumerated() {
            members.append("static let _pyFunctionSignature\(raw: index) = PySignature(\(raw: "\(function.pythonName)()".swiftLiteral), \(raw: function.parameterList)).permanent")
        }
        let compiled = functions.enumerated().map { index, function in
            let doc = function.doc.map { ", doc: \($0.swiftLiteral)" } ?? ""
            return """
            PyFunction(\(function.pythonName.swiftLiteral)\(doc), parameters: \(function.parameterList)) { _, arguments, count, keywordNames in
                        _invokeFunction(arguments, count, keywordNames, signature: \(typeName)._pyFunctionSignature\(index),
                            arguments: \(function.convertingClosure),
                            body: { (arguments: \(function.argumentsType)) throws(PyError) -> \(function.resultTypeOrNone) in \(function.callStatement("\(typeName).\(function.swiftName)")) })
                    }
            """
        }
        let functionList = "[\n        " + (compiled + (declared.contains("functions") ? [] : [])).joined(separator: ",\n        ") + "\n    ]"
            + (declared.contains("functions") ? " + functions" : "")
        let doc = enumDecl.docComment.map { $0.swiftLiteral } ?? "nil"
        members.append("""
            /// The module's definition: what `PyInit_\(raw: name)` initialises.
            static let definition = PyModuleDefinition(
                name: \(raw: name.swiftLiteral), doc: \(raw: doc),
                classes: \(raw: declared.contains("classes") ? "classes" : "[]"),
                functions: \(raw: functionList),
                exceptions: \(raw: declared.contains("exceptions") ? "exceptions" : "[]"))
            """)
        return members
    }

    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        guard let enumDecl = declaration.as(EnumDeclSyntax.self), let name = node.nameArgument, !name.isEmpty else { return [] }
        let typeName = enumDecl.name.text
        return ["""
            /// The module's init function, which CPython finds by its name when it imports `\(raw: name)`.
            @_cdecl(\(raw: "PyInit_\(name)".swiftLiteral))
            public func \(raw: typeName)_PyInit() -> PyObjectPointer? {
                \(raw: typeName).definition.initialize()
            }
            """]
    }
}
