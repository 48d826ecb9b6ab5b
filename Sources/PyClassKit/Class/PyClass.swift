import CPythonShim

/// A Python class whose instances carry a Swift value.
///
/// The conforming type is the instance state: PyClassKit lays it out inline after the Python
/// object header and builds a static, immortal type object from the declaration:
///
/// ```swift
/// struct Point: PyClass {
///     var x, y: Double
///     static let pythonName = "points.Point"
///     static let signature = PySignature("Point()", ["x", "y"])
///     static let freeList = FreeListStrategy.perThread(capacity: 32)
///     init(arguments: PyArguments) throws(PyError) {
///         x = try arguments.value(0)
///         y = try arguments.value(1)
///     }
///     static var attributes: [PyAttribute<Point>] { [.init("x") { $0.x }, .init("y") { $0.y }] }
/// }
/// ```
public protocol PyClass: SendableMetatype {
    /// The name Python shows: `"Point"`, to which the module that lists the class puts its own
    /// name before (`points.Point`), or module-qualified: `"points.Point"`.
    static var pythonName: String { get }
    /// The class docstring.
    static var doc: String? { get }
    /// The constructor's parameters. They also make the class's `__text_signature__` (what
    /// `inspect.signature` and `help()` show), put before ``doc`` in `tp_doc`.
    static var signature: PySignature { get }
    /// How dead instances are cached for reuse (default: ``FreeListStrategy/none``).
    static var freeList: FreeListStrategy { get }
    /// Whether instances carry a canary that counts freelist misuse (default: `false`): an
    /// object handed out twice or parked twice. For tests and the reproduction harness; it
    /// costs one word per instance and two atomic operations per reuse. `freelist_stats(cls)`
    /// reports the counts.
    static var freeListCanaries: Bool { get }
    /// Whether Python code may subclass the class (default: `true`). Subclass instances never
    /// use the freelist. A subclass may define `__init__` with parameters of its own; it calls
    /// `super().__init__(...)` with this class's arguments, which makes the Swift state (see
    /// ``InitializationMark``).
    static var isBaseType: Bool { get }
    /// Whether instances hold Python references that can form cycles (default: `false`). Such a
    /// class implements ``traverse(_:)`` and ``clear()``.
    static var hasGarbageCollection: Bool { get }
    /// Whether methods or setters change the state after construction (default: `false`: an
    /// instance is immutable once made, and every thread reads its state without a lock). A
    /// class with mutable state has every access to its state (methods, getters, setters,
    /// `repr`, comparisons) run inside the object's critical section on free-threaded builds
    /// (``withCriticalSection(_:_:)``), and takes nothing on GIL builds.
    static var hasMutableState: Bool { get }
    /// Whether Python code may call the class to make instances (default: `true`). `@PyClass`
    /// sets `false` for a struct without an `@PyInit` initialiser (and without a protocol that
    /// could supply `init(arguments:)`): calling it raises `TypeError: cannot create
    /// 'm.S' instances` (`Py_TPFLAGS_DISALLOW_INSTANTIATION`), and its instances come from
    /// functions and methods that return them.
    static var isConstructible: Bool { get }
    /// Whether instances support weak references (default: `false`; one more word per instance).
    static var supportsWeakReferences: Bool { get }
    /// Instance attributes, read-only or read-write.
    static var attributes: [PyAttribute<Self>] { get }
    /// Instance and static methods.
    static var methods: [PyMethod<Self>] { get }
    /// Attributes of the class itself.
    static var classAttributes: [PyClassAttribute] { get }
    /// Where the class finds its type object from Swift (default: a registry by type; the macros
    /// declare a `static let` of the class's own).
    static var _pyTypeSlot: PyClassTypeSlot { get }

    /// The constructor: checks and converts the arguments. Throw ``PyError/typeError(_:)`` for
    /// wrong types and ``PyError/valueError(_:)`` for bad values.
    init(arguments: PyArguments) throws(PyError)

    /// What `repr()` returns.
    var pythonRepr: String { get }

    /// Visits every Python reference the state holds (`tp_traverse`).
    func traverse(_ visitor: PyVisitor) -> Int32

    /// Releases every Python reference the state holds, leaving a valid state (`tp_clear`).
    /// Also called before an instance's state is destroyed.
    mutating func clear()

    /// PyClassKit's constructor of this class: converts a call's arguments to the state (before
    /// anything is allocated), takes an instance from the class's freelist or the allocator and
    /// moves the state in. `hotPath` is the class's `PyClassHotPath`. Do not implement it: the
    /// default implementation is the one PyClassKit relies on. It is a requirement, not a free
    /// function, so that the conformance's witness, compiled in the class's own module, is
    /// specialised for the class: `tp_vectorcall` calls it through the class's metatype, and the
    /// hot path of `Point(1.0, 2.0)` then runs no generic code and no closure.
    static func _makeInstance(
        _ hotPath: UnsafeMutableRawPointer,
        positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
    ) -> PyObjectPointer?

    /// The class's own `tp_vectorcall`, or `nil` for PyClassKit's shared one (which finds the
    /// class's constructor through its metatype). `@PyClass` declares one that calls
    /// ``_makeInstance(_:positional:count:keywords:)`` directly, and whose constructor calls
    /// the `@PyInit` initialiser directly (``_constructInstance(_:positional:count:keywords:_:)``).
    static var _vectorcall: PyVectorcallFunction? { get }

    /// Destroys the state at `state` (``clear()``, then deinitialisation), for `tp_dealloc`.
    /// Do not implement it (see ``_makeInstance(_:positional:count:keywords:)``).
    static func _destroyState(at state: UnsafeMutableRawPointer)

    /// PyClassKit's `__init__` of this class for instances of Python subclasses: converts a
    /// call's arguments and initialises the state at `state`, which holds none yet; returns
    /// `false` with an exception set if the arguments are rejected (the state stays
    /// uninitialised). Do not implement it (see ``_makeInstance(of:stateOffset:signature:positional:count:keywords:)``).
    static func _initializeState(
        at state: UnsafeMutableRawPointer, signature: UnsafePointer<PySignature>,
        positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
    ) -> Bool
}

extension PyClass {
    /// No parameters: for a class without a constructor of its own.
    public static var signature: PySignature { PySignature("\(pythonName)()", []) }

    /// For a class without a constructor (``isConstructible`` is `false`), which Python never
    /// calls; a `__init__` of a subclass calling it raises.
    public init(arguments: PyArguments) throws(PyError) {
        throw .typeError("cannot create '\(Self.pythonName)' instances")
    }

    public static var doc: String? { nil }
    public static var freeList: FreeListStrategy { .none }
    public static var freeListCanaries: Bool { false }
    public static var isBaseType: Bool { true }
    public static var hasGarbageCollection: Bool { false }
    public static var isConstructible: Bool { true }
    public static var hasMutableState: Bool { false }
    public static var supportsWeakReferences: Bool { false }
    public static var attributes: [PyAttribute<Self>] { [] }
    public static var methods: [PyMethod<Self>] { [] }
    public static var classAttributes: [PyClassAttribute] { [] }
    public static var _pyTypeSlot: PyClassTypeSlot { PyClassTypeSlot.registered(for: Self.self) }
    public var pythonRepr: String { "<\(Self.pythonName) object>" }
    public func traverse(_ visitor: PyVisitor) -> Int32 { 0 }
    public mutating func clear() {}

    public static var _vectorcall: PyVectorcallFunction? { nil }

    @inlinable
    public static func _makeInstance(
        _ hotPath: UnsafeMutableRawPointer,
        positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
    ) -> PyObjectPointer? {
        _constructInstance(hotPath, positional: positional, count: count, keywords: keywords) {
            (arguments) throws(PyError) -> Self in try Self(arguments: arguments)
        }
    }

    /// The body of a `tp_vectorcall` of exactly this class (`callable` is its type object: CPython
    /// never gives a subclass its base's `tp_vectorcall`), for the macros' `_vectorcall`: converts
    /// the arguments with `construct` (the `@PyInit` initialiser, inlined here) and makes the
    /// instance, in one function of the class's own module. Reads the type's hot path and the
    /// argument count in Swift (no call into the C shim on this path).
    @inlinable @inline(__always)
    public static func _constructInstance(
        vectorcall callable: PyObjectPointer?, _ args: UnsafePointer<PyObjectPointer?>?, _ nargsf: Int,
        _ kwnames: PyObjectPointer?, parameterCount: Int? = nil,
        _ construct: (PyArguments) throws(PyError) -> Self
    ) -> PyObjectPointer? {
        // Keyword values follow the positional ones in `args`.
        let keywords: PyArguments.Keywords = kwnames.map { .names($0, values: args.unsafelyUnwrapped) } ?? .none
        return _constructInstance(PyClassHotPath.of(UnsafeRawPointer(callable.unsafelyUnwrapped)), parameterCount: parameterCount,
                                  positional: args, count: vectorcallArgumentCount(nargsf), keywords: keywords, construct)
    }

    /// Converts a call's arguments to the state with `construct` (before anything is allocated),
    /// takes an instance from the class's freelist or the allocator and moves the state in; for
    /// ``_makeInstance(_:positional:count:keywords:)``, whose macro-generated form passes a
    /// closure that calls the `@PyInit` initialiser itself, and the initialiser's number of
    /// parameters as `parameterCount` (else the signature's is read on each call).
    @inlinable @inline(__always)
    public static func _constructInstance(
        _ hotPath: UnsafeMutableRawPointer, parameterCount: Int? = nil,
        positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords,
        _ construct: (PyArguments) throws(PyError) -> Self
    ) -> PyObjectPointer? {
        let hotPath = hotPath.assumingMemoryBound(to: PyClassHotPath.self)
        do throws(PyError) {
            let value = try PyArguments.withArguments(hotPath.pointee.signature, parameterCount: parameterCount,
                                                      positional: positional, count: count,
                                                      keywords: keywords, construct)
            guard let object = _allocateInstance(hotPath) else {
                var unused = value
                unused.clear()
                return nil
            }
            (UnsafeMutableRawPointer(object) + hotPath.pointee.stateOffset).bindMemory(to: Self.self, capacity: 1)
                .initialize(to: value)
            return object
        } catch {
            error.raise()
            return nil
        }
    }

    @inlinable
    public static func _destroyState(at state: UnsafeMutableRawPointer) {
        let value = state.assumingMemoryBound(to: Self.self)
        value.pointee.clear()
        value.deinitialize(count: 1)
    }

    @inlinable
    public static func _initializeState(
        at state: UnsafeMutableRawPointer, signature: UnsafePointer<PySignature>,
        positional: UnsafePointer<PyObjectPointer?>?, count: Int, keywords: PyArguments.Keywords
    ) -> Bool {
        do throws(PyError) {
            let value = try PyArguments.withArguments(signature, positional: positional, count: count, keywords: keywords) {
                (arguments) throws(PyError) -> Self in try Self(arguments: arguments)
            }
            state.bindMemory(to: Self.self, capacity: 1).initialize(to: value)
            return true
        } catch {
            error.raise()
            return false
        }
    }
}
