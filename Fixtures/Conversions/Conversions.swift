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
        roundTrip("list_double", [Double].self), roundTrip("list_int", [Int].self),
        roundTrip("list_str", [String].self), roundTrip("list_optional_int", [Int?].self),
        roundTrip("list_list_int", [[Int]].self),
        roundTrip("dict_str_int", [String: Int].self), roundTrip("dict_int_list_double", [Int: [Double]].self),
        listFailingAt, dictFailingAt,
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

/// A value whose Python form is `value`, or, if `fails`, none: `toPython()` raises `ValueError`.
private struct FailsToConvert: PyRepresentable {
    let value: Int
    let fails: Bool

    func toPython() -> PyObjectPointer? {
        guard !fails else {
            PyError.valueError("no Python form").raise()
            return nil
        }
        return value.toPython()
    }
}

/// `list_failing_at(count, index)`: a list of `count` ints (from 10**12 on, each a new object),
/// returned from an array whose element `index` has no Python form, so that converting the array
/// raises `ValueError` there (none does if `index >= count`): for the leak tests of a collection's
/// `toPython()` failing midway.
private let listFailingAt = PyFunction(
    "list_failing_at", doc: "A list of count ints whose element index fails to convert.", parameters: ["count", "index"]
) { (arguments) throws(PyError) -> [FailsToConvert] in
    let count: Int = try arguments.value(0)
    let index: Int = try arguments.value(1)
    return (0..<max(count, 0)).map { FailsToConvert(value: 1_000_000_000_000 + $0, fails: $0 == index) }
}

/// `dict_failing_at(count, index)`: as `list_failing_at`, a dict from those ints to themselves.
private let dictFailingAt = PyFunction(
    "dict_failing_at", doc: "A dict of count ints whose value index fails to convert.", parameters: ["count", "index"]
) { (arguments) throws(PyError) -> [Int: FailsToConvert] in
    let count: Int = try arguments.value(0)
    let index: Int = try arguments.value(1)
    return Dictionary(uniqueKeysWithValues: (0..<max(count, 0)).map {
        (1_000_000_000_000 + $0, FailsToConvert(value: 1_000_000_000_000 + $0, fails: $0 == index))
    })
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
