import CPythonShim

/// One element of `freelist_strategies()`: a catalogue entry and the classes a module declared
/// with it (see ``PyFunction/freeListStrategies(classes:)``).
struct FreeListStrategyClasses: PyRepresentable, Sendable {
    /// The catalogue entry.
    let kind: FreeListStrategy.Kind
    /// For each role the module names (`"class"`, `"holder"`, ...), in its order, the Python name
    /// of the module's class of that role with this kind of freelist, or `nil` when it has none.
    let classes: [(role: String, name: String?)]

    /// A dict: `name`, `title`, `safe`, and `classes`, a dict of each role's class name or None.
    func toPython() -> PyObjectPointer? {
        let classes = dictionary(self.classes.map { ($0.role, $0.name.toPython()) })
        return dictionary([("name", kind.name.toPython()), ("title", kind.title.toPython()),
                           ("safe", kind.isSafe.toPython()), ("classes", classes)])
    }
}

/// A new dict of `items` in their order, taking over the reference of each value; `nil`, with the
/// exception set, when a value is `nil` (its conversion failed) or an insertion fails.
private func dictionary(_ items: [(key: String, value: PyObjectPointer?)]) -> PyObjectPointer? {
    defer { for case let value? in items.map(\.value) { pck_decref(value) } }
    guard items.allSatisfy({ $0.value != nil }), let dict = PyDict_New() else { return nil }
    for (key, value) in items where PyDict_SetItemString(dict, key, value) != 0 {
        pck_decref(dict)
        return nil
    }
    return dict
}
