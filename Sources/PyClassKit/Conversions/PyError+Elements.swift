import CPythonShim

extension PyError {
    /// This error, which converting an element of a collection named `container` raised, made to
    /// name that element: `element` (`"item 2"`, `"key 'a'"`) follows the container's name.
    ///
    /// Only the error path calls this: elements convert with their container's own
    /// ``PyArgumentName`` (see there why), and the element's name is put in afterwards.
    /// - A message that names the container, as PyClassKit's own `TypeError`s do
    ///   (`f() argument 'xs' must be an integer, not str`), names the element instead
    ///   (`f() argument 'xs' item 2 must be an integer, not str`). Each enclosing collection puts
    ///   its element's name in the same place, so a nested element's name reads from the outside
    ///   in (`f() argument 'xs' item 1 item 2`).
    /// - Any other exception (one CPython or the caller's `__index__` raised, an `OverflowError`
    ///   whose message names no argument) keeps its type and message, and gets a note when it is
    ///   raised (``raise()``): `when converting f() argument 'xs' item 2`.
    @usableFromInline
    func naming(_ element: String, of container: PyArgumentName) -> PyError {
        let name = container.description
        let elementName = "\(name) \(element)"
        if !name.isEmpty, let range = message.firstRange(of: name) {
            var renamed = message
            renamed.replaceSubrange(range, with: elementName)
            return PyError(kind, renamed)
        }
        let note = "when converting \(elementName)"
        guard case .alreadySet = kind else {
            raise()
            return PyError(.alreadySet, note)
        }
        return PyError(.alreadySet, message.isEmpty ? note : "\(message)\n\(note)")
    }
}

/// How an error message shows a dict's key: its `repr`, cut to 50 characters. The exception
/// already set, if any, is kept aside meanwhile (`repr` may run the key's own `__repr__`).
@usableFromInline
func describeKey(_ key: PyObjectPointer) -> String {
    let saved = pck_err_save()
    defer { pck_err_restore(saved) }
    let fallback = "of type \(typeName(of: key))"
    guard let repr = PyObject_Repr(key) else {
        PyErr_Clear()
        return fallback
    }
    defer { pck_decref(repr) }
    guard let text = try? String(python: repr, argument: "repr") else {
        PyErr_Clear()
        return fallback
    }
    return text.count <= 50 ? text : text.prefix(47) + "..."
}
