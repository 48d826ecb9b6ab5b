import SwiftCompilerPlugin
import SwiftSyntaxMacros

/// The compiler plugin that provides PyClassKit's macros.
@main
struct PyClassKitMacrosPlugin: CompilerPlugin {
    let providingMacros: [Macro.Type] = [
        PyClassMacro.self, PyMarkerMacro.self, PyModuleMacro.self, PyExceptionMacro.self,
    ]
}
