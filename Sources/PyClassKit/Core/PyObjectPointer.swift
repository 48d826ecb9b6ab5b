import CPythonShim

/// A pointer to a Python object, as the C API passes it.
public typealias PyObjectPointer = UnsafeMutablePointer<PyObject>
