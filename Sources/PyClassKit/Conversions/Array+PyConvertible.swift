import CPythonShim

extension Array: PyRepresentable where Element: PyRepresentable {
    /// A new `list` of the elements' Python forms; `nil`, with the exception set, if an element
    /// has none (the list is released with the items stored so far).
    @inlinable
    public func toPython() -> PyObjectPointer? {
        guard let list = PyList_New(count) else { return nil }
        for index in indices {
            guard let item = self[index].toPython() else {
                pck_decref(list)  // the slots not yet stored are NULL, which list_dealloc skips
                return nil
            }
            pck_list_set_item(list, index, item)
        }
        return list
    }
}

extension Array: PyConvertible where Element: PyConvertible {
    /// A sequence, each element converted as `Element` converts it. Accepted is what nanobind's and
    /// PyO3's sequence casters accept: an object that passes `PySequence_Check` (`list`, `tuple`,
    /// `range`, a class with `__getitem__`) and is not a `str`, `bytes` or `bytearray`; anything
    /// else (those three, a generator, a `set`, a `dict`) raises `TypeError` naming the argument
    /// (`f() argument 'xs' must be a sequence, not str`).
    ///
    /// The elements are those `list(object)` gives, taken at one moment: a `list` is copied first
    /// (on 3.13t under its lock), so that another thread changing it, or an element's own
    /// `__index__` doing so, changes nothing the conversion reads. An element's error names the
    /// element: PyClassKit's own `TypeError`s in their message
    /// (`f() argument 'xs' item 2 must be a real number, not str`), any other exception in a
    /// note, keeping its type (`PyError.naming(_:of:)`).
    @inlinable
    public init(python object: PyObjectPointer, argument: PyArgumentName) throws(PyError) {
        guard PySequence_Check(object) != 0, pck_is_text_or_bytes(object) == 0 else {
            throw .typeError("\(argument) must be a sequence, not \(typeName(of: object))")
        }
        // Why a copy, not a critical section on the list or borrowed items: converting an element
        // runs Python code (`__index__`, `__float__`), which can change the list (on any build), and
        // on 3.13t can suspend a critical section held around the loop (whenever the thread
        // blocks), letting other threads change it; either frees the items the loop would still
        // read. The snapshot owns its items and no other code holds it (a tuple, or the new list
        // `PySequence_Fast` made), so its borrowed items stay valid whatever that code does.
        var notIterable: Int32 = 0
        guard let snapshot = pck_sequence_snapshot(object, &notIterable) else {
            if notIterable != 0 {
                throw .typeError("\(argument) must be an iterable sequence, not \(typeName(of: object))")
            }
            throw .alreadySet
        }
        defer { pck_decref(snapshot) }
        let count = pck_sequence_fast_size(snapshot)
        var elements: [Element] = []
        elements.reserveCapacity(count)
        if let items = pck_sequence_fast_items(snapshot) {
            for index in 0..<count {
                do throws(PyError) {
                    elements.append(try Element(python: items[index]!, argument: argument))
                } catch {
                    throw error.naming("item \(index)", of: argument)
                }
            }
        }
        self = elements
    }
}
