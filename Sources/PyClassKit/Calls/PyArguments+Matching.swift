import CPythonShim

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
    /// Always inlined: the common call, every argument by position, then costs one comparison
    /// (with a constant, where the caller knows `parameterCount`, the signature's number of
    /// parameters, when it is compiled); the caller's array is the arguments as they stand
    /// (borrowed, never written), with nothing to copy or match. Every other call goes through
    /// ``withMatchedArguments(_:positional:count:keywords:_:)``.
    @inlinable @inline(__always)
    static func withArguments<R>(
        _ signatureAddress: UnsafePointer<PySignature>, parameterCount: Int? = nil,
        positional: UnsafePointer<PyObjectPointer?>?, count positionalCount: Int,
        keywords: Keywords,
        _ body: (PyArguments) throws(PyError) -> R
    ) throws(PyError) -> R {
        let parameterCount = parameterCount ?? signatureAddress.pointee.parameters.count
        if positionalCount == parameterCount, case .none = keywords {
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
            guard !signature.parameters[index].isPositionalOnly else {
                // What CPython says when a Python function's parameter before `/` is given by name.
                throw .typeError("\(signature.displayName) got some positional-only arguments passed as keyword arguments: '\(signature.parameters[index].name)'")
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
