import CPythonShim
import Synchronization

// A PyClassKit class as a parameter or a result of another PyClassKit function (the macros
// declare the conformance: `extension Vector: PyConvertible`).

extension PyConvertible where Self: PyClass {
    /// An instance of the class or of a Python subclass (borrowed: the state is copied out,
    /// inside its critical section if the class has mutable state); `TypeError` for anything
    /// else, or for a subclass instance whose `__init__` never made the state.
    @inlinable
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        let state = try _stateOfArgument(object, slot: Self._pyTypeSlot, className: Self.pythonName, argument: argument)
            .assumingMemoryBound(to: Self.self)
        self = Self.hasMutableState ? withCriticalSection(object) { state.pointee } : state.pointee
    }

    /// A new instance of the class holding this value (from the class's freelist, if it has one).
    @inlinable
    public func toPython() -> PyObjectPointer? {
        guard let hotPath = Self._pyTypeSlot.hotPath else {
            PyErr_SetString(pck_exc_system_error(), "PyClassKit: \(Self.pythonName) used before a module that lists it was imported")
            return nil
        }
        guard let object = _allocateInstance(hotPath) else { return nil }
        (UnsafeMutableRawPointer(object) + hotPath.pointee.stateOffset).bindMemory(to: Self.self, capacity: 1)
            .initialize(to: self)
        return object
    }
}

/// The state of `object` if it is an instance of the class `slot` names (or of a subclass, with
/// its state made), else the `TypeError` a conversion raises.
@usableFromInline
func _stateOfArgument(_ object: PyObjectPointer, slot: PyClassTypeSlot, className: String,
                      argument: PyArgumentName) throws(PyError) -> UnsafeMutableRawPointer {
    if let hotPath = slot.hotPath, let type = hotPath.pointee.type {
        if pck_type(object) == type { return UnsafeMutableRawPointer(object) + hotPath.pointee.stateOffset }
        if pck_object_type_check(object, type) != 0 {
            return try hotPath.existingState(of: object)
        }
        throw .typeError("\(argument) must be \(String(cString: type.pointee.tp_name)), not \(typeName(of: object))")
    }
    throw .typeError("\(argument) must be \(className), not \(typeName(of: object))")
}
