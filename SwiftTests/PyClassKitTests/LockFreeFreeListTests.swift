import CPythonShim
import Synchronization
import Testing

import PyClassKit

/// Tests of ``LockFreeFreeList`` beyond the contract every strategy meets (FreeListTests.swift).
/// The list is made directly, so these run on GIL builds too: they never touch the interpreter.
@Suite struct LockFreeFreeListTests {
    /// The tag in a stack head is what rejects ABA. A pop is split at the point where a thread
    /// could be preempted: it has read the head of the empty stack `0 -> 1 -> 2` (top 0, depth 3)
    /// and the link below its top (1). Meanwhile other pops and pushes leave the stack as
    /// `0 -> 2 -> 1`: the same top, the same depth, so the same first word. A compare-and-swap
    /// of that word alone would succeed and install the stale link (top 1, lost slot 2); the
    /// tag makes it fail, and the retry pops 0 with the current link.
    @Test func tagRejectsAStaleHeadWithTheSameTopAndDepth() throws {
        let list = LockFreeFreeList(capacity: 3)
        let stale = try #require(list.beginPop(from: .empty))
        #expect(stale.index == 0)

        // The interleaved operations, as another thread would make them.
        #expect(list.popIndex(from: .empty) == 0)
        #expect(list.popIndex(from: .empty) == 1)
        #expect(list.popIndex(from: .empty) == 2)
        #expect(list.popIndex(from: .empty) == nil)
        list.pushIndex(1, onto: .empty)
        list.pushIndex(2, onto: .empty)
        list.pushIndex(0, onto: .empty)

        let head = list.head(of: .empty)
        #expect(head.first == stale.head.first)  // index and depth alone cannot tell
        #expect(head.second != stale.head.second)

        let (popped, retry) = list.finishPop(stale, from: .empty)
        #expect(!popped)
        let current = try #require(retry)
        #expect(current.index == 0)
        #expect(current.replacement.first != stale.replacement.first)  // the stale link is gone
        #expect(list.finishPop(current, from: .empty).popped)
        #expect(list.popIndex(from: .empty) == 2)
        #expect(list.popIndex(from: .empty) == 1)
        #expect(list.popIndex(from: .empty) == nil)
    }

    /// Hits are derived from the parked stack's head; the objects `removeAll()` takes are not hits.
    @Test func countersStayExactAcrossRemoveAll() {
        let list = LockFreeFreeList(capacity: 2)
        let objects = FakeObjects(count: 3)
        #expect(list.pop() == nil)
        #expect(list.push(objects[0]) == nil)
        #expect(list.pop() == objects[0])
        #expect(list.push(objects[0]) == nil)
        #expect(list.push(objects[1]) == nil)
        #expect(list.push(objects[2]) == objects[2])
        var statistics = list.statistics()
        #expect(statistics.strategy == "lockFree")
        #expect(statistics.cached == 2 && statistics.hits == 1 && statistics.misses == 1 && statistics.overflows == 1)
        #expect(list.removeAll() == [objects[1], objects[0]])
        statistics = list.statistics()
        #expect(statistics.cached == 0 && statistics.hits == 1 && statistics.misses == 1 && statistics.overflows == 1)
        #expect(list.push(objects[2]) == nil)
        #expect(list.pop() == objects[2])
        #expect(list.statistics().hits == 2)
    }

    /// 8 threads, each alternating a burst of pops (until the list is empty or the burst ends)
    /// with pushing back everything it holds, so the list of 16 runs empty and full over and
    /// over (64 objects in all). The owner words catch any object handed out twice; at the end
    /// every object is held or parked exactly once, and the counters equal the threads' tallies.
    @Test func burstsEmptyAndFillTheListRepeatedly() {
        let threads = 8
        let rounds = 10_000
        let perThread = 8
        let capacity = 16
        let list = LockFreeFreeList(capacity: capacity)
        let objects = FakeObjects(count: threads * perThread)
        let owners = OwnerTable(count: objects.count, threads: threads)
        // hits, misses, overflows, parks, summed over the threads.
        let tallies = Mutex([0, 0, 0, 0])

        runThreads(threads) { thread in
            var mine = Array(thread * perThread..<(thread + 1) * perThread)
            var random = SplitMix64(seed: UInt64(thread) &+ 1_000)
            var hits = 0, misses = 0, overflows = 0, parks = 0
            for _ in 0..<rounds {
                let burst = Int(random.next() % UInt64(2 * capacity)) + 1
                for _ in 0..<burst {
                    guard let object = list.pop() else {
                        misses += 1
                        break
                    }
                    hits += 1
                    let index = objects.index(of: object)
                    owners.claim(index, by: thread)
                    mine.append(index)
                }
                var kept: [Int] = []
                for index in mine {
                    owners.park(index, from: thread)
                    if let returned = list.push(objects[index]) {
                        overflows += 1
                        let returnedIndex = objects.index(of: returned)
                        owners.claim(returnedIndex, by: thread)
                        kept.append(returnedIndex)
                    } else {
                        parks += 1
                    }
                }
                mine = kept
            }
            owners.held.withLock { $0[thread] = mine }
            tallies.withLock { $0[0] += hits; $0[1] += misses; $0[2] += overflows; $0[3] += parks }
        }

        #expect(owners.duplicates.load(ordering: .relaxed) == 0)
        let (hits, misses, overflows, parks) = tallies.withLock { ($0[0], $0[1], $0[2], $0[3]) }
        let statistics = list.statistics()
        #expect(statistics.hits == hits && statistics.misses == misses && statistics.overflows == overflows)
        #expect(statistics.cached == parks - hits)
        #expect(misses > rounds && overflows > rounds)  // it did run empty and full, often

        let parked = list.removeAll().map { objects.index(of: $0) }
        #expect(parked.count == statistics.cached)
        let all = owners.held.withLock { $0.flatMap { $0 } } + parked
        #expect(all.count == objects.count)  // none lost, none counted twice
        #expect(Set(all).count == objects.count)
    }
}
