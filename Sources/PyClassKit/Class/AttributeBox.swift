import CPythonShim

/// One attribute's getter and setter, reached through the `closure` pointer of its `PyGetSetDef`.
final class AttributeBox: Sendable {
    /// Stores a value (`nil`: `del`) into an instance (descriptors check the instance's type first).
    typealias Set = @Sendable (PyObjectPointer, PyObjectPointer?) throws(PyError) -> Void

    let name: String
    let doc: String?
    /// Reads the attribute of an instance (descriptors check the instance's type first).
    let get: @Sendable (PyObjectPointer) throws(PyError) -> PyObjectPointer?
    /// `nil` for a read-only attribute.
    let set: Set?

    init(name: String, doc: String?, get: @escaping @Sendable (PyObjectPointer) throws(PyError) -> PyObjectPointer?,
         set: Set?) {
        self.name = name
        self.doc = doc
        self.get = get
        self.set = set
    }
}
