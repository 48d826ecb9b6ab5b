import CPythonShim

extension String: PyConvertible {
    /// A `str` (or subclass), through `PyUnicode_AsUTF8AndSize` as Argument Clinic's `str`
    /// converter does: a string holding a lone surrogate, which has no UTF-8 form, raises
    /// `UnicodeEncodeError`. Embedded NUL characters are kept.
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        guard pck_unicode_check(object) != 0 else {
            throw .typeError("\(argument) must be str, not \(typeName(of: object))")
        }
        var size = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(object, &size) else { throw .alreadySet }
        self = utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
            String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
        }
    }

    public func toPython() -> PyObjectPointer? {
        var copy = self
        return copy.withUTF8 { PyUnicode_FromStringAndSize($0.baseAddress, $0.count) }
    }
}
