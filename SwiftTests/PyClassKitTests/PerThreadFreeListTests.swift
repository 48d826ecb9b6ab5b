#if PYCLASSKIT_GIL_DISABLED
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing

import PyClassKit

/// What only a ``PerThreadFreeList`` does: its depot, its thread-exit hook and its surplus.
/// (The contract every list keeps is checked in ``FreeListContractTests``.) Threads are real
/// pthreads (``runThreads``), so they exit, and their caches are retired, before it returns.
@Suite struct PerThreadFreeListTests {
    /// A thread that parks objects and exits leaves them in the depot, for any other thread.
    @Test func exitedThreadsObjectsGoToOtherThreads() {
        let list = PerThreadFreeList(capacity: 4)
        let objects = FakeObjects(count: 3)
        let returned = Atomic<Int>(0)
        runThreads(1) { _ in
            for index in 0..<3 where list.push(objects[index]) != nil { returned.add(1, ordering: .relaxed) }
        }
        #expect(returned.load(ordering: .relaxed) == 0)
        #expect(list.statistics().cached == 3)  // in the depot now: the thread has exited

        let taken = Mutex<[Int]>([])
        runThreads(1) { _ in
            var mine: [Int] = []
            while let object = list.pop() { mine.append(objects.index(of: object)) }
            taken.withLock { $0 = mine }
        }
        let indices = taken.withLock { $0 }
        #expect(indices.count == 3 && Set(indices) == [0, 1, 2])
        let statistics = list.statistics()
        #expect(statistics.cached == 0 && statistics.hits == 3 && statistics.misses == 1)
    }

    /// Objects of an exited thread beyond the depot's bound wait in the surplus: each later push
    /// hands one back to be freed while its own object is parked, and a pop may reuse one.
    @Test func surplusIsHandedBackByLaterPushes() {
        let list = PerThreadFreeList(capacity: 4, depotCapacity: 1)
        let objects = FakeObjects(count: 8)
        runThreads(1) { _ in
            for index in 0..<4 { _ = list.push(objects[index]) }
        }
        #expect(list.statistics().cached == 4)  // 1 in the depot, 3 in the surplus

        let results = Mutex<[Int?]>([])
        runThreads(1) { _ in
            // Three pushes, each handing back one surplus object, then one that returns nil.
            var mine: [Int?] = (4..<7).map { index in list.push(objects[index]).map(objects.index(of:)) }
            mine.append(list.push(objects[7]).map(objects.index(of:)))
            results.withLock { $0 = mine }
        }
        let handedBack = results.withLock { $0 }
        #expect(handedBack.count == 4 && handedBack.last == .some(nil))
        // The depot kept object 0; 1, 2 and 3 were surplus.
        #expect(handedBack.dropLast().compactMap { $0 }.sorted() == [1, 2, 3])
        // The second thread's cache (4 to 7) went to the surplus too: the depot was full.
        #expect(list.removeAll().map(objects.index(of:)).sorted() == [0, 4, 5, 6, 7])
    }

    /// 1000 short-lived threads, 8 at a time, each allocating a few objects (pop, else a fresh
    /// one), then freeing them (push) but sometimes keeping one. The parked count stays within
    /// the depot plus one round of caches, and every object ever made is parked, handed back to
    /// be freed, or held, exactly once.
    @Test func threadChurnStaysBoundedAndLosesNothing() {
        let capacity = 4
        // A depot of one cache: exiting threads' caches overflow it into the surplus, so the
        // test sees surplus objects handed back as well as reused.
        let list = PerThreadFreeList(capacity: capacity, depotCapacity: capacity)
        let rounds = 125, threadsPerRound = 8, threads = rounds * threadsPerRound
        let objects = FakeObjects(count: threads * 6)
        let owners = OwnerTable(count: objects.count, threads: threads)
        let made = Atomic<Int>(0)
        let freed = Mutex<[Int]>([])
        var mostParked = 0

        for round in 0..<rounds {
            runThreads(threadsPerRound) { index in
                let thread = round * threadsPerRound + index
                var mine: [Int] = []
                for _ in 0..<(2 + thread % 5) {
                    if let object = list.pop() {
                        let index = objects.index(of: object)
                        owners.claim(index, by: thread)
                        mine.append(index)
                    } else {
                        let index = made.add(1, ordering: .relaxed).oldValue
                        owners.park(index, from: thread)  // a fresh object: park + claim marks it held
                        owners.claim(index, by: thread)
                        mine.append(index)
                    }
                }
                let kept = thread % 3 == 0 ? [mine.removeLast()] : []
                var freedHere: [Int] = []
                for index in mine {
                    owners.park(index, from: thread)
                    if let returned = list.push(objects[index]) {
                        let returnedIndex = objects.index(of: returned)
                        owners.claim(returnedIndex, by: thread)
                        freedHere.append(returnedIndex)
                    }
                }
                owners.held.withLock { $0[thread] = kept }
                freed.withLock { $0 += freedHere }
            }
            mostParked = max(mostParked, list.statistics().cached)
        }

        #expect(mostParked <= list.depotCapacity + threadsPerRound * capacity)
        #expect(owners.duplicates.load(ordering: .relaxed) == 0)
        let statistics = list.statistics()
        let parked = list.removeAll().map(objects.index(of:))
        #expect(statistics.cached == parked.count)
        let all = owners.held.withLock { $0.flatMap { $0 } } + freed.withLock { $0 } + parked
        let count = made.load(ordering: .relaxed)
        #expect(all.count == count)  // none lost, none counted twice
        #expect(Set(all) == Set(0..<count))
        #expect(statistics.hits > 0 && !freed.withLock { $0.isEmpty })
        print("perThread churn: \(count) objects made, \(statistics), most parked \(mostParked)")
    }

    /// One thread makes objects, another destroys them: the destroyer's overflowing cache feeds
    /// the depot in batches, from which the maker's empty cache refills, so memory is reused.
    @Test func producerConsumerReusesObjects() {
        let list = PerThreadFreeList(capacity: 8)
        let items = 200_000
        let objects = FakeObjects(count: items)
        let owners = OwnerTable(count: items, threads: 2)
        let made = Atomic<Int>(0)
        let queue = Mutex<[Int]>([])
        let produced = Atomic<Bool>(false)
        let freed = Mutex<[Int]>([])

        runThreads(2) { thread in
            if thread == 0 {  // the producer: allocates
                for _ in 0..<items {
                    let index: Int
                    if let object = list.pop() {
                        index = objects.index(of: object)
                    } else {
                        index = made.add(1, ordering: .relaxed).oldValue
                        owners.park(index, from: thread)
                    }
                    owners.claim(index, by: thread)
                    while queue.withLock({ $0.count }) >= 64 { sched_yield() }  // keep the consumer close
                    queue.withLock { $0.append(index) }
                }
                produced.store(true, ordering: .releasing)
            } else {  // the consumer: deallocates
                var freedHere: [Int] = []
                while true {
                    let finished = produced.load(ordering: .acquiring)
                    let batch = queue.withLock { queue in
                        defer { queue.removeAll(keepingCapacity: true) }
                        return queue
                    }
                    for index in batch {
                        owners.park(index, from: thread)
                        if let returned = list.push(objects[index]) {
                            let returnedIndex = objects.index(of: returned)
                            owners.claim(returnedIndex, by: thread)
                            freedHere.append(returnedIndex)
                        }
                    }
                    if batch.isEmpty {
                        if finished { break }  // everything produced was in the queue
                        sched_yield()
                    }
                }
                freed.withLock { $0 = freedHere }
            }
        }

        #expect(owners.duplicates.load(ordering: .relaxed) == 0)
        let statistics = list.statistics()
        let parked = list.removeAll().map(objects.index(of:))
        let all = freed.withLock { $0 } + parked
        let count = made.load(ordering: .relaxed)
        #expect(all.count == count)  // none lost, none counted twice
        #expect(Set(all) == Set(0..<count))
        #expect(statistics.hits > 0)
        #expect(statistics.hits + statistics.misses == items)
        print("perThread producer/consumer: \(count) objects made, \(statistics)")
    }
}
#endif
