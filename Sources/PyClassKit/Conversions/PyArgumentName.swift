import CPythonShim

/// Which value a conversion converts, as its error messages name it: `Point() argument 'x'`.
///
/// Two words, passed in registers: a conversion on the hot path of a call carries it for free
/// and builds the text only when it raises.
///
/// The elements of a collection (`[Double]`, `[String: Int]`) convert with their container's
/// name as it is. A name of their own (`f() argument 'xs' item 2`) would need room for the
/// element's place, a field that every scalar conversion would then store and pass too; so the
/// collection puts the element's place into the error instead, only when an element has failed
/// (`PyError.naming(_:of:)`), and nothing here changes.
public struct PyArgumentName: @unchecked Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    // @unchecked: the signature it points to is immutable and outlives every call.
    @usableFromInline let signature: UnsafePointer<PySignature>?
    @usableFromInline let index: Int
    @usableFromInline let label: StaticString

    /// Parameter `index` of `signature` (which lives as long as the call).
    @inlinable
    init(signature: UnsafePointer<PySignature>, index: Int) {
        self.signature = signature
        self.index = index
        self.label = ""
    }

    /// The value assigned to an attribute: `signature`'s display name names it whole
    /// (`attribute 'label' of 'points.Counter' objects`).
    init(attributeOf signature: UnsafePointer<PySignature>) {
        self.signature = signature
        self.index = -1
        self.label = ""
    }

    /// A value named by `label`: `"keyword"`.
    public init(stringLiteral label: StaticString) {
        self.signature = nil
        self.index = 0
        self.label = label
    }

    public var description: String {
        guard let signature else { return label.description }
        if index < 0 { return signature.pointee.displayName }
        return "\(signature.pointee.displayName) argument '\(signature.pointee.parameters[index].name)'"
    }
}
