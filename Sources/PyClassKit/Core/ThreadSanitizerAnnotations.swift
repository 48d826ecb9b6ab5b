#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Tells ThreadSanitizer about synchronisation it cannot see, when (and only when) its runtime
/// is in the process.
///
/// `Synchronization.Mutex` takes its lock inside the Swift standard library, which is not built
/// with `-sanitize=thread`: TSan sees neither the acquire nor the release, and reports the
/// accesses made under the lock (``MutexFreeList``'s, ``PerThreadFreeList``'s depot's) as races.
/// The lists announce the lock themselves with TSan's `__tsan_acquire` / `__tsan_release`, looked
/// up once with `dlsym`; in a process without TSan both are `nil` and each annotation is one
/// untaken branch.
struct ThreadSanitizerAnnotations: Sendable {
    private typealias Annotation = @convention(c) (UnsafeMutableRawPointer?) -> Void
    private let acquire: Annotation?
    private let release: Annotation?

    /// The annotations of the TSan runtime if it is loaded, else no-ops.
    static let current = ThreadSanitizerAnnotations()

    private init() {
        // A nil handle is RTLD_DEFAULT: every object loaded in the process.
        acquire = dlsym(nil, "__tsan_acquire").map { unsafeBitCast($0, to: Annotation.self) }
        release = dlsym(nil, "__tsan_release").map { unsafeBitCast($0, to: Annotation.self) }
    }

    /// After taking the lock at `address`.
    @inline(__always)
    func acquired(_ address: UnsafeMutableRawPointer) { acquire?(address) }

    /// Before giving up the lock at `address`.
    @inline(__always)
    func releasing(_ address: UnsafeMutableRawPointer) { release?(address) }
}

extension Mutex where Value: ~Copyable {
    /// `withLock`, announcing the lock to ThreadSanitizer (by `address`) through `sanitizer`.
    @inline(__always)
    borrowing func withAnnouncedLock<Result: ~Copyable, E: Error>(
        _ sanitizer: ThreadSanitizerAnnotations, at address: UnsafeMutableRawPointer,
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        try withLock { (value: inout sending Value) throws(E) -> sending Result in
            sanitizer.acquired(address)
            defer { sanitizer.releasing(address) }
            return try body(&value)
        }
    }
}
