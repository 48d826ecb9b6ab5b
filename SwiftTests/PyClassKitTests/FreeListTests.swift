import CPythonShim
import Synchronization
import Testing

import PyClassKit

/// Fake object addresses: the freelist stores pointers and never dereferences them.
private func fakeObjects(_ count: Int) -> [PyObjectPointer] {
    let objects = FakeObjects(count: count)
    return (0..<count).map { objects[$0] }
}

/// The safe strategies every contract test runs against (the catalogue's safe kinds with a
/// list), each with a capacity of `capacity`.
func safeStrategies(capacity: Int) -> [FreeListStrategy] {
    FreeListStrategy.Kind.all.filter { $0.isSafe && $0 != .none }.map { FreeListStrategy($0, capacity: capacity) }
}

/// The contract of ``FreeList``, checked for every safe strategy.
@Suite struct FreeListContractTests {
    @Test(arguments: safeStrategies(capacity: 4))
    func emptyListPopsNil(strategy: FreeListStrategy) throws {
        let list = try #require(strategy.makeFreeList())
        #expect(list.pop() == nil)
        let statistics = list.statistics()
        #expect(statistics.strategy == strategy.name)
        #expect(statistics.capacity == 4)
        #expect(statistics.cached == 0 && statistics.hits == 0 && statistics.misses == 1 && statistics.overflows == 0)
    }

    @Test(arguments: safeStrategies(capacity: 3))
    func popsInLIFOOrder(strategy: FreeListStrategy) throws {
        let list = try #require(strategy.makeFreeList())
        let objects = fakeObjects(3)
        for object in objects { #expect(list.push(object) == nil) }
        #expect(list.pop() == objects[2])
        #expect(list.pop() == objects[1])
        #expect(list.push(objects[2]) == nil)
        #expect(list.pop() == objects[2])
        #expect(list.pop() == objects[0])
        #expect(list.pop() == nil)
        #expect(list.statistics().hits == 4)
    }

    /// One thread alone: a list of capacity N parks exactly N objects and hands the next back.
    @Test(arguments: [1, 2, 32].flatMap { safeStrategies(capacity: $0) })
    func holdsExactlyCapacity(strategy: FreeListStrategy) throws {
        let list = try #require(strategy.makeFreeList())
        var capacity = list.capacity
#if PYCLASSKIT_GIL_DISABLED
        // By design a perThread list's full cache spills into its shared depot, so one thread
        // alone parks its cache's capacity plus the depot's before it hands an object back.
        if let perThread = list as? PerThreadFreeList { capacity += perThread.depotCapacity }
#endif
        let objects = fakeObjects(capacity + 1)
        for object in objects.dropLast() { #expect(list.push(object) == nil) }
        #expect(list.push(objects[capacity]) == objects[capacity])  // full: the caller frees it
        let statistics = list.statistics()
        #expect(statistics.cached == capacity)
        #expect(statistics.overflows == 1)
        #expect(Set(list.removeAll()) == Set(objects.dropLast()))
        #expect(list.statistics().cached == 0)
        #expect(list.pop() == nil)
    }

    @Test func zeroCapacityStrategyMakesNoList() {
        #expect(FreeListStrategy.mutex(capacity: 0).makeFreeList() == nil)
        #expect(FreeListStrategy.none.makeFreeList() == nil)
        #expect(FreeListStrategy.mutex(capacity: 8).makeFreeList()?.capacity == 8)
    }

#if PYCLASSKIT_GIL_DISABLED
    /// 8 threads x 1 000 000 push/pop operations on one list. Every object has an owner word:
    /// a thread that pops an object must find it parked and claims it; a thread that pushes
    /// marks it parked first. A second claim of a held object is counted; at the end every
    /// object is either parked or held, exactly once. (Free-threaded builds only: on a GIL
    /// build the lists rely on the GIL and take no lock.)
    @Test(arguments: safeStrategies(capacity: 16))
    func concurrentPushPopNeverDuplicatesOrLoses(strategy: FreeListStrategy) throws {
        let threads = 8
        let operations = 1_000_000
        let perThread = 6
        let list = try #require(strategy.makeFreeList())
        let objects = FakeObjects(count: threads * perThread)
        let owners = OwnerTable(count: objects.count, threads: threads)

        runThreads(threads) { thread in
            var mine = Array(thread * perThread..<(thread + 1) * perThread)
            var random = SplitMix64(seed: UInt64(thread))
            for _ in 0..<operations {
                if random.next() & 1 == 0, let index = mine.popLast() {
                    owners.park(index, from: thread)
                    if let returned = list.push(objects[index]) {
                        let returnedIndex = objects.index(of: returned)
                        owners.claim(returnedIndex, by: thread)
                        mine.append(returnedIndex)
                    }
                } else if let object = list.pop() {
                    let index = objects.index(of: object)
                    owners.claim(index, by: thread)
                    mine.append(index)
                }
            }
            owners.held.withLock { $0[thread] = mine }
        }

        #expect(owners.duplicates.load(ordering: .relaxed) == 0)
        let parked = list.removeAll().map { objects.index(of: $0) }
        let all = owners.held.withLock { $0.flatMap { $0 } } + parked
        #expect(all.count == objects.count)  // none lost, none counted twice
        #expect(Set(all).count == objects.count)
        let statistics = list.statistics()
        #expect(statistics.hits > 0)
        // A perThread list overflows only when a thread's cache and the shared depot are both
        // full (16 + 64 here): by design the 48 objects of this test never get it there.
        if strategy.kind != .perThread { #expect(statistics.overflows > 0) }
    }
#endif
}
