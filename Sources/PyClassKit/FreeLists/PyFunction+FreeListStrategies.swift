extension PyFunction {
    /// `freelist_strategies()`: the catalogue of freelist strategies (``FreeListStrategy/Kind/all``),
    /// one dict per entry in its order, with the module's classes of each: `name` (what
    /// `freelist_stats()` reports), `title`, `safe`, and `classes`, which maps each role of
    /// `classes` to the name of the module's class of that role whose freelist is of the entry's
    /// kind, or None when there is none. The scripts and the tests find the example classes of
    /// every strategy there.
    ///
    /// - Parameter classes: for each role, the module's classes of that role, at most one per kind
    ///   (e.g. `"class": [PlainPoint.self, MutexPoint.self, ...]`); two of one kind stop the import.
    public static func freeListStrategies(classes roles: KeyValuePairs<String, [any PyClass.Type]>) -> PyFunction {
        let entries = FreeListStrategy.Kind.all.map { kind in
            FreeListStrategyClasses(kind: kind, classes: roles.map { role, classes in
                let names = classes.filter { $0.freeList.kind == kind }.map(className(of:))
                precondition(names.count <= 1, "PyClassKit: freelist_strategies(): the classes \(names) of role "
                                 + "'\(role)' share strategy \(kind)")
                return (role, names.first)
            })
        }
        let doc = "The catalogue of freelist strategies, with this module's class of each, as a list of dicts."
        return PyFunction("freelist_strategies", doc: doc) { _ in entries }
    }
}

/// The class's `__name__`: its Python name without the module (`MutexPoint` of `points.MutexPoint`).
private func className(of type: any PyClass.Type) -> String {
    let name = type.pythonName
    return name.lastIndex(of: ".").map { String(name[name.index(after: $0)...]) } ?? name
}
