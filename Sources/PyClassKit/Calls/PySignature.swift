import CPythonShim

/// The parameters of a callable, and the name error messages call it by (`"Point()"`).
public struct PySignature: Sendable {
    public var displayName: String
    public var parameters: [PyParameter]

    public init(_ displayName: String, _ parameters: [PyParameter]) {
        self.displayName = displayName
        self.parameters = parameters
    }

    /// The signature as CPython's `__text_signature__` writes it, which `inspect.signature` and
    /// `help()` read: `(x, y)`, `(value, /, factor=1.0)`, or with a receiver `($self, /, factor=1.0)`.
    public func textSignature(receiver: String? = nil) -> String {
        var items = receiver.map { [$0] } ?? []
        var slashAfter = receiver == nil ? -1 : 0
        for parameter in parameters {
            items.append(parameter.isOptional ? "\(parameter.name)=\(parameter.defaultText ?? "None")" : parameter.name)
            if parameter.isPositionalOnly { slashAfter = items.count - 1 }
        }
        if slashAfter >= 0 { items.insert("/", at: slashAfter + 1) }
        return "(" + items.joined(separator: ", ") + ")"
    }

    /// A copy of this signature at a stable address, never freed, for a callable that lives for
    /// the rest of the process: calls then pass the address, not a copy whose string and array
    /// would be retained and released (atomically, on objects every calling thread shares).
    public func permanentCopy() -> UnsafePointer<PySignature> {
        let copy = UnsafeMutablePointer<PySignature>.allocate(capacity: 1)
        copy.initialize(to: self)
        return UnsafePointer(copy)
    }

    /// A ``permanentCopy()`` that can be a `static let` (as the macros declare one per method).
    public var permanent: Permanent { Permanent(address: permanentCopy()) }

    /// The address of a signature that is never freed nor changed.
    public struct Permanent: @unchecked Sendable {
        // @unchecked: the signature is immutable and never freed; every thread only reads it.
        public let address: UnsafePointer<PySignature>
    }
}

/// A docstring in CPython's internal form, `name(signature)\n--\n\n` followed by the text: the
/// form of `tp_doc` and `ml_doc` from which CPython derives `__text_signature__` (and strips
/// the signature from `__doc__`). `name` is the unqualified name.
func internalDoc(name: String, textSignature: String, doc: String?) -> String {
    "\(name)\(textSignature)\n--\n\n\(doc ?? "")"
}
