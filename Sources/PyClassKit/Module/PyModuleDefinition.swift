import CPythonShim

/// A Python extension module: its classes and functions.
///
/// Declare one as a global and return ``initialize()`` from the module's exported init function,
/// which must be named `PyInit_<name>`:
///
/// ```swift
/// let pointsModule = PyModuleDefinition(name: "points", classes: [Point.self])
///
/// @_cdecl("PyInit_points")
/// public func PyInit_points() -> UnsafeMutablePointer<PyObject>? { pointsModule.initialize() }
/// ```
///
/// The module uses multi-phase initialisation (PEP 489) and declares `Py_mod_gil =
/// Py_MOD_GIL_NOT_USED`: importing it into free-threaded CPython leaves the GIL disabled.
/// It declares that it does not support subinterpreters: a freelist parks memory of one
/// interpreter.
public final class PyModuleDefinition: @unchecked Sendable {
    // @unchecked: immutable after init. The C definition is written once, in init.

    public let name: String
    public let doc: String?
    public let classes: [any PyClass.Type]
    public let functions: [PyFunction]
    public let exceptions: [any PyException.Type]
    private let callables: [PyCallable]
    /// The functions with C functions of their own (never freed: the module definition lives
    /// as long as the process).
    private let functionDefinitions: UnsafeMutableBufferPointer<PyMethodDef>
    private let definition: UnsafeMutablePointer<PCKModuleDef>

    public init(name: String, doc: String? = nil, classes: [any PyClass.Type], functions: [PyFunction] = [],
                exceptions: [any PyException.Type] = []) {
        self.name = name
        self.doc = doc
        self.classes = classes
        self.functions = functions
        self.exceptions = exceptions
        self.callables = functions.compactMap { function in
            guard let body = function.body else { return nil }
            let signature = function.signature.permanentCopy()
            return PyCallable(name: function.name, doc: function.doc,
                              textSignature: function.signature.textSignature()) {
                (args, count, kwnames) throws(PyError) in
                let keywords: PyArguments.Keywords = kwnames.map { .names($0, values: args!) } ?? .none
                return try PyArguments.withArguments(signature, positional: args, count: count, keywords: keywords) {
                    (arguments) throws(PyError) in try body(arguments)
                }
            }
        }
        let compiled = functions.compactMap { function -> PyMethodDef? in
            guard let cFunction = function.function else { return nil }
            let doc = internalDoc(name: function.name, textSignature: function.signature.textSignature(receiver: "$module"),
                                  doc: function.doc)
            return PyMethodDef(ml_name: UnsafePointer(strdup(function.name)), ml_meth: pck_cfunction(cFunction),
                               ml_flags: pck_meth_fastcall_keywords(), ml_doc: UnsafePointer(strdup(doc)))
        }
        functionDefinitions = .allocate(capacity: compiled.count + 1)
        _ = functionDefinitions.initialize(from: compiled + [PyMethodDef()])
        // Lives for the whole process, as CPython requires of a module definition.
        guard let definition = pck_module_def_new(
            strdup(name), doc.map { UnsafePointer(strdup($0)) }, MemoryLayout<UnsafeRawPointer>.size,
            moduleExec, moduleFree, nil)
        else { fatalError("PyClassKit: out of memory defining module \(name)") }
        self.definition = definition
        // Retained for good: CPython may run the module's exec function at any later import.
        definition.pointee.context = Unmanaged.passRetained(self).toOpaque()
    }

    /// What the module's `PyInit_<name>` function returns.
    public func initialize() -> PyObjectPointer? {
        // The freelists were compiled for one kind of build (see FreeListStrategy): refuse to
        // load into the other, where a lock-free GILFreeList would race.
#if PYCLASSKIT_GIL_DISABLED
        let compiledFor = (freeThreaded: Int32(1), build: "free-threaded")
#else
        let compiledFor = (freeThreaded: Int32(0), build: "GIL")
#endif
        guard pck_is_free_threaded_build() == compiledFor.freeThreaded else {
            PyErr_SetString(pck_exc_import_error(), "\(name): PyClassKit was compiled for a \(compiledFor.build) build of Python, not this one (check PYCLASSKIT_PYTHON_PKGCONFIG)")
            return nil
        }
        return PyModuleDef_Init(UnsafeMutableRawPointer(definition).assumingMemoryBound(to: PyModuleDef.self))
    }

    /// Makes the module's types and functions and adds them to `module`.
    func populate(_ module: PyObjectPointer, runtime: PyModuleRuntime) throws(PyError) {
        for exception in exceptions {
            let qualifiedName = exception.pythonName.contains(".") ? exception.pythonName : "\(name).\(exception.pythonName)"
            guard let type = PyExceptionRegistry.shared.make(exception, qualifiedName: qualifiedName) else { throw .alreadySet }
            let attributeName = String(qualifiedName.split(separator: ".").last ?? "")
            guard PyModule_AddObjectRef(module, attributeName, type) == 0 else { throw .alreadySet }
        }
        for cls in classes {
            let classRuntime = PyClassRuntime(cls, moduleName: name)
            let type = try classRuntime.makeType(module: module)
            runtime.append(classRuntime)
            let attributeName = String(classRuntime.pythonName.split(separator: ".").last ?? "")
            let added = PyModule_AddObjectRef(module, attributeName, UnsafeMutableRawPointer(type).assumingMemoryBound(to: PyObject.self))
            guard added == 0 else { throw .alreadySet }
        }
        guard PyModule_AddFunctions(module, functionDefinitions.baseAddress) == 0 else { throw .alreadySet }
        for callable in callables {
            guard let function = callable.makeFunction(module: module) else { throw .alreadySet }
            defer { pck_decref(function) }
            guard PyModule_AddObjectRef(module, callable.name, function) == 0 else { throw .alreadySet }
        }
    }
}
