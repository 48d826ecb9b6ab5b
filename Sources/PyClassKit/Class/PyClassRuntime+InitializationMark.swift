import CPythonShim
import Synchronization

extension PyClassRuntime {
    /// The initialisation mark of `object`, an instance of this class or of a subclass.
    @inline(__always)
    func initializationMark(of object: PyObjectPointer) -> UnsafeMutablePointer<Atomic<Int>> {
        (UnsafeMutableRawPointer(object) + initializationMarkOffset).assumingMemoryBound(to: Atomic<Int>.self)
    }

    /// Whether the state of `object`, an instance of this class or of a subclass, exists.
    @inline(__always)
    func hasState(_ object: PyObjectPointer) -> Bool {
        pck_type(object) == type
            || initializationMark(of: object).pointee.load(ordering: .acquiring) >= InitializationMark.ready.rawValue
    }

    /// The state of `object`, or a `TypeError` naming the class if its `__init__` never made it.
    @inline(__always)
    func existingState(of object: PyObjectPointer) throws(PyError) -> UnsafeMutableRawPointer {
        try hotPath.existingState(of: object)
    }

    /// The error for a subclass instance whose state was never made.
    func notInitialized(_ object: PyObjectPointer) -> PyError {
        .typeError("\(typeName(of: object)) object is not initialized: its __init__ must call "
                   + "\(pythonName).__init__() (super().__init__(...)) before the object is used")
    }
}
