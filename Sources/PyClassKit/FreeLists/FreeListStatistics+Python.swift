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
