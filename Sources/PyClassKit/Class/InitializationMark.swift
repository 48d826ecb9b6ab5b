import CPythonShim
import Synchronization

/// Whether an instance's Swift state exists yet: one word in every instance, between the
/// header (and canary) and the state.
///
/// Instances of the class itself are made whole by its constructor (`tp_vectorcall`, or
/// `tp_new`): the slot functions take `Py_TYPE(object) == class` as proof that the state exists
/// and never read the mark for them; taking an instance clears it (one store), so the mark costs
/// exact instances its word and that store. It matters for instances of Python subclasses,
/// whose `tp_new` only allocates (``uninitialized``, the zeroes of a new allocation) so that
/// their `__init__` may take parameters of its own: the class's `tp_init`
/// (`super().__init__(x, y)`) swaps ``uninitialized`` for ``initializing`` (one
/// compare-and-swap: two threads cannot both initialise one object), makes the state, then
/// stores ``ready``; a rejected call goes back to ``uninitialized``. Until it is ``ready``,
/// every use of the state raises `TypeError`, and `tp_dealloc` destroys nothing.
@usableFromInline
enum InitializationMark: Int {
    /// A subclass instance whose state was never made (or whose `__init__` failed).
    case uninitialized = 0
    /// A subclass instance whose `__init__` is making the state on some thread.
    case initializing = 1
    /// A subclass instance whose state exists.
    case ready = 2
    /// An instance of the class itself made by `tp_new` (`type.__call__(Point, ...)`,
    /// `Point.__new__(Point, ...)`): its state exists, and the `tp_init` that `type.__call__`
    /// runs next, with the same arguments, is accepted once without effect. Any later
    /// `__init__` call raises `TypeError`: the class is immutable.
    case readyAwaitingInit = 3
}
