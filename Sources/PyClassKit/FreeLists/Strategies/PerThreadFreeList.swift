#if PYCLASSKIT_GIL_DISABLED
import CPythonShim
import PyClassKitThreadLocal
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A freelist made of one small cache per thread plus a shared, bounded depot, like the
/// internal freelists of free-threaded CPython 3.13.
///
/// Each thread parks and takes objects in its own LIFO cache of up to ``capacity`` objects: no
/// lock and no atomic read-modify-write on that path (a thread-local lookup, then plain loads and
/// stores). The depot, guarded by a `Synchronization.Mutex`, holds up to ``depotCapacity``
/// objects and joins the threads:
/// - a thread whose cache is full moves its older half into the depot (one lock per batch);
/// - a thread whose cache is empty takes up to half a cache from the depot (one lock per batch),
///   so objects made on one thread and destroyed on another are still reused;
/// - a thread's cache goes to the depot when the thread exits, through a pthread destructor that
///   never calls the Python C API (the thread's Python state may be gone by then). What does not
///   fit goes to a small *surplus* stack; the next ``push`` on any thread (in `tp_dealloc`, where
///   the C API is allowed) hands one surplus object back to its caller to free, and a ``pop``
///   that finds the depot empty takes one. So the memory stays bounded as threads come and go.
///
/// Objects in other threads' caches stay there until those threads exit: ``removeAll()`` takes
/// the depot, the surplus and the calling thread's cache only, and ``statistics()`` reads the
/// other caches' counts without stopping their threads (a snapshot that may be slightly off
/// while they run). Lists are meant to live as long as the process (a pyclass's runtime does);
/// every thread's cache keeps its list alive until the thread exits.
public final class PerThreadFreeList: FreeList {
    /// The number of objects each thread's cache holds when full.
    public let capacity: Int
    /// The number of objects the shared depot holds when full.
    public let depotCapacity: Int
    /// Objects moved at once between a thread's cache and the depot: half a cache.
    private let batchSize: Int
    /// This list's index in every thread's ``CacheTable``.
    private let id: Int
    /// ``threadCacheKey``, copied so the hot path need not check that the global is initialised.
    private let key: pthread_key_t
    /// Copies of the depot's counts, written under the lock and read without it (relaxed): a
    /// pop that would miss, and every push, check them without taking the lock.
    private let depotCount = Atomic<Int>(0)
    private let surplusCount = Atomic<Int>(0)
    /// Whether the caches' push limits are 0 (see ``publish(_:)``); written under the lock.
    private let cachesAreLimited = Atomic<Bool>(false)
    private let depot: Mutex<Depot>
    /// ThreadSanitizer's view of `depot`'s lock (see ``ThreadSanitizerAnnotations``).
    private let sanitizer = ThreadSanitizerAnnotations.current
    /// The address ThreadSanitizer knows the depot's lock by.
    private var depotAddress: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// The lock-protected part: the depot, the surplus, and what statistics need of the caches.
    private struct Depot: ~Copyable {
        /// `depotCapacity` slots; `0..<count` hold parked objects, the most recent last.
        let slots: UnsafeMutablePointer<ParkedObject>
        var count = 0
        /// Objects of exited threads beyond the depot's bound, to be handed back by `push`.
        var surplus: [ParkedObject] = []
        /// Every live thread's cache of this list (registered and retired under the lock).
        var caches: [CacheReference] = []
        /// Counters of retired caches, and of calls made by exiting threads without a cache.
        var hits = 0
        var misses = 0
        var overflows = 0

        deinit { slots.deallocate() }
    }

    /// Creates an empty list whose threads cache up to `capacity` objects each and whose depot
    /// holds up to `depotCapacity` (by default 4 × `capacity`).
    public init(capacity: Int, depotCapacity: Int? = nil) {
        precondition(capacity > 0, "a freelist's capacity must be positive")
        let depotCapacity = depotCapacity ?? 4 * capacity
        precondition(depotCapacity >= 0, "a depot's capacity cannot be negative")
        self.capacity = capacity
        self.depotCapacity = depotCapacity
        batchSize = max(1, capacity / 2)
        id = nextListID.add(1, ordering: .relaxed).oldValue
        key = threadCacheKey
        depot = Mutex(Depot(slots: .allocate(capacity: max(depotCapacity, 1))))
    }

    @inline(__always)
    public func pop() -> PyObjectPointer? { fastPath?.popFromCache() ?? popSlowly() }

    @inline(__always)
    public func push(_ object: PyObjectPointer) -> PyObjectPointer? {
        fastPath?.pushToCache(object) == true ? nil : pushSlowly(object)
    }

    /// ``pop()`` once its common case (``FastPath/popFromCache()``) did not apply.
    @inline(never)
    private func popSlowly() -> PyObjectPointer? {
        guard let cache = currentCache() else { return popFromDepot()?.pointer }
        let count = cache.pointee.count.load(ordering: .relaxed)
        guard count > 0 else { return refill(CacheReference(cache))?.pointer }
        cache.pointee.count.store(count - 1, ordering: .relaxed)
        cache.pointee.hits.incrementByOwner()
        return cache.slots[count - 1].pointer
    }

    /// ``push(_:)`` once its common case (``FastPath/pushToCache(_:)``) did not apply.
    @inline(never)
    private func pushSlowly(_ object: PyObjectPointer) -> PyObjectPointer? {
        guard let cache = currentCache() else { return pushToDepot(ParkedObject(object))?.pointer }
        let count = cache.pointee.count.load(ordering: .relaxed)
        guard count < capacity, surplusCount.load(ordering: .relaxed) == 0 else {
            return spill(ParkedObject(object), into: CacheReference(cache))?.pointer
        }
        cache.slots[count] = ParkedObject(object)
        cache.pointee.count.store(count + 1, ordering: .relaxed)
        return nil
    }

    /// The common cases of ``pop()`` and ``push(_:)``: the slot functions keep one in their
    /// class's hot path and run it inlined in the class's own module, with no reference to the
    /// list at all (no retain, no call). It holds only the list's id, below
    /// ``CacheTable/minimumCount``, so that it may index any thread's table unchecked.
    @usableFromInline
    struct FastPath: Sendable {
        @usableFromInline let id: Int

        /// The calling thread's most recently parked object, if its cache has one; `nil` means
        /// "take the full ``pop()``" (no cache yet, or an empty one), not "no object".
        @inlinable @inline(__always)
        func popFromCache() -> PyObjectPointer? {
            guard let cache = CacheTable.current?.entries[id] else { return nil }
            let count = cache.pointee.count.load(ordering: .relaxed)
            guard count > 0 else { return nil }
            cache.pointee.count.store(count - 1, ordering: .relaxed)
            cache.pointee.hits.incrementByOwner()
            return cache.slots[count - 1].pointer
        }

        /// Parks `object` in the calling thread's cache if it is below its limit (its capacity,
        /// or 0 while the list has surplus objects to hand back); `false` (nothing parked)
        /// means "take the full ``push(_:)``".
        @inlinable @inline(__always)
        func pushToCache(_ object: PyObjectPointer) -> Bool {
            guard let cache = CacheTable.current?.entries[id] else { return false }
            let count = cache.pointee.count.load(ordering: .relaxed)
            guard count < cache.pointee.limit.load(ordering: .relaxed) else { return false }
            cache.slots[count] = ParkedObject(object)
            cache.pointee.count.store(count + 1, ordering: .relaxed)
            return true
        }
    }

    /// This list's ``FastPath``, or `nil` if its id is beyond the tables' unchecked part (a
    /// process with more than ``CacheTable/minimumCount`` per-thread lists: the later ones
    /// take the full paths).
    var fastPath: FastPath? { id < CacheTable.minimumCount ? FastPath(id: id) : nil }

    public func removeAll() -> [PyObjectPointer] {
        let mine = existingCache().map(CacheReference.init)
        let parked = depot.withAnnouncedLock(sanitizer, at: depotAddress) { depot in
            var parked = Array(UnsafeBufferPointer(start: depot.slots, count: depot.count)) + depot.surplus
            depot.count = 0
            depot.surplus = []
            if let cache = mine?.pointer {
                let count = cache.pointee.count.load(ordering: .relaxed)
                parked += UnsafeBufferPointer(start: cache.slots, count: count)
                cache.pointee.count.store(0, ordering: .relaxed)
            }
            publish(depot)
            return parked
        }
        return parked.map(\.pointer)
    }

    public func statistics() -> FreeListStatistics {
        depot.withAnnouncedLock(sanitizer, at: depotAddress) { depot in
            var cached = depot.count + depot.surplus.count
            var hits = depot.hits, misses = depot.misses, overflows = depot.overflows
            for cache in depot.caches.lazy.map(\.pointer) {
                cached += cache.pointee.count.load(ordering: .relaxed)
                hits &+= cache.pointee.hits.load(ordering: .relaxed)
                misses &+= cache.pointee.misses.load(ordering: .relaxed)
                overflows &+= cache.pointee.overflows.load(ordering: .relaxed)
            }
            let limit = depot.caches.count * capacity + depotCapacity + depot.surplus.count
            return FreeListStatistics(strategy: "perThread", capacity: capacity, limit: limit, cached: cached,
                                      hits: hits, misses: misses, overflows: overflows)
        }
    }

    // MARK: Thread caches

    /// The calling thread's cache, made on first use; `nil` once the thread's caches were
    /// retired (it is exiting), in which case the caller uses the depot directly.
    @inline(__always)
    private func currentCache() -> UnsafeMutablePointer<ThreadCache>? {
        existingCache() ?? makeCache()
    }

    /// The calling thread's cache if it has one.
    @inline(__always)
    private func existingCache() -> UnsafeMutablePointer<ThreadCache>? {
        guard let table = CacheTable.current, id < table.count else { return nil }
        return table.entries[id]
    }

    /// Makes the calling thread's cache, and its table if it has none (or a larger one).
    @inline(never)
    private func makeCache() -> UnsafeMutablePointer<ThreadCache>? {
        var table: CacheTable
        if let current = CacheTable.current {
            guard current.entries != retiredTable.entries else { return nil }
            table = current
        } else {
            table = CacheTable(count: CacheTable.minimumCount)
            table.install(key: key)
        }
        if id >= table.count {
            table = table.grown(toInclude: id)
            table.install(key: key)
        }
        // The cache (and its slots, which follow it) retains the list until the thread exits
        // (see `retireThreadCaches`). On cache lines of its own: written on every operation by
        // this thread, it must not share a line with another thread's (false sharing).
        let cache = ThreadCache.allocate(list: self, capacity: capacity)
        let reference = CacheReference(cache)
        depot.withAnnouncedLock(sanitizer, at: depotAddress) { depot in
            depot.caches.append(reference)
            reference.pointer.pointee.limit.store(depot.surplus.isEmpty ? capacity : 0, ordering: .relaxed)
        }
        table.entries[id] = cache
        return cache
    }

    /// Hands a cache's objects and counters to the depot, and forgets the cache. Runs in the
    /// thread-exit hook: no Python C API here.
    fileprivate func retire(_ reference: CacheReference) {
        depot.withAnnouncedLock(sanitizer, at: depotAddress) { depot in
            let cache = reference.pointer
            let count = cache.pointee.count.load(ordering: .relaxed)
            let kept = min(count, depotCapacity - depot.count)
            (depot.slots + depot.count).update(from: cache.slots, count: kept)
            depot.count += kept
            depot.surplus += UnsafeBufferPointer(start: cache.slots + kept, count: count - kept)
            depot.hits &+= cache.pointee.hits.load(ordering: .relaxed)
            depot.misses &+= cache.pointee.misses.load(ordering: .relaxed)
            depot.overflows &+= cache.pointee.overflows.load(ordering: .relaxed)
            if let index = depot.caches.firstIndex(where: { $0.pointer == cache }) {
                depot.caches.remove(at: index)
            }
            publish(depot)
        }
    }

    // MARK: The depot

    /// Copies the depot's counts where the lock-free paths read them, and sets every cache's
    /// push limit: 0 while there are surplus objects to hand back (every push then takes the
    /// full path, which returns one), the capacity otherwise. Called under the lock; the limits
    /// are written only when the surplus becomes empty or stops being so (a thread exit).
    private func publish(_ depot: borrowing Depot) {
        depotCount.store(depot.count, ordering: .relaxed)
        surplusCount.store(depot.surplus.count, ordering: .relaxed)
        let limited = !depot.surplus.isEmpty
        guard limited != cachesAreLimited.load(ordering: .relaxed) else { return }
        cachesAreLimited.store(limited, ordering: .relaxed)
        for cache in depot.caches.lazy.map(\.pointer) {
            cache.pointee.limit.store(limited ? 0 : capacity, ordering: .relaxed)
        }
    }

    /// `pop` with an empty cache: takes a batch from the depot, or one surplus object.
    @inline(never)
    private func refill(_ reference: CacheReference) -> ParkedObject? {
        let cache = reference.pointer
        // Nothing to take (as far as a relaxed look tells): a miss without the lock.
        guard depotCount.load(ordering: .relaxed) > 0 || surplusCount.load(ordering: .relaxed) > 0 else {
            cache.pointee.misses.incrementByOwner()
            return nil
        }
        let object = depot.withAnnouncedLock(sanitizer, at: depotAddress) { depot -> ParkedObject? in
            let cache = reference.pointer
            let taken = min(batchSize, depot.count)
            if taken > 0 {
                // The depot's most recent objects, in order; the cache was empty.
                depot.count -= taken
                cache.slots.update(from: depot.slots + depot.count, count: taken)
                cache.pointee.count.store(taken - 1, ordering: .relaxed)
                publish(depot)
                return cache.slots[taken - 1]
            }
            let object = depot.surplus.popLast()
            publish(depot)
            return object
        }
        if object == nil { cache.pointee.misses.incrementByOwner() } else { cache.pointee.hits.incrementByOwner() }
        return object
    }

    /// `push` with a full cache or a surplus to hand back: moves the cache's older half to the
    /// depot if the cache is full, parks `object`, and returns one surplus object if any. When
    /// the depot is full too, returns `object` (an overflow) and leaves the surplus for later.
    @inline(never)
    private func spill(_ object: ParkedObject, into reference: CacheReference) -> ParkedObject? {
        depot.withAnnouncedLock(sanitizer, at: depotAddress) { depot -> ParkedObject? in
            let cache = reference.pointer
            let slots = cache.slots
            var count = cache.pointee.count.load(ordering: .relaxed)
            if count == capacity {
                let moved = min(batchSize, depotCapacity - depot.count)
                guard moved > 0 else {
                    cache.pointee.overflows.incrementByOwner()
                    return object
                }
                // The oldest go; the most recent, likeliest still in this core's cache, stay.
                (depot.slots + depot.count).update(from: slots, count: moved)
                depot.count += moved
                count -= moved
                for index in 0..<count { slots[index] = slots[index + moved] }
            }
            slots[count] = object
            cache.pointee.count.store(count + 1, ordering: .relaxed)
            let surplus = depot.surplus.popLast()
            publish(depot)
            return surplus
        }
    }

    /// `pop` on a thread whose caches were retired (it is exiting).
    private func popFromDepot() -> ParkedObject? {
        depot.withAnnouncedLock(sanitizer, at: depotAddress) { depot -> ParkedObject? in
            var object: ParkedObject?
            if depot.count > 0 {
                depot.count -= 1
                object = depot.slots[depot.count]
            } else {
                object = depot.surplus.popLast()
            }
            if object == nil { depot.misses &+= 1 } else { depot.hits &+= 1 }
            publish(depot)
            return object
        }
    }

    /// `push` on a thread whose caches were retired (it is exiting).
    private func pushToDepot(_ object: ParkedObject) -> ParkedObject? {
        depot.withAnnouncedLock(sanitizer, at: depotAddress) { depot -> ParkedObject? in
            guard depot.count < depotCapacity else {
                depot.overflows &+= 1
                return object
            }
            depot.slots[depot.count] = object
            depot.count += 1
            let surplus = depot.surplus.popLast()
            publish(depot)
            return surplus
        }
    }
}

// MARK: - Thread-local storage

/// One thread's cache for one list: a LIFO stack that only its thread touches, and counters that
/// only its thread writes (a relaxed load and store, no read-modify-write) and ``statistics()``
/// reads from any thread. Its `capacity` slots follow it in the same allocation (``slots``), so
/// that the hot path reaches them with no further load. Lives in manually allocated memory, so
/// the hot path does no reference counting; made in `makeCache`, freed in `retireThreadCaches`
/// on the same thread.
@usableFromInline
struct ThreadCache: ~Copyable {
    /// The cache's list, retained until the cache is retired: the thread-exit hook can always
    /// reach it (pyclass lists are immortal anyway; a test's list lives until its threads exit).
    let list: Unmanaged<PerThreadFreeList>
    /// Parked objects, in ``slots`` `0..<count`, the most recent last (written by the owning
    /// thread only).
    @usableFromInline let count = Atomic<Int>(0)
    /// Pushes park objects while `count` is below it: the list's capacity, or 0 while the list
    /// has surplus objects to hand back (written under the depot's lock, by any thread).
    @usableFromInline let limit = Atomic<Int>(0)
    @usableFromInline let hits = Atomic<Int>(0)
    let misses = Atomic<Int>(0)
    let overflows = Atomic<Int>(0)

    /// A new, registered-nowhere cache of `list` with room for `capacity` objects, its slots
    /// after it, on cache lines of its own. Free with ``deallocate(_:)``.
    static func allocate(list: PerThreadFreeList, capacity: Int) -> UnsafeMutablePointer<ThreadCache> {
        let byteCount = MemoryLayout<ThreadCache>.stride + capacity * MemoryLayout<ParkedObject>.stride
        let rounded = (byteCount + cacheLineSize - 1) / cacheLineSize * cacheLineSize
        let cache = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: cacheLineSize)
            .bindMemory(to: ThreadCache.self, capacity: 1)
        cache.initialize(to: ThreadCache(list: .passRetained(list)))
        return cache
    }

    /// Frees a cache made by ``allocate(list:capacity:)``.
    static func deallocate(_ cache: UnsafeMutablePointer<ThreadCache>) {
        cache.deinitialize(count: 1)
        UnsafeMutableRawPointer(cache).deallocate()
    }
}

extension UnsafeMutablePointer where Pointee == ThreadCache {
    /// The cache's slots, right after it in its allocation.
    @inlinable @inline(__always)
    var slots: UnsafeMutablePointer<ParkedObject> {
        (UnsafeMutableRawPointer(self) + MemoryLayout<ThreadCache>.stride).assumingMemoryBound(to: ParkedObject.self)
    }
}

/// A thread's cache, named where the depot's lock or another thread's statistics need it.
///
/// `@unchecked Sendable`: the cache's slots are touched only by its thread (the depot code does
/// so on that thread, under the lock); other threads only load its atomics, while it is
/// registered in its list's depot (it is unregistered under the lock before it is freed).
private struct CacheReference: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<ThreadCache>
    init(_ pointer: UnsafeMutablePointer<ThreadCache>) { self.pointer = pointer }
}

extension Atomic where Value == Int {
    /// Adds one to a counter that only the calling thread writes: a relaxed load and store, which
    /// cost no more than plain memory accesses, instead of a read-modify-write.
    @inlinable @inline(__always)
    func incrementByOwner() {
        store(load(ordering: .relaxed) &+ 1, ordering: .relaxed)
    }
}

/// A thread's caches of every list, indexed by the lists' ids: what the thread-local
/// (`pck_thread_caches`) and ``threadCacheKey`` hold, the address of entry 0, with the entry
/// count in the word before it. Only its thread reads or writes it.
///
/// Every table has at least ``minimumCount`` entries, so the hot path (``PerThreadFreeList/FastPath``)
/// indexes it without a bounds check for the lists whose ids are below that.
@usableFromInline
struct CacheTable {
    /// The entries every table has, at least.
    @usableFromInline static let minimumCount = 64
    /// The cache of the list with id `i` at index `i`, or `nil`.
    @usableFromInline let entries: UnsafeMutablePointer<UnsafeMutablePointer<ThreadCache>?>

    /// The calling thread's table, or `nil` before its first cache.
    @inlinable @inline(__always)
    static var current: CacheTable? {
        pck_thread_caches_get().map { CacheTable(entries: $0.assumingMemoryBound(to: UnsafeMutablePointer<ThreadCache>?.self)) }
    }

    @inlinable
    init(entries: UnsafeMutablePointer<UnsafeMutablePointer<ThreadCache>?>) { self.entries = entries }

    /// A new table of `count` empty entries.
    init(count: Int) {
        let base = UnsafeMutableRawPointer.allocate(byteCount: (count + 1) * MemoryLayout<Int>.stride,
                                                    alignment: MemoryLayout<Int>.alignment)
        base.storeBytes(of: count, as: Int.self)
        entries = (base + MemoryLayout<Int>.stride).bindMemory(to: UnsafeMutablePointer<ThreadCache>?.self, capacity: count)
        entries.initialize(repeating: nil, count: count)
    }

    /// The number of entries.
    var count: Int { UnsafeRawPointer(entries).load(fromByteOffset: -MemoryLayout<Int>.stride, as: Int.self) }

    /// A copy with room for the list with id `id`; frees this table.
    func grown(toInclude id: Int) -> CacheTable {
        let grown = CacheTable(count: max(id + 1, 2 * count))
        grown.entries.update(from: entries, count: count)
        deallocate()
        return grown
    }

    /// Makes this the calling thread's table: the key's value arms the thread-exit hook, the
    /// thread-local is what the hot path reads.
    func install(key: pthread_key_t) {
        let status = pthread_setspecific(key, entries)
        precondition(status == 0, "PyClassKit: pthread_setspecific failed (\(status))")
        pck_thread_caches_set(entries)
    }

    func deallocate() { (UnsafeMutableRawPointer(entries) - MemoryLayout<Int>.stride).deallocate() }
}

/// The next list's id (its index in every ``CacheTable``). Ids are never reused: lists live as
/// long as the process, and a table only grows to the largest id its thread has used.
private let nextListID = Atomic<Int>(0)

/// The one pthread key of every ``PerThreadFreeList``: keys are few (1024 on glibc), lists are
/// one per class. Its destructor hands the exiting thread's caches to their lists' depots.
private let threadCacheKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { table in retireThreadCaches(table) }
    precondition(status == 0, "PyClassKit: pthread_key_create failed (\(status))")
    return key
}()

/// The value of ``threadCacheKey`` on a thread whose caches were retired: a table of empty
/// entries, so a list used by a later destructor of that thread finds no cache and uses its
/// depot directly. Made once here, then only read.
private nonisolated(unsafe) let retiredTable = CacheTable(count: CacheTable.minimumCount)

/// The thread-exit hook (``threadCacheKey``'s destructor): hands every cache of the exiting
/// thread to its list's depot, then frees the caches and the table. Calls no Python C API: the
/// thread's Python state may be gone. Leaves ``retiredTable`` as the thread's value, so that a
/// list used afterwards on this thread (by another key's destructor, in glibc's next round of
/// destructors) does not make a new cache that nothing would retire. glibc calls the hook once
/// more for that value, which does nothing and leaves the value cleared: re-arming the key every
/// round would run the hook in the last round too, after ThreadSanitizer has finished the
/// thread (its own finaliser runs in that round), which crashes an instrumented build.
private func retireThreadCaches(_ value: UnsafeMutableRawPointer?) {
    guard let value, value != UnsafeMutableRawPointer(retiredTable.entries) else { return }
    let table = CacheTable(entries: value.assumingMemoryBound(to: UnsafeMutablePointer<ThreadCache>?.self))
    for id in 0..<table.count {
        guard let cache = table.entries[id] else { continue }
        let list = cache.pointee.list
        list.takeUnretainedValue().retire(CacheReference(cache))
        ThreadCache.deallocate(cache)
        list.release()  // may free the list if nothing else holds it (tests only)
    }
    table.deallocate()
    retiredTable.install(key: threadCacheKey)
}
#endif
