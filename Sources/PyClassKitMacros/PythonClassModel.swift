import SwiftDiagnostics
import SwiftSyntax

/// What `@PyClass` reads of a struct.
struct PythonClassModel {
    struct Attribute {
        let swiftName: String
        let pythonName: String
        let doc: String?
        let isSettable: Bool
    }

    struct ClassAttribute {
        let swiftName: String
        let pythonName: String
    }

    let typeName: String
    let pythonName: String
    let doc: String?
    let freeList: String?
    let canaries: Bool
    let isFinal: Bool
    let weakref: Bool
    var initializer: PythonCallable?
    var attributes: [Attribute] = []
    var methods: [PythonCallable] = []
    var classAttributes: [ClassAttribute] = []
    /// A stored property holding Python references: the class is garbage-collected.
    struct Reference {
        enum Kind { case single, optional, array }
        let name: String
        let kind: Kind
    }

    let access: String
    var references: [Reference] = []
    var declaresTraverse = false
    var declaresClear = false
    /// Whether the struct declares `init(arguments:)` itself.
    var declaresConstructor = false
    /// Whether the struct conforms to no protocol but the standard ones whose Python meaning
    /// PyClassKit knows: another protocol might supply `init(arguments:)` (as `StrategyPoint` does).
    let inheritsOnlyKnownProtocols: Bool

    var hasMutableState: Bool { attributes.contains(where: \.isSettable) || methods.contains(where: \.isMutating) }

    init(_ decl: StructDeclSyntax, attribute node: AttributeSyntax, diagnostics: inout PyMacroDiagnostics) {
        typeName = decl.name.text
        pythonName = node.nameArgument ?? decl.name.identifierName
        access = decl.modifiers.accessPrefix
        let known: Set<String> = ["Equatable", "Hashable", "Comparable", "CustomStringConvertible", "Sendable",
                                  "BitwiseCopyable", "Codable", "Encodable", "Decodable"]
        inheritsOnlyKnownProtocols = (decl.inheritanceClause?.inheritedTypes ?? []).allSatisfy {
            known.contains($0.type.trimmedDescription)
        }
        node.checkNameArgument(in: &diagnostics)
        doc = decl.docComment
        freeList = node.argument("freeList")?.trimmedDescription
        canaries = node.argument("canaries")?.booleanLiteralValue ?? false
        isFinal = node.argument("final")?.booleanLiteralValue ?? false
        weakref = node.argument("weakref")?.booleanLiteralValue ?? false
        for label in ["canaries", "final", "weakref"] {
            if let expression = node.argument(label), expression.booleanLiteralValue == nil {
                diagnostics.error(expression, "nonLiteralOption", "'\(label):' must be true or false, written as a literal")
            }
        }
        for member in decl.memberBlock.members {
            if let variable = member.decl.as(VariableDeclSyntax.self) {
                readProperty(variable, diagnostics: &diagnostics)
            } else if let function = member.decl.as(FunctionDeclSyntax.self) {
                readFunction(function, diagnostics: &diagnostics)
            } else if let initializer = member.decl.as(InitializerDeclSyntax.self) {
                readInitializer(initializer, diagnostics: &diagnostics)
            }
        }
        var seen: [String: Syntax] = [:]
        for name in attributes.map(\.pythonName) + methods.map(\.pythonName) + classAttributes.map(\.pythonName) {
            if seen[name] != nil {
                diagnostics.error(decl.name, "duplicateName", "two members of \(typeName) are exposed to Python as '\(name)': give one another name (@PyMethod(\"other\"))")
            }
            seen[name] = Syntax(decl.name)
        }
    }

    private mutating func readProperty(_ variable: VariableDeclSyntax, diagnostics: inout PyMacroDiagnostics) {
        let get = variable.attributes.attribute(named: "PyGet")
        let set = variable.attributes.attribute(named: "PySet")
        let classAttribute = variable.attributes.attribute(named: "PyClassAttribute")
        for marker in [get, set, classAttribute].compactMap({ $0 }) { marker.checkNameArgument(in: &diagnostics) }
        let isStatic = variable.modifiers.contains(.static)
        let isLet = variable.bindingSpecifier.tokenKind == .keyword(.let)
        // `var a, b: PyReference`: the type is written once, on the last name.
        var type: String?
        let insertionIndex = references.endIndex
        for binding in variable.bindings.reversed() {
            type = binding.typeAnnotation?.type.trimmedDescription ?? (binding.initializer == nil ? type : nil)
            let stored = binding.accessorBlock == nil || binding.accessorBlock.map(Self.isObserversOnly) == true
            guard stored, !isStatic, let type, let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text else { continue }
            let kind: Reference.Kind? = switch type {
            case "PyReference": .single
            case "PyReference?", "Optional<PyReference>": .optional
            case "[PyReference]", "Array<PyReference>": .array
            default: nil
            }
            guard let kind else { continue }
            references.insert(Reference(name: name, kind: kind), at: insertionIndex)
        }
        guard get != nil || set != nil || classAttribute != nil else { return }
        guard variable.bindings.count == 1, let binding = variable.bindings.first,
              let identifier = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier else {
            diagnostics.error(variable, "multipleBindings", "declare one property per exposed attribute")
            return
        }
        // The Swift name keeps its backticks (`` `class` ``); the Python name has none.
        let (swiftName, name) = (identifier.text, identifier.identifierName)
        if let classAttribute {
            if !isStatic {
                diagnostics.error(classAttribute, "classAttributeNotStatic", "@PyClassAttribute exposes a static property: '\(name)' is an instance property (use @PyGet)")
            }
            classAttributes.append(ClassAttribute(swiftName: swiftName, pythonName: classAttribute.nameArgument ?? name))
            return
        }
        if isStatic {
            diagnostics.error(variable, "staticAttribute", "'\(name)' is static: expose it with @PyClassAttribute")
            return
        }
        if let set {
            if isLet {
                diagnostics.error(set, "setOnLet", "@PySet needs a 'var': '\(name)' is a 'let', which Python must not change")
            } else if let accessors = binding.accessorBlock, !Self.isObserversOnly(accessors), !Self.hasSetter(accessors) {
                diagnostics.error(set, "setOnGetOnly", "@PySet needs a settable property: '\(name)' has a getter only")
            }
        }
        attributes.append(Attribute(swiftName: swiftName, pythonName: set?.nameArgument ?? get?.nameArgument ?? name,
                                    doc: variable.docComment, isSettable: set != nil))
    }

    private static func isObserversOnly(_ block: AccessorBlockSyntax) -> Bool {
        guard case .accessors(let accessors) = block.accessors else { return false }
        return accessors.allSatisfy { [.keyword(.willSet), .keyword(.didSet)].contains($0.accessorSpecifier.tokenKind) }
    }

    private static func hasSetter(_ block: AccessorBlockSyntax) -> Bool {
        guard case .accessors(let accessors) = block.accessors else { return false }
        return accessors.contains { $0.accessorSpecifier.tokenKind == .keyword(.set) }
    }

    private mutating func readFunction(_ function: FunctionDeclSyntax, diagnostics: inout PyMacroDiagnostics) {
        let name = function.name.identifierName
        let isInstanceMethod = !function.modifiers.contains(.static)
        if name == "traverse", isInstanceMethod, function.signature.parameterClause.parameters.count == 1 { declaresTraverse = true }
        if name == "clear", isInstanceMethod, function.signature.parameterClause.parameters.isEmpty { declaresClear = true }
        guard let marker = function.attributes.attribute(named: "PyMethod") else { return }
        marker.checkNameArgument(in: &diagnostics)
        if let generics = function.genericParameterClause {
            diagnostics.error(generics, "genericMethod", "'\(name)' is generic: Python calls one concrete function; declare one method per type")
        }
        let isStatic = function.modifiers.contains(.static)
        methods.append(PythonCallable(
            swiftName: function.name.text, pythonName: marker.nameArgument ?? name,
            parameters: PythonCallable.parameters(of: function.signature.parameterClause, in: &diagnostics),
            isThrowing: PythonCallable.isThrowing(function.signature.effectSpecifiers, name: name, in: &diagnostics),
            resultType: Self.resultType(function.signature.returnClause, typeName: typeName, diagnostics: &diagnostics),
            isMutating: function.modifiers.contains(.mutating), isStatic: isStatic, doc: function.docComment))
    }

    static func resultType(_ clause: ReturnClauseSyntax?, typeName: String, diagnostics: inout PyMacroDiagnostics) -> String? {
        guard let type = clause?.type else { return nil }
        let text = type.trimmedDescription
        if text == "Void" || text == "()" { return nil }
        if let problem = PythonCallable.unsupportedTypeProblem(type) {
            diagnostics.error(type, "unsupportedResultType", "the result type '\(text)' \(problem)")
        }
        return text == "Self" ? typeName : text
    }

    private mutating func readInitializer(_ initializer: InitializerDeclSyntax, diagnostics: inout PyMacroDiagnostics) {
        if initializer.signature.parameterClause.parameters.map(\.firstName.text) == ["arguments"] { declaresConstructor = true }
        guard let marker = initializer.attributes.attribute(named: "PyInit") else { return }
        if self.initializer != nil {
            diagnostics.error(marker, "multipleInitializers", "only one initialiser can be @PyInit: Python classes have one constructor")
        }
        if initializer.optionalMark != nil {
            diagnostics.error(initializer.optionalMark!, "failableInitializer", "a @PyInit initialiser cannot be failable: throw a PyError instead of returning nil")
        }
        self.initializer = PythonCallable(
            swiftName: "init", pythonName: "__init__",
            parameters: PythonCallable.parameters(of: initializer.signature.parameterClause, in: &diagnostics),
            isThrowing: PythonCallable.isThrowing(initializer.signature.effectSpecifiers, name: "init", in: &diagnostics),
            resultType: nil, isMutating: false, isStatic: false, doc: nil)
    }

    /// The members of the generated extension.
    func members() -> [String] {
        var members: [String] = [
            "static let _pyTypeSlot = PyClassTypeSlot()",
            "static var pythonName: String { \(pythonName.swiftLiteral) }",
        ]
        if let doc { members.append("static var doc: String? { \(doc.swiftLiteral) }") }
        if let freeList { members.append("static var freeList: FreeListStrategy { \(freeList) }") }
        if canaries { members.append("static var freeListCanaries: Bool { true }") }
        if isFinal { members.append("static var isBaseType: Bool { false }") }
        if weakref { members.append("static var supportsWeakReferences: Bool { true }") }
        if hasMutableState { members.append("static var hasMutableState: Bool { true }") }
        if !references.isEmpty || declaresTraverse || declaresClear {
            members.append("static var hasGarbageCollection: Bool { true }")
        }
        if !references.isEmpty, !declaresTraverse {
            // `self.`: a property may be named like the parameter or the locals.
            let visits = references.map { reference in
                switch reference.kind {
                case .single: "status = self.\(reference.name).visit(visitor)\n    if status != 0 { return status }"
                case .optional: "status = self.\(reference.name)?.visit(visitor) ?? 0\n    if status != 0 { return status }"
                case .array: "for reference in self.\(reference.name) {\n        status = reference.visit(visitor)\n        if status != 0 { return status }\n    }"
                }
            }
            members.append("func traverse(_ visitor: PyVisitor) -> Int32 {\n    var status: Int32 = 0\n    \(visits.joined(separator: "\n    "))\n    return status\n}")
        }
        if !references.isEmpty, !declaresClear {
            let clears = references.map { reference in
                switch reference.kind {
                case .single: "self.\(reference.name).clear()"
                case .optional: "self.\(reference.name)?.clear()"
                case .array: "for index in self.\(reference.name).indices { self.\(reference.name)[index].clear() }"
                }
            }
            members.append("mutating func clear() {\n    \(clears.joined(separator: "\n    "))\n}")
        }
        if initializer == nil, !declaresConstructor, inheritsOnlyKnownProtocols {
            members.append("static var isConstructible: Bool { false }")
        }
        if let initializer {
            members.append("static var signature: PySignature { PySignature(\("\(pythonName)()".swiftLiteral), \(initializer.parameterList)) }")
            let statements = initializer.conversionStatements + [
                "\(initializer.isThrowing ? "try " : "")self.init(\(initializer.directCallArguments))",
            ]
            members.append("init(arguments: PyArguments) throws(PyError) {\n    \(statements.joined(separator: "\n    "))\n}")
            // The constructor of `Point(1.0, 2.0)`, specialised: the class's own tp_vectorcall and
            // its `_makeInstance` (tp_new) each inline it, and it calls the initialiser itself (no
            // init(arguments:) in between), with the parameter count as a constant.
            let construct = initializer.conversionStatements + [
                "return \(initializer.isThrowing ? "try " : "")\(typeName)(\(initializer.directCallArguments))",
            ]
            // The closure's lines after its first, indented by `indent` (where it is interpolated).
            func constructor(indent: String) -> String {
                "(arguments: PyArguments) throws(PyError) -> \(typeName) in\n"
                    + construct.map { indent + $0 }.joined(separator: "\n")
            }
            members.append("""
                static var _vectorcall: PyVectorcallFunction? {
                    { callable, arguments, count, keywordNames in
                        \(typeName)._constructInstance(vectorcall: callable, arguments, count, keywordNames, parameterCount: \(initializer.parameters.count)) {
                            \(constructor(indent: "            "))
                        }
                    }
                }
                """)
            members.append("""
                static func _makeInstance(
                    _ hotPath: UnsafeMutableRawPointer,
                    positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
                ) -> PyObjectPointer? {
                    _constructInstance(hotPath, parameterCount: \(initializer.parameters.count), positional: positional, count: count, keywords: keywords) {
                        \(constructor(indent: "        "))
                    }
                }
                """)
        }
        if !attributes.isEmpty {
            let list = attributes.map { attribute in
                let doc = attribute.doc.map { ", doc: \($0.swiftLiteral)" } ?? ""
                return attribute.isSettable
                    ? "PyAttribute(\(attribute.pythonName.swiftLiteral)\(doc), get: { $0.\(attribute.swiftName) }, set: { $0.\(attribute.swiftName) = $1 })"
                    : "PyAttribute(\(attribute.pythonName.swiftLiteral)\(doc)) { $0.\(attribute.swiftName) }"
            }
            members.append("static var attributes: [PyAttribute<\(typeName)>] {\n    [\n        \(list.joined(separator: ",\n        ")),\n    ]\n}")
        }
        if !methods.isEmpty {
            for (index, method) in methods.enumerated() {
                members.append("static let _pyMethodSignature\(index) = PySignature(\("\(pythonName).\(method.pythonName)()".swiftLiteral), \(method.parameterList)).permanent")
            }
            let list = methods.enumerated().map { index, method in methodExpression(method, index: index) }
            members.append("static var methods: [PyMethod<\(typeName)>] {\n    [\n        \(list.joined(separator: ",\n        ")),\n    ]\n}")
        }
        if !classAttributes.isEmpty {
            let list = classAttributes.map { "PyClassAttribute(\($0.pythonName.swiftLiteral)) { \(typeName).\($0.swiftName) }" }
            members.append("static var classAttributes: [PyClassAttribute] {\n    [\(list.joined(separator: ", "))]\n}")
        }
        return members.map { access + $0 }
    }

    /// `PyMethod(...)` with the method's own C function.
    private func methodExpression(_ method: PythonCallable, index: Int) -> String {
        let doc = method.doc.map { ", doc: \($0.swiftLiteral)" } ?? ""
        let head = "PyMethod(\(method.pythonName.swiftLiteral)\(doc), parameters: \(method.parameterList), kind: \(method.isStatic ? ".static" : ".instance"))"
        let signature = "\(typeName)._pyMethodSignature\(index)"
        if method.isStatic {
            return """
            \(head) { _, arguments, count, keywordNames in
                        _invokeFunction(arguments, count, keywordNames, signature: \(signature),
                            arguments: \(method.convertingClosure),
                            body: { (arguments: \(method.argumentsType)) throws(PyError) -> \(method.resultTypeOrNone) in \(method.callStatement("\(typeName).\(method.swiftName)")) })
                    }
            """
        }
        return """
        \(head) { object, arguments, count, keywordNames in
                    \(typeName)._invokeMethod(object, arguments, count, keywordNames, signature: \(signature),
                        arguments: \(method.convertingClosure),
                        body: { (state: UnsafeMutablePointer<\(typeName)>, arguments: \(method.argumentsType)) throws(PyError) -> \(method.resultTypeOrNone) in \(method.callStatement("state.pointee.\(method.swiftName)")) })
                }
        """
    }
}
