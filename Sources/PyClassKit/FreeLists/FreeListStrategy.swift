/// How a pyclass keeps the dead instances it may hand out again: a kind of freelist from the
/// catalogue and a capacity, spelled `.perThread(capacity: 32)`, `.mutex(capacity: 32)`, ...
///
/// Every kind, and every spelling, is in the catalogue (`FreeListStrategy+Catalogue.swift`); this
/// type only pairs one of them with a capacity. On a GIL build (no `Py_GIL_DISABLED`) every safe
/// kind makes a ``GILFreeList``: the GIL already serialises every `tp_alloc` and `tp_dealloc`, so
/// the list takes no lock. The choice is made at compile time (`PYCLASSKIT_GIL_DISABLED`, set by
/// `Package.swift`).
public struct FreeListStrategy: Sendable, Equatable, CustomStringConvertible {
    /// The kind of list.
    public let kind: Kind
    /// The capacity the strategy asks for (0 for ``none``).
    public let capacity: Int

    public init(_ kind: Kind, capacity: Int) {
        self.kind = kind
        self.capacity = capacity
    }

    /// The name `freelist_stats()` reports: `"none"`, `"mutex"`, ...
    public var name: String { kind.name }

    public var description: String { "\(name)(\(capacity))" }

    /// A new, empty freelist for one type object, or `nil` for ``none`` and zero capacities.
    public func makeFreeList() -> (any FreeList)? {
        precondition(capacity >= 0, "a freelist's capacity cannot be negative")
        guard capacity > 0 else { return nil }
        return kind.makeFreeList(capacity: capacity)
    }

    /// One entry of the catalogue of freelist strategies: what the strategy is called and how it
    /// makes its list. The entries are ``FreeListStrategy/Kind/all``.
    public struct Kind: Sendable, Equatable, CustomStringConvertible {
        /// The name `freelist_stats()` reports, and the scripts and tests use: `"perThread"`.
        public let name: String
        /// How tables and docstrings name the strategy: `"per-thread"`.
        public let title: String
        /// Whether a real class may use it: `false` only for the reproduction harness's racy list.
        public let isSafe: Bool
        /// Makes the list of a free-threaded build for a capacity above 0; `nil` for no list.
        private let makeList: (@Sendable (_ capacity: Int) -> any FreeList)?

        /// A catalogue entry. A safe kind's `makeList` is called on free-threaded builds only (a
        /// GIL build makes a ``GILFreeList`` instead); an unsafe kind's list is the same on every
        /// build, so that the harness measures that very list under a GIL too.
        init(name: String, title: String, isSafe: Bool = true,
             makeList: (@Sendable (_ capacity: Int) -> any FreeList)?) {
            self.name = name
            self.title = title
            self.isSafe = isSafe
            self.makeList = makeList
        }

        public var description: String { name }

        /// Kinds are equal when their names are (the names are unique in the catalogue).
        public static func == (left: Kind, right: Kind) -> Bool { left.name == right.name }

        /// A new, empty list of this kind for a capacity above 0, or `nil` for ``none``.
        func makeFreeList(capacity: Int) -> (any FreeList)? {
            guard let makeList else { return nil }
#if PYCLASSKIT_GIL_DISABLED
            return makeList(capacity)
#else
            return isSafe ? GILFreeList(strategy: name, capacity: capacity) : makeList(capacity)
#endif
        }
    }
}
