import CPythonShim

/// A Swift integer type that converts to and from Python `int` with `__index__` semantics.
///
/// The conversion is the one Argument Clinic's integer converters make: an `int` (or subclass)
/// as it is, anything else through `PyNumber_Index` (its `__index__`; a `float` is rejected with
/// `TypeError`), then `PyLong_AsLongLong` or `PyLong_AsUnsignedLongLong`; a value outside the
/// Swift type's range raises `OverflowError`. Every standard integer type conforms.
public protocol PyConvertibleInteger: FixedWidthInteger, PyConvertible {}

extension PyConvertibleInteger {
    @inlinable
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        if pck_long_check(object) != 0 {
            self = try Self.converting(int: object)
            return
        }
        // What PyNumber_Index would reject outright gets a message that names the argument.
        guard pck_has_index_conversion(object) != 0 else {
            throw .typeError("\(argument) must be an integer, not \(typeName(of: object))")
        }
        guard let index = PyNumber_Index(object) else { throw .alreadySet }
        defer { pck_decref(index) }
        self = try Self.converting(int: index)
    }

    /// Converts an `int` (borrowed) to `Self`, raising `OverflowError` outside its range.
    @inlinable
    static func converting(int object: PyObjectPointer) throws(PyError) -> Self {
        if Self.isSigned {
            let wide = PyLong_AsLongLong(object)
            if wide == -1, PyErr_Occurred() != nil { throw .alreadySet }
            guard let value = Self(exactly: wide) else { throw outOfRange(negative: wide < 0) }
            return value
        } else {
            let wide = PyLong_AsUnsignedLongLong(object)
            if wide == .max, PyErr_Occurred() != nil { throw .alreadySet }
            guard let value = Self(exactly: wide) else { throw outOfRange(negative: false) }
            return value
        }
    }

    @usableFromInline
    static func outOfRange(negative: Bool) -> PyError {
        .overflowError("Python int too \(negative ? "small" : "large") to convert to \(Self.self)")
    }

    public func toPython() -> PyObjectPointer? {
        Self.isSigned ? PyLong_FromLongLong(Int64(self)) : PyLong_FromUnsignedLongLong(UInt64(self))
    }
}

extension Int: PyConvertibleInteger {}
extension Int8: PyConvertibleInteger {}
extension Int16: PyConvertibleInteger {}
extension Int32: PyConvertibleInteger {}
extension Int64: PyConvertibleInteger {}
extension UInt: PyConvertibleInteger {}
extension UInt8: PyConvertibleInteger {}
extension UInt16: PyConvertibleInteger {}
extension UInt32: PyConvertibleInteger {}
extension UInt64: PyConvertibleInteger {}
