import PyClassKit

/// The large kind: 64 Doubles (512 bytes) of plain memory, `a + i * b` for i in 0..<64. Its
/// state is trivial (`_isPOD`), so the slot functions' fast paths apply as for the point.
protocol Payload512: MatrixClass {
    var values: InlineArray<64, Double> { get }
    init(values: InlineArray<64, Double>)
}

extension Payload512 {
    static var kindDescription: String { "Holds 64 floats, a + i * b for i in range(64) (512 bytes)." }

    init(arguments: PyArguments) throws(PyError) {
        let a: Double = try arguments.value(0)
        let b: Double = try arguments.value(1)
        self.init(values: InlineArray { index in a + Double(index) * b })
    }

    static var attributes: [PyAttribute<Self>] {
        [.init("first", doc: "The first float (a).") { $0.values[0] },
         .init("last", doc: "The last float (a + 63 * b).") { $0.values[63] },
         .init("total", doc: "The sum of the 64 floats.") { payload in
             var total = 0.0
             for index in payload.values.indices { total += payload.values[index] }
             return total
         }]
    }
}

@PyClass struct Payload512None: Payload512 { var values: InlineArray<64, Double> }
@PyClass(freeList: .mutex(capacity: 32)) struct Payload512Mutex: Payload512 { var values: InlineArray<64, Double> }
@PyClass(freeList: .pyMutex(capacity: 32)) struct Payload512PyMutex: Payload512 { var values: InlineArray<64, Double> }
@PyClass(freeList: .perThread(capacity: 32)) struct Payload512PerThread: Payload512 { var values: InlineArray<64, Double> }
@PyClass(freeList: .lockFree(capacity: 32)) struct Payload512LockFree: Payload512 { var values: InlineArray<64, Double> }

let payloadClasses: [any PyClass.Type] = [
    Payload512None.self, Payload512Mutex.self, Payload512PyMutex.self, Payload512PerThread.self,
    Payload512LockFree.self,
]
