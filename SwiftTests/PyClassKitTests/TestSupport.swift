#if canImport(Glibc)
import Glibc
#endif
import Synchronization

import PyClassKit

/// Runs `body(index)` on `count` new POSIX threads at once and waits for all of them.
/// (Real threads, not a pool: the tests need more threads than cores.)
func runThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    final class Start: @unchecked Sendable {
        // @unchecked: immutable; handed to exactly one thread.
        let index: Int
        let body: @Sendable (Int) -> Void
        init(_ index: Int, _ body: @escaping @Sendable (Int) -> Void) {
            self.index = index
            self.body = body
        }
    }
    var threads: [pthread_t] = []
    for index in 0..<count {
        var thread = pthread_t()
        let start = Unmanaged.passRetained(Start(index, body)).toOpaque()
        let status = pthread_create(&thread, nil, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            start.body(start.index)
            return nil
        }, start)
        precondition(status == 0, "pthread_create failed: \(status)")
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
}

/// A small deterministic random number generator (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `count` distinct object addresses, numbered.
struct FakeObjects: @unchecked Sendable {
    // @unchecked: immutable; the memory is never read or written, only its addresses used.
    let base: PyObjectPointer
    let count: Int
    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
    }
    subscript(index: Int) -> PyObjectPointer { base + index }
    func index(of object: PyObjectPointer) -> Int { object - base }
}

/// Who holds each fake object: a thread index, or `parked`.
final class OwnerTable: @unchecked Sendable {
    // @unchecked: the words are atomics at stable addresses, allocated once and freed in deinit.
    static let parked = -1
    private let owners: UnsafeMutablePointer<Atomic<Int>>
    private let count: Int
    /// Claims of an object that was not parked.
    let duplicates = Atomic<Int>(0)
    /// What each thread holds when it finishes.
    let held: Mutex<[[Int]]>

    init(count: Int, threads: Int) {
        self.count = count
        held = Mutex(Array(repeating: [], count: threads))
        owners = .allocate(capacity: count)
        for index in 0..<count { (owners + index).initialize(to: Atomic(-2)) }
    }

    deinit {
        owners.deinitialize(count: count)
        owners.deallocate()
    }

    /// Marks a held object parked, before the push that publishes it.
    func park(_ index: Int, from thread: Int) {
        owners[index].store(Self.parked, ordering: .sequentiallyConsistent)
    }

    /// Claims an object that must be parked; counts a duplicate if another thread holds it.
    func claim(_ index: Int, by thread: Int) {
        let (claimed, _) = owners[index].compareExchange(
            expected: Self.parked, desired: thread, ordering: .sequentiallyConsistent)
        if !claimed { duplicates.add(1, ordering: .relaxed) }
    }
}
