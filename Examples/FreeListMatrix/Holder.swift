import PyClassKit

/// The garbage-collected kind: a number and one Python reference (`b`), so instances are
/// GC-tracked, with the `traverse` and `clear` that `@PyClass` generates for a stored
/// `PyReference`. Its twins are `cython_points.Holder`/`PlainHolder` and
/// `pyo3_points.Holder`/`PlainHolder`.
protocol Holder: MatrixClass {
    var a: Double { get }
    var value: PyReference { get }
    init(a: Double, value: PyReference)
}

extension Holder {
    static var kindDescription: String { "Holds a number and one Python object (garbage-collected)." }

    init(arguments: PyArguments) throws(PyError) {
        let a: Double = try arguments.value(0)
        let value: PyReference = try arguments.value(1)
        self.init(a: a, value: value)
    }

    static var attributes: [PyAttribute<Self>] {
        [.init("a", doc: "The number.") { $0.a }, .init("value", doc: "The object held.") { $0.value }]
    }
}

// No `///` comments on these: the macro would make them the docstring, which the protocol writes.
@PyClass struct HolderNone: Holder { var a: Double; var value: PyReference }
@PyClass(freeList: .mutex(capacity: 32)) struct HolderMutex: Holder { var a: Double; var value: PyReference }
@PyClass(freeList: .pyMutex(capacity: 32)) struct HolderPyMutex: Holder { var a: Double; var value: PyReference }
@PyClass(freeList: .perThread(capacity: 32)) struct HolderPerThread: Holder { var a: Double; var value: PyReference }
@PyClass(freeList: .lockFree(capacity: 32)) struct HolderLockFree: Holder { var a: Double; var value: PyReference }

let holderClasses: [any PyClass.Type] = [
    HolderNone.self, HolderMutex.self, HolderPyMutex.self, HolderPerThread.self, HolderLockFree.self,
]
