import CPythonShim

extension FreeListStatistics: PyRepresentable {
    /// A dict with the keys `strategy`, `capacity`, `cached`, `hits`, `misses`, `overflows`.
    public func toPython() -> PyObjectPointer? {
        guard let dict = PyDict_New() else { return nil }
        let entries: [(String, any PyRepresentable)] = [
            ("strategy", strategy), ("capacity", capacity), ("cached", cached),
            ("hits", hits), ("misses", misses), ("overflows", overflows),
        ]
        for (key, value) in entries {
            guard let object = value.toPython() else {
                pck_decref(dict)
                return nil
            }
            let status = PyDict_SetItemString(dict, key, object)
            pck_decref(object)
            guard status == 0 else {
                pck_decref(dict)
                return nil
            }
        }
        return dict
    }
}

extension PyFunction {
    /// `freelist_stats(cls)`: the freelist counters of a PyClassKit class, as a dict
    /// (see ``FreeListStatistics``). A class without a freelist reports strategy `"none"`.
    public static let freeListStatistics = PyFunction(
        "freelist_stats", doc: "freelist_stats(cls) -> dict\n\nFreelist counters of a PyClassKit class.",
        parameters: ["cls"]
    ) { (arguments) throws(PyError) -> FreeListStatistics in
        let cls = arguments[0]!
        guard pck_type_check(cls) != 0 else {
            throw .typeError("freelist_stats() argument 'cls' must be a class, not \(typeName(of: cls))")
        }
        let type = UnsafeMutableRawPointer(cls).assumingMemoryBound(to: PyTypeObject.self)
        guard let runtime = PyClassRuntime.exact(for: type) else {
            throw .typeError("freelist_stats() argument 'cls' must be a class made by PyClassKit, not \(String(cString: type.pointee.tp_name))")
        }
        return runtime.freeList?.statistics()
            ?? FreeListStatistics(strategy: "none", capacity: 0, cached: 0, hits: 0, misses: 0, overflows: 0)
    }
}
