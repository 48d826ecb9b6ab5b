import CPythonShim

/// What PyClassKit keeps for one type object: its freelist, and the class-specific behaviour
/// that is not on the per-instance hot path (``PyClassHotPath`` holds that), captured from the
/// ``PyClass`` conformance when the type was made.
///
/// Created by a module's exec function and immutable once the type exists. A runtime lives for
/// the rest of the process, as does its type, a static type that is never freed: instances can
/// outlive the module (each import of a module that re-creates its types leaves one type and one
/// runtime behind, about two kilobytes). The type object is followed in memory by a pointer to
/// the class's hot path (`PCKTypeObject`), which points back to the runtime.
final class PyClassRuntime: @unchecked Sendable {
    // @unchecked: every stored property is set before the type object is published to Python
    // (during the module's exec function, under the import lock) and only read afterwards.

    let pythonName: String
    /// The type object, once ``makeType(module:)`` made it.
    var type: UnsafeMutablePointer<PyTypeObject>? { hotPath.pointee.type }
    /// What the slot functions read per instance (never freed: see above).
    let hotPath: UnsafeMutablePointer<PyClassHotPath>
    /// The freelist for instances of exactly ``type``, or `nil`.
    let freeList: (any FreeList)?
    /// The misuse checks of ``freeList``, when the class asked for them.
    let canaries: FreeListCanaries?
    /// Offset of the instance's ``InitializationMark`` from the start of the object.
    var initializationMarkOffset: Int { hotPath.pointee.markOffset }
    /// Offset of the Swift state from the start of the object.
    var stateOffset: Int { hotPath.pointee.stateOffset }
    let isBaseType: Bool
    /// The class's own `tp_vectorcall`, if it has one (``PyClass/_vectorcall``).
    private let vectorcall: PyVectorcallFunction?
    private let isConstructible: Bool

    /// Where Swift code finds this class's type (set when the type is made).
    let typeSlot: PyClassTypeSlot
    /// Equality, ordering, hashing and `str()` from the state's Swift conformances.
    let slots: PyClassProtocolSlots

    // Class-specific behaviour, over the state's address (and the object, for its critical section).
    let repr: (UnsafeMutableRawPointer, PyObjectPointer) -> PyObjectPointer?
    let traverse: (UnsafeMutableRawPointer, PyVisitor) -> Int32
    let clear: (UnsafeMutableRawPointer) -> Void
    private var attributes: [AttributeBox]
    private var methods: [PyCallable]
    /// `tp_methods`: the methods with C functions of their own (never freed: see above).
    private var methodDefinitions: [PyMethodDef] = []
    private let classAttributes: [PyClassAttribute]
    /// `tp_doc`: the text signature, then the class's docstring.
    private let doc: String

    /// C strings the type object points into for its whole life (never freed: see above).
    private var cStrings: [UnsafeMutablePointer<CChar>] = []

    /// The runtime of class `T`, listed by the module `moduleName`.
    init<T: PyClass>(_ type: T.Type, moduleName: String) {
        var payloadStart = Int(pck_object_header_size())
        self.freeList = T.freeList.makeFreeList()
        if T.freeListCanaries && freeList != nil {
            // One word for the canary between the header and the state.
            let offset = (payloadStart + 7) / 8 * 8
            self.canaries = FreeListCanaries(offset: offset)
            payloadStart = offset + 8
        } else {
            self.canaries = nil
        }
        // One word for the initialisation mark, one for the weak-reference list if asked for.
        let markOffset = (payloadStart + 7) / 8 * 8
        payloadStart = markOffset + MemoryLayout<Int>.size
        let weakListOffset = T.supportsWeakReferences ? payloadStart : 0
        if T.supportsWeakReferences { payloadStart += MemoryLayout<UnsafeRawPointer>.size }
        let alignment = MemoryLayout<T>.alignment
        let stateOffset = (payloadStart + alignment - 1) / alignment * alignment
        self.pythonName = T.pythonName.contains(".") ? T.pythonName : "\(moduleName).\(T.pythonName)"
        self.isBaseType = T.isBaseType
        self.vectorcall = T._vectorcall
        self.isConstructible = T.isConstructible
        self.typeSlot = T._pyTypeSlot
        self.classAttributes = T.classAttributes
        self.slots = PyClassProtocolSlots(T.self)

        // Read once: a class may compute its signature (PointClass builds its name from strings).
        let signature = T.signature.permanentCopy()
        let className = T.pythonName.split(separator: ".").last.map(String.init) ?? T.pythonName
        self.doc = internalDoc(name: className, textSignature: signature.pointee.textSignature(), doc: T.doc)
        self.repr = { state, object in
            let text = T.hasMutableState
                ? withCriticalSection(object) { state.assumingMemoryBound(to: T.self).pointee.pythonRepr }
                : state.assumingMemoryBound(to: T.self).pointee.pythonRepr
            return text.toPython()
        }
        self.traverse = { state, visitor in state.assumingMemoryBound(to: T.self).pointee.traverse(visitor) }
        self.clear = { state in state.assumingMemoryBound(to: T.self).pointee.clear() }
        self.attributes = []
        self.methods = []
        self.hotPath = .allocate(capacity: 1)
        let stateIsTrivial = _isPOD(T.self) && !T.hasGarbageCollection
        // The frameless paths of the slot functions know nothing of canaries or weak references.
        let plainLayout = stateIsTrivial && canaries == nil && weakListOffset == 0
        let fastFreeList = plainLayout ? (freeList as? FastFreeList)?.fastPath : nil
        var basicSize = stateOffset + MemoryLayout<T>.size
#if PYCLASSKIT_GIL_DISABLED
        // A freelist hands objects from thread to thread (through the depot, or a shared list):
        // two threads reusing objects that share a cache line would write that line on every
        // create and destroy (the header's reference counts, the state). Whole lines per
        // instance make that impossible (mimalloc's blocks of a multiple of 64 bytes are
        // 64-aligned); without a freelist each thread's objects come from its own pages.
        if freeList != nil { basicSize = (basicSize + cacheLineSize - 1) / cacheLineSize * cacheLineSize }
#endif
        // Every property is set: the hot path and the attribute and method closures may now
        // refer to this runtime (unowned: the runtime owns the closures and outlives the path).
        hotPath.initialize(to: PyClassHotPath(
            type: nil, classType: T.self, signature: signature, stateOffset: stateOffset, markOffset: markOffset,
            weakListOffset: weakListOffset,
            basicSize: basicSize, freeList: freeList.map(UnretainedFreeList.init),
            canaries: canaries.map(Unmanaged.passUnretained), fastFreeList: fastFreeList,
            deallocatesByFreeing: freeList == nil && plainLayout,
            hasGarbageCollection: T.hasGarbageCollection, stateIsTrivial: stateIsTrivial, runtime: .passUnretained(self)))
        let qualifiedName = pythonName
        self.attributes = T.attributes.map { [unowned self] attribute in
            AttributeBox(name: attribute.name, doc: attribute.doc, get: { [unowned self] (object) throws(PyError) in
                attribute.get(try self.existingState(of: object).assumingMemoryBound(to: T.self), object)
            }, set: self.setter(of: attribute, qualifiedName: qualifiedName))
        }
        self.methods = T.methods.compactMap { [unowned self] method in
            guard let call = method.call else { return nil }
            let signature = PySignature("\(className).\(method.name)()", method.parameters).permanentCopy()
            return PyCallable(name: method.name, doc: method.doc,
                              textSignature: signature.pointee.textSignature(receiver: "self")) {
                [unowned self] (args, count, kwnames) throws(PyError) in
                guard count >= 1, let instance = args?[0], let type = self.type,
                      pck_object_type_check(instance, type) != 0 else {
                    let got = count >= 1 ? args?[0].map(typeName(of:)) ?? "NULL" : "nothing"
                    throw .typeError("descriptor '\(method.name)' for '\(qualifiedName)' objects doesn't apply to a '\(got)' object")
                }
                let value = try self.existingState(of: instance).assumingMemoryBound(to: T.self)
                let keywords: PyArguments.Keywords = kwnames.map { .names($0, values: args! + 1) } ?? .none
                return try PyArguments.withArguments(signature, positional: args! + 1, count: count - 1, keywords: keywords) {
                    (arguments) throws(PyError) in try call(value.pointee, arguments)
                }
            }
        }
        // The methods with C functions of their own become `tp_methods` (method descriptors).
        self.methodDefinitions = T.methods.compactMap { method -> PyMethodDef? in
            guard let function = method.function else { return nil }
            let signature = PySignature("\(className).\(method.name)()", method.parameters)
            let isStatic = method.kind == .static
            let doc = internalDoc(name: method.name, textSignature: signature.textSignature(receiver: isStatic ? nil : "$self"),
                                  doc: method.doc)
            return PyMethodDef(ml_name: UnsafePointer(strdup(method.name)), ml_meth: pck_cfunction(function),
                               ml_flags: pck_meth_fastcall_keywords() | (isStatic ? pck_meth_static() : 0),
                               ml_doc: UnsafePointer(strdup(doc)))
        }
    }

    /// The ``AttributeBox`` setter of `attribute`, or `nil` if it is read-only.
    private func setter<T: PyClass>(of attribute: PyAttribute<T>, qualifiedName: String) -> AttributeBox.Set? {
        guard let set = attribute.set else { return nil }
        let name = PySignature("attribute '\(attribute.name)' of '\(qualifiedName)' objects", []).permanent
        let deleted = "cannot delete attribute '\(attribute.name)' of '\(qualifiedName)' objects"
        return { [unowned self] (object: PyObjectPointer, value: PyObjectPointer?) throws(PyError) -> Void in
            guard let value else { throw PyError.attributeError(deleted) }
            let state = try self.existingState(of: object).assumingMemoryBound(to: T.self)
            try set(state, object, value, PyArgumentName(attributeOf: name.address))
        }
    }

    /// Frees every parked instance (when the defining module is freed). Types may outlive their
    /// module, in which case their next allocations simply miss.
    func freeParkedObjects() {
        guard let freeList else { return }
        for object in freeList.removeAll() { hotPath.freeMemory(of: object) }
    }

    /// The state of `object`, an instance of this class or of a subclass.
    @inline(__always)
    func state(of object: PyObjectPointer) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(object) + stateOffset
    }

    /// A C string that lives as long as this runtime.
    private func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(string)!
        cStrings.append(copy)
        return copy
    }

    /// Creates the type object; `module` defines its methods.
    ///
    /// The type is a *static* type (no `Py_TPFLAGS_HEAPTYPE`), as a C extension's or Cython's
    /// would be, though its memory comes from the C heap: `PyType_Ready` makes it immortal, and
    /// its instances hold no reference to it. On free-threaded 3.13 that matters for speed: a
    /// heap type's reference count is touched by every allocation, deallocation and load of the
    /// class, an atomic operation on one cache line that all threads share; an immortal
    /// object's never changes. Like the runtime, the type lives for the rest of the process.
    func makeType(module: PyObjectPointer) throws(PyError) -> UnsafeMutablePointer<PyTypeObject> {
        let getSets = UnsafeMutableBufferPointer<PyGetSetDef>.allocate(capacity: attributes.count + 1)
        getSets.initialize(repeating: PyGetSetDef())
        for (index, attribute) in attributes.enumerated() {
            getSets[index].name = UnsafePointer(cString(attribute.name))
            getSets[index].get = attributeGetter
            if attribute.set != nil { getSets[index].set = attributeSetter }
            getSets[index].doc = attribute.doc.map { UnsafePointer(cString($0)) }
            getSets[index].closure = Unmanaged.passUnretained(attribute).toOpaque()
        }
        guard let type = pck_static_type_new(hotPath) else {
            PyErr_NoMemory()
            throw .alreadySet
        }
        // The type refers to this runtime from now on, for the rest of the process.
        _ = Unmanaged.passRetained(self)

        var flags = pck_tpflags_default() | pck_tpflags_immutabletype()
        if isBaseType { flags |= pck_tpflags_basetype() }
        type.pointee.tp_name = UnsafePointer(cString(pythonName))
        type.pointee.tp_basicsize = hotPath.pointee.basicSize
        type.pointee.tp_doc = UnsafePointer(cString(doc))
        if isConstructible {
            type.pointee.tp_new = pyclassNew
            type.pointee.tp_init = pyclassInit
            type.pointee.tp_vectorcall = vectorcall ?? pyclassVectorcall
        } else {
            flags |= pck_tpflags_disallow_instantiation()
        }
        type.pointee.tp_alloc = pyclassAlloc
        type.pointee.tp_dealloc = pyclassDealloc
        type.pointee.tp_repr = pyclassRepr
        type.pointee.tp_getset = getSets.baseAddress
        if !methodDefinitions.isEmpty {
            let table = UnsafeMutableBufferPointer<PyMethodDef>.allocate(capacity: methodDefinitions.count + 1)
            _ = table.initialize(from: methodDefinitions + [PyMethodDef()])
            type.pointee.tp_methods = table.baseAddress
        }
        if hotPath.pointee.weakListOffset != 0 { type.pointee.tp_weaklistoffset = hotPath.pointee.weakListOffset }
        slots.install(in: type)
        if hotPath.pointee.hasGarbageCollection {
            flags |= pck_tpflags_have_gc()
            type.pointee.tp_traverse = pyclassTraverse
            type.pointee.tp_clear = pyclassClear
        }
        type.pointee.tp_flags = flags
        hotPath.pointee.type = type
        guard PyType_Ready(type) == 0 else { throw .alreadySet }
        for method in methods {
            guard let descriptor = method.makeMethodDescriptor(module: module) else { throw .alreadySet }
            let status = PyDict_SetItemString(type.pointee.tp_dict, method.name, descriptor)
            pck_decref(descriptor)
            guard status == 0 else { throw .alreadySet }
        }
        for attribute in classAttributes {
            guard let value = attribute.value() else { throw .alreadySet }
            let status = PyDict_SetItemString(type.pointee.tp_dict, attribute.name, value)
            pck_decref(value)
            guard status == 0 else { throw .alreadySet }
        }
        PyType_Modified(type)
        typeSlot.publish(hotPath)
        return type
    }
}
