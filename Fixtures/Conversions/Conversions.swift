import CPythonShim
import PyClassKit

/// The test module `conversions`: one function per built-in conversion, `to_<type>(value)`,
/// which converts its argument to the Swift type and back to Python. The differential tests
/// (`tests/test_conversions.py`) compare what each returns or raises with CPython's own
/// conversion for the same C type.
let conversionsModule = PyModuleDefinition(
    name: "conversions",
    doc: "PyClassKit's argument conversions, one function per Swift type, for differential tests.",
    classes: [],
    functions: [
        roundTrip("double", Double.self), roundTrip("float", Float.self),
        roundTrip("int", Int.self), roundTrip("int8", Int8.self), roundTrip("int16", Int16.self),
        roundTrip("int32", Int32.self), roundTrip("int64", Int64.self),
        roundTrip("uint", UInt.self), roundTrip("uint8", UInt8.self), roundTrip("uint16", UInt16.self),
        roundTrip("uint32", UInt32.self), roundTrip("uint64", UInt64.self),
        roundTrip("bool", Bool.self), roundTrip("str", String.self),
        roundTrip("optional_double", Double?.self), roundTrip("optional_int", Int?.self),
        roundTrip("optional_str", String?.self),
        scaled,
    ]
)

/// `scaled(value, factor=2.0, offset=None)`: `value * factor + (offset or 0)`, a function with
/// defaults, for the text-signature tests.
private let scaled = PyFunction(
    "scaled", doc: "value * factor + offset.",
    parameters: ["value", PyParameter("factor", default: "2.0"), PyParameter("offset", optional: true)]
) { (arguments) throws(PyError) -> Double in
    let value: Double = try arguments.value(0)
    let factor = try arguments.optionalValue(1, as: Double.self) ?? 2.0
    let offset = try arguments.optionalValue(2, as: Double?.self) ?? nil
    return value * factor + (offset ?? 0)
}

/// `to_<name>(value)`: `value` converted to `T`, then back to Python.
private func roundTrip<T: PyConvertible>(_ name: String, _ type: T.Type) -> PyFunction {
    PyFunction("to_\(name)", doc: "The argument converted to Swift's \(T.self) and back.", parameters: ["value"]) {
        (arguments) throws(PyError) -> T in try arguments.value(0)
    }
}

@_cdecl("PyInit_conversions")
public func PyInit_conversions() -> UnsafeMutablePointer<PyObject>? {
    conversionsModule.initialize()
}
