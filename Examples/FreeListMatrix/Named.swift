import PyClassKit

/// The kind whose Swift state needs destroying: a `String` and `b`. The name is `"p"` and `a`,
/// written as an integer when `a` is one ("p1" for 1.0: short enough to be stored inline, so
/// making it allocates nothing; formatting a Double costs some 700 instructions more, which would
/// bury everything else), else as Swift writes a Double ("p1.5"). A String is not plain memory,
/// so the slot functions' fast paths do not apply: every instance runs the state's destruction
/// before it is parked or freed.
protocol Named: MatrixClass {
    var name: String { get }
    var b: Double { get }
    init(name: String, b: Double)
}

extension Named {
    static var kindDescription: String { "Holds a name built from a ('p1' for 1.0, 'p1.5' for 1.5) and the float b." }

    init(arguments: PyArguments) throws(PyError) {
        let a: Double = try arguments.value(0)
        let b: Double = try arguments.value(1)
        self.init(name: Int(exactly: a).map { "p\($0)" } ?? "p\(a)", b: b)
    }

    static var attributes: [PyAttribute<Self>] {
        [.init("name", doc: "'p' followed by a, as an integer when it is one.") { $0.name }, .init("b", doc: "The float b.") { $0.b }]
    }
}

@PyClass struct NamedNone: Named { var name: String; var b: Double }
@PyClass(freeList: .mutex(capacity: 32)) struct NamedMutex: Named { var name: String; var b: Double }
@PyClass(freeList: .pyMutex(capacity: 32)) struct NamedPyMutex: Named { var name: String; var b: Double }
@PyClass(freeList: .perThread(capacity: 32)) struct NamedPerThread: Named { var name: String; var b: Double }
@PyClass(freeList: .lockFree(capacity: 32)) struct NamedLockFree: Named { var name: String; var b: Double }

let namedClasses: [any PyClass.Type] = [
    NamedNone.self, NamedMutex.self, NamedPyMutex.self, NamedPerThread.self, NamedLockFree.self,
]
