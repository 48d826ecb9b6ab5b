import CPythonShim

/// One parameter of a constructor or method.
public struct PyParameter: Sendable, ExpressibleByStringLiteral {
    public var name: String
    /// Whether a call may leave the parameter out.
    public var isOptional: Bool
    /// The default as Python source (`"0"`, `"''"`), shown in the text signature; `nil` for a
    /// required parameter, or an optional one whose absence the callee handles (shown as `None`).
    public var defaultText: String?

    public init(_ name: String, optional: Bool = false) {
        self.name = name
        self.isOptional = optional
    }

    /// An optional parameter whose default, written as Python source, is `defaultText`.
    public init(_ name: String, default defaultText: String) {
        self.name = name
        self.isOptional = true
        self.defaultText = defaultText
    }

    public init(stringLiteral name: String) { self.init(name) }
}

/// The parameters of a callable, and the name error messages call it by (`"Point()"`).
public struct PySignature: Sendable {
    public var displayName: String
    public var parameters: [PyParameter]

    public init(_ displayName: String, _ parameters: [PyParameter]) {
        self.displayName = displayName
        self.parameters = parameters
    }

    /// The signature as CPython's `__text_signature__` writes it, which `inspect.signature` and
    /// `help()` read: `(x, y)`, or with a receiver `(self, /, factor=1.0)`.
    public func textSignature(receiver: String? = nil) -> String {
        let names = parameters.map { parameter in
            parameter.isOptional ? "\(parameter.name)=\(parameter.defaultText ?? "None")" : parameter.name
        }
        return "(" + ((receiver.map { [$0, "/"] } ?? []) + names).joined(separator: ", ") + ")"
    }

    /// A copy of this signature at a stable address, never freed, for a callable that lives for
    /// the rest of the process: calls then pass the address, not a copy whose string and array
    /// would be retained and released (atomically, on objects every calling thread shares).
    func permanentCopy() -> UnsafePointer<PySignature> {
        let copy = UnsafeMutablePointer<PySignature>.allocate(capacity: 1)
        copy.initialize(to: self)
        return UnsafePointer(copy)
    }
}

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

    @usableFromInline
    func missingArgument(_ index: Int) -> PyError {
        .typeError("\(signatureAddress.pointee.displayName) missing required argument '\(signatureAddress.pointee.parameters[index].name)'")
    }

}

extension PyArguments {
    /// Where a call's keyword arguments are: a dict (`tp_new`, `tp_call`) or a vectorcall
    /// `kwnames` tuple whose values follow the positional arguments.
    public enum Keywords {
        case none
        case dictionary(PyObjectPointer)
        case names(PyObjectPointer, values: UnsafePointer<PyObjectPointer?>)
    }

    /// Matches a call's arguments to `signature` and runs `body` with them. No memory is
    /// allocated for up to eight parameters.
    ///
    /// Always inlined: the common call, every argument by position, then costs one comparison;
    /// the caller's array is the arguments as they stand (borrowed, never written), with nothing
    /// to copy or match. Every other call goes through ``withMatchedArguments(_:positional:count:keywords:_:)``.
    @inlinable @inline(__always)
    static func withArguments<R>(
        _ signatureAddress: UnsafePointer<PySignature>,
        positional: UnsafePointer<PyObjectPointer?>?, count positionalCount: Int,
        keywords: Keywords,
        _ body: (PyArguments) throws(PyError) -> R
    ) throws(PyError) -> R {
        if positionalCount == signatureAddress.pointee.parameters.count, case .none = keywords {
            let values = UnsafeMutableBufferPointer(mutating: UnsafeBufferPointer(start: positional, count: positionalCount))
            return try body(PyArguments(signatureAddress: signatureAddress, values: values))
        }
        return try withMatchedArguments(signatureAddress, positional: positional, count: positionalCount,
                                        keywords: keywords, body)
    }

    /// ``withArguments(_:positional:count:keywords:_:)`` for calls with keywords or missing
    /// arguments: matches them into a temporary array, raising CPython's errors.
    @inlinable
    static func withMatchedArguments<R>(
        _ signatureAddress: UnsafePointer<PySignature>,
        positional: UnsafePointer<PyObjectPointer?>?, count positionalCount: Int,
        keywords: Keywords,
        _ body: (PyArguments) throws(PyError) -> R
    ) throws(PyError) -> R {
        // Read through the address, never copied: no retain of the signature's array or strings.
        let signature = signatureAddress
        let parameterCount = signature.pointee.parameters.count
        guard positionalCount <= parameterCount else {
            let expected = parameterCount == 1 ? "1 positional argument" : "\(parameterCount) positional arguments"
            throw .typeError("\(signature.pointee.displayName) takes \(expected) but \(positionalCount) were given")
        }
        let result = withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: parameterCount) {
            buffer -> Result<R, PyError> in
            buffer.initialize(repeating: nil)
            for index in 0..<positionalCount { buffer[index] = positional![index] }
            do throws(PyError) {
                if case .none = keywords {} else {
                    try matchKeywords(keywords, signature.pointee, positionalCount, into: buffer)
                }
                for index in positionalCount..<parameterCount
                where buffer[index] == nil && !signature.pointee.parameters[index].isOptional {
                    throw .typeError("\(signature.pointee.displayName) missing required argument '\(signature.pointee.parameters[index].name)' (pos \(index + 1))")
                }
                return .success(try body(PyArguments(signatureAddress: signatureAddress, values: buffer)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    @usableFromInline
    static func matchKeywords(
        _ keywords: Keywords, _ signature: PySignature, _ positionalCount: Int,
        into buffer: UnsafeMutableBufferPointer<PyObjectPointer?>
    ) throws(PyError) {
        func place(_ key: PyObjectPointer, _ value: PyObjectPointer) throws(PyError) {
            guard pck_unicode_check(key) != 0 else { throw .typeError("keywords must be strings") }
            guard let index = signature.parameters.firstIndex(where: { PyUnicode_CompareWithASCIIString(key, $0.name) == 0 }) else {
                let name = (try? String(python: key, argument: "keyword")) ?? "?"
                throw .typeError("\(signature.displayName) got an unexpected keyword argument '\(name)'")
            }
            guard buffer[index] == nil else {
                throw .typeError("argument for \(signature.displayName) given by name ('\(signature.parameters[index].name)') and position (\(index + 1))")
            }
            buffer[index] = value
        }
        switch keywords {
        case .none:
            return
        case .dictionary(let dict):
            var position = 0
            var key: PyObjectPointer?
            var value: PyObjectPointer?
            while PyDict_Next(dict, &position, &key, &value) != 0 {
                try place(key!, value!)
            }
        case .names(let names, let values):
            for index in 0..<pck_tuple_size(names) {
                try place(pck_tuple_item(names, index)!, values[positionalCount + index]!)
            }
        }
    }
}

/// A docstring in CPython's internal form, `name(signature)\n--\n\n` followed by the text: the
/// form of `tp_doc` and `ml_doc` from which CPython derives `__text_signature__` (and strips
/// the signature from `__doc__`). `name` is the unqualified name.
func internalDoc(name: String, textSignature: String, doc: String?) -> String {
    "\(name)\(textSignature)\n--\n\n\(doc ?? "")"
}
