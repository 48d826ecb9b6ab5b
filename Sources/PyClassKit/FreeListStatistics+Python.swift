import CPythonShim
import Synchronization

extension FreeListStatistics: PyRepresentable {
    /// A dict with the keys `strategy`, `capacity`, `limit`, `cached`, `hits`, `misses`, `overflows`,
    /// `canaries`, `handed_out_twice`, `parked_twice`, `reads_past_end`, `empty_slot_reads` and `violations`.
    public func toPython() -> PyObjectPointer? {
        guard let dict = PyDict_New() else { return nil }
        let entries: [(String, any PyRepresentable)] = [
            ("strategy", strategy), ("capacity", capacity), ("limit", limit), ("cached", cached),
            ("hits", hits), ("misses", misses), ("overflows", overflows), ("canaries", canaries),
            ("handed_out_twice", handedOutTwice), ("parked_twice", parkedTwice),
            ("reads_past_end", readsPastEnd), ("empty_slot_reads", emptySlotReads),
            ("violations", violations),
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
        "freelist_stats", doc: "Freelist counters of a PyClassKit class, as a dict.",
        parameters: ["cls"]
    ) { (arguments) throws(PyError) -> FreeListStatistics in
        let cls = arguments[0]!
        guard pck_type_check(cls) != 0 else {
            throw .typeError("freelist_stats() argument 'cls' must be a class, not \(typeName(of: cls))")
        }
        let type = UnsafeMutableRawPointer(cls).assumingMemoryBound(to: PyTypeObject.self)
        guard let runtime = PyClassRuntime.exact(for: type)?.takeUnretainedValue() else {
            throw .typeError("freelist_stats() argument 'cls' must be a class made by PyClassKit, not \(String(cString: type.pointee.tp_name))")
        }
        var statistics = runtime.freeList?.statistics()
            ?? FreeListStatistics(strategy: "none", capacity: 0, cached: 0, hits: 0, misses: 0, overflows: 0)
        if let canaries = runtime.canaries {
            statistics.canaries = true
            statistics.handedOutTwice = canaries.handedOutTwice.load(ordering: .relaxed)
            statistics.parkedTwice = canaries.parkedTwice.load(ordering: .relaxed)
        }
        return statistics
    }
}
