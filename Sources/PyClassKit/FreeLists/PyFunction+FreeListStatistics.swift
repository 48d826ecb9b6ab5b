import CPythonShim
import Synchronization

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
