import CPythonShim

/// One attribute's getter, reached through the `closure` pointer of its `PyGetSetDef`.
final class AttributeBox: Sendable {
    let name: String
    let doc: String?
    /// Reads the attribute of an instance (descriptors check the instance's type first).
    let get: @Sendable (PyObjectPointer) throws(PyError) -> PyObjectPointer?

    init(name: String, doc: String?, get: @escaping @Sendable (PyObjectPointer) throws(PyError) -> PyObjectPointer?) {
        self.name = name
        self.doc = doc
        self.get = get
    }
}
