import PyClassKit

/// The classes of scripts/bench's freelist matrix: three kinds of object (a garbage-collected
/// holder of one Python reference, a 512-byte payload, a name held in a Swift String), each
/// without a freelist and with every safe strategy, capacity 32. The fourth kind of the matrix,
/// the 48-byte point, is the `points` module's (PlainPoint, MutexPoint, ...).
///
/// Every constructor takes (a, b), so that the benchmark's `C(1.0, 2.0)` loop makes any of them.
@PyModule("freelist_matrix")
enum FreeListMatrix {
    static let classes: [any PyClass.Type] = holderClasses + payloadClasses + namedClasses

    static let functions: [PyFunction] = [
        .freeListStatistics,
        // The roles are the kinds of object as scripts/bench's matrix names them.
        .freeListStrategies(classes: ["holder": holderClasses, "payload": payloadClasses, "named": namedClasses]),
    ]
}

/// What the classes of one kind share: the docstring and the constructor's signature.
protocol MatrixClass: PyClass {
    /// What an instance is, the first sentence of the docstring.
    static var kindDescription: String { get }
}

extension MatrixClass {
    static var doc: String? {
        let allocation = freeList == .none
            ? "Allocated without a freelist."
            : "Allocated through a freelist of strategy '\(freeList.name)' and capacity \(freeList.capacity)."
        // Whether the state is plain memory (no Swift reference counting, no Python references):
        // only then do the frameless fast paths of the slot functions apply. The tests read it.
        let layout = _isPOD(Self.self) && !hasGarbageCollection ? "Trivial state." : "Non-trivial state."
        return "\(kindDescription) \(allocation) \(layout)"
    }

    static var signature: PySignature { PySignature("\(pythonName)()", ["a", "b"]) }
}
