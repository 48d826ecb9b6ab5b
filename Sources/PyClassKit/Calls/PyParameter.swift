import CPythonShim

/// One parameter of a constructor or method.
public struct PyParameter: Sendable, ExpressibleByStringLiteral {
    public var name: String
    /// Whether a call may leave the parameter out.
    public var isOptional: Bool
    /// The default as Python source (`"0"`, `"''"`), shown in the text signature; `nil` for a
    /// required parameter, or an optional one whose absence the callee handles (shown as `None`).
    public var defaultText: String?
    /// Whether the parameter can only be passed by position (before `/` in a signature).
    public var isPositionalOnly: Bool

    public init(_ name: String, optional: Bool = false, positionalOnly: Bool = false) {
        self.name = name
        self.isOptional = optional
        self.isPositionalOnly = positionalOnly
    }

    /// An optional parameter whose default, written as Python source, is `defaultText`.
    public init(_ name: String, default defaultText: String, positionalOnly: Bool = false) {
        self.name = name
        self.isOptional = true
        self.defaultText = defaultText
        self.isPositionalOnly = positionalOnly
    }

    public init(stringLiteral name: String) { self.init(name) }
}
