import CPythonShim

/// The arguments of one call, matched to the parameters of a ``PySignature``.
///
/// Positional and keyword arguments are both accepted for every parameter, and checked the way
/// CPython checks them: too many, missing, unexpected or repeated arguments raise `TypeError`.
/// The references are borrowed from the caller: an instance is valid only during the call.
public struct PyArguments {
    /// The signature the arguments were matched to.
    public var signature: PySignature { signatureAddress.pointee }
    @usableFromInline let signatureAddress: UnsafePointer<PySignature>
    @usableFromInline let values: UnsafeMutableBufferPointer<PyObjectPointer?>

    @usableFromInline
    init(signatureAddress: UnsafePointer<PySignature>, values: UnsafeMutableBufferPointer<PyObjectPointer?>) {
        self.signatureAddress = signatureAddress
        self.values = values
    }

    /// The number of parameters (given or not).
    public var count: Int { values.count }

    /// The argument for parameter `index`, borrowed, or `nil` if an optional one was left out.
    public subscript(index: Int) -> PyObjectPointer? { values[index] }

    /// The argument for parameter `index`, converted to `T`. Inlined, so that the conversion is
    /// specialised in the class's own module and its error text is built only on the error path:
    /// this runs for every argument of every call.
    @inlinable @inline(__always)
    public func value<T: PyConvertible>(_ index: Int, as type: T.Type = T.self) throws(PyError) -> T {
        guard let object = values[index] else { throw missingArgument(index) }
        return try T(python: object, argument: PyArgumentName(signature: signatureAddress, index: index))
    }

    /// The argument for optional parameter `index` converted to `T`, or `nil` if it was left out.
    @inlinable
    public func optionalValue<T: PyConvertible>(_ index: Int, as type: T.Type = T.self) throws(PyError) -> T? {
        guard let object = values[index] else { return nil }
        return try T(python: object, argument: PyArgumentName(signature: signatureAddress, index: index))
    }

    /// The argument for optional parameter `index` converted to `T`, or `defaultValue` if it was
    /// left out (the macros pass a Swift default value here).
    @inlinable @inline(__always)
    public func value<T: PyConvertible>(
        _ index: Int, as type: T.Type = T.self, orDefault defaultValue: @autoclosure () -> T
    ) throws(PyError) -> T {
        guard let object = values[index] else { return defaultValue() }
        return try T(python: object, argument: PyArgumentName(signature: signatureAddress, index: index))
    }

    @usableFromInline
    func missingArgument(_ index: Int) -> PyError {
        .typeError("\(signatureAddress.pointee.displayName) missing required argument '\(signatureAddress.pointee.parameters[index].name)'")
    }

}
