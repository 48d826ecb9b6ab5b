import SwiftDiagnostics
import SwiftSyntax

/// An error a PyClassKit macro reports at the declaration it cannot expand.
struct PyMacroDiagnostic: DiagnosticMessage, Error {
    let message: String
    let id: String
    var diagnosticID: MessageID { MessageID(domain: "PyClassKitMacros", id: id) }
    var severity: DiagnosticSeverity { .error }

    init(_ id: String, _ message: String) {
        self.id = id
        self.message = message
    }
}

/// Collects the diagnostics of one expansion, so that every problem is reported at once.
struct PyMacroDiagnostics {
    private(set) var diagnostics: [Diagnostic] = []

    mutating func error(_ node: some SyntaxProtocol, _ id: String, _ message: String) {
        diagnostics.append(Diagnostic(node: Syntax(node), message: PyMacroDiagnostic(id, message)))
    }

    /// Throws the collected diagnostics, if any.
    func check() throws {
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics: diagnostics) }
    }
}
