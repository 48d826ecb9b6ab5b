// swift-tools-version: 6.0
//
// PyClassKit: CPython extension classes in Swift, with per-type freelists that are safe and fast
// on free-threaded CPython 3.13t.
//
// The Python to compile against is found through pkg-config, never through paths written here:
// PYCLASSKIT_PYTHON_PKGCONFIG names the pkg-config package (default `python-3.13t`; `python-3.11`
// for Debian's python3-dev). The `-embed` variant of the same package is used only by the tests,
// which embed the interpreter. `scripts/env` prints the environment the scripts use.
import CompilerPluginSupport
import PackageDescription

let environment = Context.environment
let python = environment["PYCLASSKIT_PYTHON_PKGCONFIG"] ?? "python-3.13t"
// A free-threaded Python's pkg-config package ends in "t" (python-3.13t). The freelists choose
// their synchronisation at compile time from this; the module checks it against Python.h at import.
let freeThreaded: [SwiftSetting] = python.hasSuffix("t") ? [.define("PYCLASSKIT_GIL_DISABLED")] : []

// The macros (`@PyClass`, `@PyModule`, ...) are a compiler plugin built with swift-syntax, the
// slow part of a build. By default the package builds them as usual. Two settings let a build
// of several interpreters build swift-syntax once (scripts/build-macros, scripts/env):
// - PYCLASSKIT_MACROS_ONLY=1: the package is the macros and their tests alone (no Python);
// - PYCLASSKIT_MACROS=<plugin executable>: the package uses that plugin, built by the former,
//   and neither resolves nor compiles swift-syntax.
let macrosOnly = environment["PYCLASSKIT_MACROS_ONLY"] == "1"
let prebuiltMacros = environment["PYCLASSKIT_MACROS"].flatMap { $0.isEmpty ? nil : $0 }
/// The settings of a target whose code uses the macros.
let usesMacros: [SwiftSetting] = prebuiltMacros.map { [.unsafeFlags(["-load-plugin-executable", "\($0)#PyClassKitMacros"])] } ?? []
/// The settings of an extension module's target: its classes' slot functions stay one function per
/// class. LLVM's MergeFunctions pass would fold the constructors of classes of the same shape
/// (Point, PlainPoint, ...) into one body that each class reaches through a thunk, passing what
/// differs as arguments: a call, and spills, on every `Point(1.0, 2.0)`.
let extensionModule: [SwiftSetting] = usesMacros + [.unsafeFlags(["-Xfrontend", "-disable-llvm-merge-functions-pass"])]

let macroTargets: [Target] = [
    .macro(
        name: "PyClassKitMacros",
        dependencies: [
            .product(name: "SwiftSyntax", package: "swift-syntax"),
            .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
            .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
            .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            .product(name: "SwiftDiagnostics", package: "swift-syntax"),
        ]
    ),
    .testTarget(
        name: "PyClassKitMacrosTests",
        dependencies: [
            "PyClassKitMacros",
            .product(name: "SwiftSyntaxMacrosTestSupport", package: "swift-syntax"),
        ],
        path: "SwiftTests/PyClassKitMacrosTests"
    ),
]

let pythonTargets: [Target] = [
    // Python.h for Swift, plus C wrappers for what does not import (macros, variadics).
    // Extension modules do not link libpython: the interpreter provides its symbols.
    .systemLibrary(name: "CPythonShim", path: "CPythonShim/CPythonShim", pkgConfig: python),
    // Links libpython, for programs (the tests) that embed the interpreter.
    .systemLibrary(name: "CPythonEmbed", path: "CPythonShim/CPythonEmbed", pkgConfig: python + "-embed"),
    // PyClassKit's thread-local variable (Swift has no thread-locals of its own).
    .target(name: "PyClassKitThreadLocal", path: "CPythonShim/ThreadLocal"),
    .target(
        name: "PyClassKit",
        dependencies: ["CPythonShim", "PyClassKitThreadLocal"] + (prebuiltMacros == nil ? ["PyClassKitMacros"] : []),
        // The plugin only to check the macro declarations (none is expanded here).
        swiftSettings: freeThreaded + usesMacros
    ),
    .target(name: "Points", dependencies: ["PyClassKit", "CPythonShim"], path: "Examples/Points",
            exclude: ["pyproject.toml"], swiftSettings: extensionModule),
    .target(name: "FreeListMatrix", dependencies: ["PyClassKit"], path: "Examples/FreeListMatrix",
            swiftSettings: extensionModule),
    .target(name: "ConversionsFixture", dependencies: ["PyClassKit", "CPythonShim"], path: "Fixtures/Conversions",
            swiftSettings: usesMacros),
    // The Swift tests; the pytest suite is tests/ (on a case-insensitive file system the two
    // would be one folder, so the Swift tests are not in SwiftPM's default Tests/).
    .testTarget(
        name: "PyClassKitTests",
        dependencies: ["PyClassKit", "Points", "CPythonShim", "CPythonEmbed"],
        path: "SwiftTests/PyClassKitTests",
        swiftSettings: freeThreaded + usesMacros
    ),
]

let package = Package(
    name: "PyClassKit",
    products: macrosOnly ? [] : [
        .library(name: "PyClassKit", targets: ["PyClassKit"]),
        // The example extension module `points` (libpoints.so; scripts/build-examples renames it).
        .library(name: "points", type: .dynamic, targets: ["Points"]),
        // The benchmark's freelist matrix `freelist_matrix` (libfreelist_matrix.so): one class per kind and strategy.
        .library(name: "freelist_matrix", type: .dynamic, targets: ["FreeListMatrix"]),
        // The test module `conversions`: PyClassKit's argument conversions, for differential tests.
        .library(name: "conversions", type: .dynamic, targets: ["ConversionsFixture"]),
    ],
    dependencies: prebuiltMacros != nil ? [] : [
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
    ],
    targets: macrosOnly ? macroTargets : (prebuiltMacros == nil ? macroTargets : []) + pythonTargets
)
