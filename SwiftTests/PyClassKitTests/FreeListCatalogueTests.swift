import Testing

import PyClassKit

/// The catalogue of freelist strategies (``FreeListStrategy/Kind/all``): what each entry is
/// called and which list it makes, on this build.
@Suite struct FreeListCatalogueTests {
    /// The names are unique, and the ones the scripts, the tests and the README use are there.
    @Test func namesAreUniqueAndOnlyTheRacyListIsUnsafe() {
        let names = FreeListStrategy.Kind.all.map(\.name)
        #expect(Set(names).count == names.count && names.first == "none")
        #expect(Set(["none", "mutex", "pymutex", "perThread", "lockFree", "unsynchronized"]).isSubset(of: names))
        #expect(FreeListStrategy.Kind.all.filter { !$0.isSafe } == [.unsynchronized])
        #expect(FreeListStrategy.mutex(capacity: 32) == FreeListStrategy(.mutex, capacity: 32))
        #expect(FreeListStrategy.mutex(capacity: 32) != .pyMutex(capacity: 32))
        #expect(FreeListStrategy.perThread(capacity: 8).description == "perThread(8)")
    }

    /// Every kind with a list makes one that reports the kind's name; on a GIL build every safe
    /// kind's list is a ``GILFreeList``, the racy one's its own.
    @Test(arguments: FreeListStrategy.Kind.all)
    func everyKindMakesItsList(kind: FreeListStrategy.Kind) throws {
        let strategy = FreeListStrategy(kind, capacity: 4)
        guard kind != .none else {
            #expect(strategy.makeFreeList() == nil)
            return
        }
        let list = try #require(strategy.makeFreeList())
        #expect(list.statistics().strategy == kind.name)
        #expect(list.capacity == 4)
#if !PYCLASSKIT_GIL_DISABLED
        #expect((list is GILFreeList) == kind.isSafe)
#endif
        #expect((list is UnsynchronizedFreeList) == (kind == .unsynchronized))
    }
}
