import CPythonShim

/// `None`: what a Swift function that returns nothing returns to Python.
public struct PyNone: PyRepresentable {
    @inlinable public init() {}
    public func toPython() -> PyObjectPointer? { pck_none() }
}
