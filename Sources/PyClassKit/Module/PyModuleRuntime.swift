import CPythonShim

/// The state of one PyClassKit module object: the runtimes of the types it made.
///
/// The module's C state holds one retained pointer to this object; `m_free` releases it and
/// frees the objects parked in the module's freelists.
final class PyModuleRuntime: @unchecked Sendable {
    // @unchecked: filled by the module's exec function before any type is published, read-only
    // afterwards.

    private(set) var classes: [PyClassRuntime] = []

    func append(_ runtime: PyClassRuntime) { classes.append(runtime) }
}

/// The module's `m_free`: releases the module's runtime (and with it, every parked object).
let moduleFree: freefunc = { module in
    guard let module,
          let state = pck_module_state(module.assumingMemoryBound(to: PyObject.self), moduleFree),
          let runtime = state.load(as: UnsafeRawPointer?.self) else { return }
    state.storeBytes(of: nil, as: UnsafeRawPointer?.self)
    let moduleRuntime = Unmanaged<PyModuleRuntime>.fromOpaque(runtime).takeRetainedValue()
    moduleRuntime.classes.forEach { $0.freeParkedObjects() }
}

/// The module's `Py_mod_exec`: makes the types and functions of its ``PyModuleDefinition``.
let moduleExec: @convention(c) (PyObjectPointer?) -> Int32 = { module in
    guard let module, let context = pck_module_context(module, moduleFree),
          let state = PyModule_GetState(module) else {
        PyErr_SetString(pck_exc_system_error(), "PyClassKit: module exec without its definition")
        return -1
    }
    let definition = Unmanaged<PyModuleDefinition>.fromOpaque(context).takeUnretainedValue()
    let runtime = PyModuleRuntime()
    state.storeBytes(of: Unmanaged.passRetained(runtime).toOpaque(), as: UnsafeRawPointer.self)
    do throws(PyError) {
        try definition.populate(module, runtime: runtime)
        return 0
    } catch {
        error.raise()
        return -1
    }
}
