import CPythonShim
import Synchronization

/// Where a ``PyClass`` finds its type object from Swift: for converting an argument to the class
/// (a type check) and a Swift value to a new instance.
///
/// The macros give each class one as a `static let`; a hand-written class gets one from a
/// registry by Swift type (a lock and a lookup per use). The type's runtime sets it when it
/// makes the type; a module imported again makes a new type, which the slot then names.
public final class PyClassTypeSlot: Sendable {
    /// The class's ``PyClassHotPath`` (at a stable address, never freed), or 0 before its type
    /// is made.
    private let hotPathAddress = Atomic<Int>(0)

    public init() {}

    /// The hot path of the class's type, or `nil` if no module made it yet.
    @usableFromInline
    var hotPath: UnsafeMutablePointer<PyClassHotPath>? {
        UnsafeMutablePointer(bitPattern: hotPathAddress.load(ordering: .acquiring))
    }

    func publish(_ hotPath: UnsafeMutablePointer<PyClassHotPath>) {
        hotPathAddress.store(Int(bitPattern: hotPath), ordering: .releasing)
    }

    private static let registry = Mutex<[ObjectIdentifier: PyClassTypeSlot]>([:])

    /// The slot of a class that declares none of its own.
    public static func registered(for type: any PyClass.Type) -> PyClassTypeSlot {
        registry.withLock { slots in
            if let slot = slots[ObjectIdentifier(type)] { return slot }
            let slot = PyClassTypeSlot()
            slots[ObjectIdentifier(type)] = slot
            return slot
        }
    }
}
