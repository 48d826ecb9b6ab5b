// swift-tools-version: 6.0
//
// PyClassKit: CPython extension classes in Swift, with per-type freelists that are safe and fast
// on free-threaded CPython 3.13t.
//
// The Python to compile against is found through pkg-config, never through paths written here:
// PYCLASSKIT_PYTHON_PKGCONFIG names the pkg-config package (default `python-3.13t`; `python-3.11`
// for Debian's python3-dev). The `-embed` variant of the same package is used only by the tests,
// which embed the interpreter. `scripts/env` prints the environment the scripts use.
import PackageDescription

let python = Context.environment["PYCLASSKIT_PYTHON_PKGCONFIG"] ?? "python-3.13t"
// A free-threaded Python's pkg-config package ends in "t" (python-3.13t). The freelists choose
// their synchronisation at compile time from this; the module checks it against Python.h at import.
let freeThreaded: [SwiftSetting] = python.hasSuffix("t") ? [.define("PYCLASSKIT_GIL_DISABLED")] : []

let package = Package(
    name: "PyClassKit",
    products: [
        .library(name: "PyClassKit", targets: ["PyClassKit"]),
        // The example extension module `points` (libpoints.so; scripts/build-examples renames it).
        .library(name: "points", type: .dynamic, targets: ["Points"]),
        // The test module `conversions`: PyClassKit's argument conversions, for differential tests.
        .library(name: "conversions", type: .dynamic, targets: ["ConversionsFixture"]),
    ],
    targets: [
        // Python.h for Swift, plus C wrappers for what does not import (macros, variadics).
        // Extension modules do not link libpython: the interpreter provides its symbols.
        .systemLibrary(name: "CPythonShim", path: "CPythonShim/CPythonShim", pkgConfig: python),
        // Links libpython, for programs (the tests) that embed the interpreter.
        .systemLibrary(name: "CPythonEmbed", path: "CPythonShim/CPythonEmbed", pkgConfig: python + "-embed"),
        // PyClassKit's thread-local variable (Swift has no thread-locals of its own).
        .target(name: "PyClassKitThreadLocal", path: "CPythonShim/ThreadLocal"),
        .target(name: "PyClassKit", dependencies: ["CPythonShim", "PyClassKitThreadLocal"], swiftSettings: freeThreaded),
        .target(name: "Points", dependencies: ["PyClassKit", "CPythonShim"], path: "Examples/Points"),
        .target(name: "ConversionsFixture", dependencies: ["PyClassKit", "CPythonShim"], path: "Fixtures/Conversions"),
        // The Swift tests; the pytest suite is tests/ (on a case-insensitive file system the two
        // would be one folder, so the Swift tests are not in SwiftPM's default Tests/).
        .testTarget(
            name: "PyClassKitTests",
            dependencies: ["PyClassKit", "Points", "CPythonShim", "CPythonEmbed"],
            path: "SwiftTests/PyClassKitTests",
            swiftSettings: freeThreaded
        ),
    ]
)
