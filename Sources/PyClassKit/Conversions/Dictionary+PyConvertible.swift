import CPythonShim

extension Dictionary: PyRepresentable where Key: PyRepresentable, Value: PyRepresentable {
    /// A new `dict` of the keys' and values' Python forms; `nil`, with the exception set, if a
    /// key or value has none or a key's is not hashable.
    @inlinable
    public func toPython() -> PyObjectPointer? {
        guard let dict = PyDict_New() else { return nil }
        for (key, value) in self {
            guard let pythonKey = key.toPython() else {
                pck_decref(dict)
                return nil
            }
            defer { pck_decref(pythonKey) }
            guard let pythonValue = value.toPython() else {
                pck_decref(dict)
                return nil
            }
            defer { pck_decref(pythonValue) }
            guard PyDict_SetItem(dict, pythonKey, pythonValue) == 0 else {
                pck_decref(dict)
                return nil
            }
        }
        return dict
    }
}

extension Dictionary: PyConvertible where Key: PyConvertible & Hashable, Value: PyConvertible {
    /// A `dict` (or subclass), each key and value converted as `Key` and `Value` convert them. As
    /// with PyO3's and nanobind's dict casters, only a `dict` is accepted: another mapping (or
    /// anything else) raises `TypeError` naming the argument (`f() argument 'd' must be dict,
    /// not list`).
    ///
    /// The items are those `dict(object)` gives, in its order, taken at one moment: the dict is
    /// copied first (`PyDict_Copy`, on 3.13t under its lock), so that another thread changing
    /// it, or a key's or value's own `__index__` doing so, changes nothing the conversion reads.
    /// Two Python keys that convert to one Swift key (for `Int` keys, `1` and an object whose
    /// `__index__` returns 1) make one entry: the value of the last of them in that order wins.
    /// An error names the key (`f() argument 'd' key 1 must be str, not int`) or the value
    /// (`f() argument 'd' value for key 'a' must be an integer, not str`) whose conversion
    /// raised it: in the message for PyClassKit's own `TypeError`s, in a note for any other
    /// exception, which keeps its type (`PyError.naming(_:of:)`).
    @inlinable
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        guard pck_dict_check(object) != 0 else {
            throw .typeError("\(argument) must be dict, not \(typeName(of: object))")
        }
        // Why a copy, not a critical section on the dict: converting a key or value runs Python
        // code, which can change the dict (on any build) and on 3.13t can suspend a critical
        // section held around the loop, letting other threads change it; either invalidates
        // PyDict_Next's position and frees the borrowed keys and values it gave. The copy owns its
        // items and no other code holds it, so they stay valid whatever that code does.
        guard let copy = PyDict_Copy(object) else { throw .alreadySet }
        defer { pck_decref(copy) }
        var dictionary: [Key: Value] = [:]
        dictionary.reserveCapacity(PyDict_Size(copy))
        var position = 0
        var pythonKey: PyObjectPointer?
        var pythonValue: PyObjectPointer?
        while PyDict_Next(copy, &position, &pythonKey, &pythonValue) != 0 {
            let key: Key
            let value: Value
            do throws(PyError) {
                key = try Key(python: pythonKey!, argument: argument)
            } catch {
                throw error.naming("key \(describeKey(pythonKey!))", of: argument)
            }
            do throws(PyError) {
                value = try Value(python: pythonValue!, argument: argument)
            } catch {
                throw error.naming("value for key \(describeKey(pythonKey!))", of: argument)
            }
            dictionary[key] = value
        }
        self = dictionary
    }
}
