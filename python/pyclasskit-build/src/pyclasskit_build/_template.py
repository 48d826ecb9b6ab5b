"""A new PyClassKit project: `python -m pyclasskit_build new NAME DIR` (PyClassKit's
`scripts/new-package NAME DIR` runs this file directly). Standard library only.

The project: pyproject.toml (pyclasskit-build as its build backend), Package.swift (a dynamic
library product NAME that depends on PyClassKit), one @PyClass with a freelist and a @PyModule
in Sources/<Target>/, a pytest in tests/, a README and a .gitignore. `pip install DIR` builds and
installs it; `pytest DIR/tests` then passes.
"""

from __future__ import annotations

import argparse
import keyword
import re
import sys
from pathlib import Path
from string import Template

RESERVED_TARGETS = {"PyClassKit", "PyClassKitMacros", "PyClassKitThreadLocal", "CPythonShim", "CPythonEmbed",
                    "Swift", "Foundation", "Synchronization", "Points"}

PYPROJECT = '''\
# The Python package of the extension module `${name}`, written in Swift with PyClassKit.
#   pip install .              builds the wheel for that pip's Python and installs it
#   pip wheel -w dist .        keeps the (manylinux) wheel instead
#   python -m build            an sdist and a wheel, in dist/
[build-system]
${backend_comment}requires = [${backend_requirement}]
build-backend = "pyclasskit_build"

[project]
name = "${name}"
version = "0.1.0"
description = "The extension module ${name}, written in Swift with PyClassKit"
readme = "README.md"
requires-python = ">=3.11"

[project.optional-dependencies]
test = ["pytest"]

[tool.pyclasskit]
# Inferred here: the SwiftPM product (Package.swift's only dynamic library) and the Python
# module (the PyInit_ function its @PyModule declares). Name them when they cannot be:
# product = "${name}"
# module = "${name}"
# package-dir = "."          # the folder of Package.swift, relative to this file
'''

PACKAGE_SWIFT = '''\
// swift-tools-version: 6.0
// The Swift package of the Python extension module `${name}`: pyclasskit-build (see
// pyproject.toml) builds its product `${name}` in release for the Python that runs pip, with the
// Swift runtime linked in, and packages it as a wheel.
import PackageDescription

let package = Package(
    name: "${name}",
    products: [
        // The extension module: a dynamic library, named like the Python module.
        .library(name: "${name}", type: .dynamic, targets: ["${target}"]),
    ],
    dependencies: [
${dependency}
    ],
    targets: [
        .target(
            name: "${target}",
            dependencies: [.product(name: "PyClassKit", package: "${identity}")],
            path: "Sources/${target}"
        ),
    ]
)
'''

DEPENDENCY_PATH = '''\
        // PyClassKit, from the checkout this project was made from (scripts/new-package). To use
        // a published copy instead (and package: "PyClassKit" in the target's dependency):
        //   .package(url: "https://github.com/OWNER/PyClassKit.git", branch: "main"),
        .package(path: ${path}),'''

DEPENDENCY_URL = '''\
        // PyClassKit: edit the URL (and the requirement) to the copy you use.
        .package(url: ${url}, ${requirement}),'''

MODULE_SWIFT = '''\
import PyClassKit

/// A 2-D point. Dead instances are parked in a per-thread freelist of 32 and handed out again by
/// the next `Point(...)`, which saves a malloc/free pair, safely with or without the GIL.
@PyClass(freeList: .perThread(capacity: 32))
struct Point {
    /// The x coordinate.
    @PyGet var x: Double
    /// The y coordinate.
    @PyGet var y: Double

    @PyInit init(x: Double, y: Double = 0) throws(PyError) {
        guard x.isFinite, y.isFinite else { throw .valueError("Point() coordinates must be finite") }
        self.x = x
        self.y = y
    }

    /// The Euclidean length of the point.
    @PyMethod func norm() -> Double { (x * x + y * y).squareRoot() }

    var pythonRepr: String { "Point(x=\\(x), y=\\(y))" }
}

/// ${name}: points, written in Swift with PyClassKit.
@PyModule("${name}")                         // PyInit_${name}; free-threaded Python keeps its GIL off
enum ${module_enum} {
    static let classes: [any PyClass.Type] = [Point.self]
    static let functions: [PyFunction] = [.freeListStatistics]      // freelist_stats(cls)

    /// The distance between two points.
    @PyFunction static func distance(a: Point, b: Point) -> Double {
        let (dx, dy) = (a.x - b.x, a.y - b.y)
        return (dx * dx + dy * dy).squareRoot()
    }
}
'''

TEST_PY = '''\
"""Tests of ${name}: pip install "${project}[test]", then pytest tests."""
import math
import sys
import sysconfig
import threading

import pytest

import ${name}


def test_point():
    p = ${name}.Point(3, 4)
    assert (p.x, p.y) == (3.0, 4.0)
    assert p.norm() == 5.0
    assert repr(p) == "Point(x=3.0, y=4.0)"
    assert ${name}.Point(1).y == 0.0
    assert ${name}.distance(${name}.Point(0, 0), p) == 5.0


def test_invalid_arguments():
    with pytest.raises(ValueError, match="finite"):
        ${name}.Point(math.nan, 0)
    with pytest.raises(TypeError):
        ${name}.Point("1", 2)
    with pytest.raises(AttributeError):
        ${name}.Point(1, 2).x = 3


def test_freelist_is_used():
    for _ in range(1000):
        ${name}.Point(1, 2)
    stats = ${name}.freelist_stats(${name}.Point)
    assert stats["strategy"] == "perThread"
    assert stats["hits"] > 0
    assert 0 <= stats["cached"] <= stats["limit"]


def test_threads_create_and_destroy():
    barrier = threading.Barrier(4)
    errors = []

    def work(index):
        try:
            barrier.wait()
            ring = [None] * 8
            for i in range(20_000):
                ring[i % 8] = ${name}.Point(index, i)
                assert ring[i % 8].y == i
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors


@pytest.mark.skipif(not sysconfig.get_config_var("Py_GIL_DISABLED"), reason="a GIL build")
def test_gil_stays_disabled():
    # The module declares Py_mod_gil = Py_MOD_GIL_NOT_USED, so importing it keeps the GIL off.
    assert sys._is_gil_enabled() is False
'''

README = '''\
# ${name}

The Python extension module `${name}`, written in Swift with PyClassKit.

```sh
pip install .                 # build (swift build -c release) and install, for this pip's Python
pip install ".[test]" && pytest tests
pip wheel -w dist .           # the wheel: ${name}-0.1.0-cp313-cp313t-manylinux_2_XX_x86_64.whl on 3.13t
```

The wheel needs no Swift at run time: the Swift runtime is linked into the module. Edit
`Sources/${target}/${target}.swift`; `Package.swift` ${dependency_note}.
'''

GITIGNORE = '''\
.build/
.pyclasskit-build/
build/
dist/
*.so
__pycache__/
'''


def camel_case(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"_+", name) if part) or "Module"


def swift_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def files(name: str, project: Path, pyclasskit_path: "Path | None", pyclasskit_url: "str | None",
          pyclasskit_requirement: str, backend_requirement: "str | None") -> dict:
    target = camel_case(name)
    if target in RESERVED_TARGETS:
        target += "Extension"
    if pyclasskit_url:
        identity = re.sub(r"\.git$", "", pyclasskit_url.rstrip("/").rsplit("/", 1)[-1])
        dependency = Template(DEPENDENCY_URL).substitute(url=swift_string(pyclasskit_url), requirement=pyclasskit_requirement)
        dependency_note = f"depends on PyClassKit at {pyclasskit_url}"
    else:
        assert pyclasskit_path is not None
        identity = pyclasskit_path.name.lower()
        dependency = Template(DEPENDENCY_PATH).substitute(path=swift_string(str(pyclasskit_path)))
        dependency_note = f"depends on PyClassKit at {pyclasskit_path} (by path)"
    if backend_requirement is None:
        if pyclasskit_path is not None and not pyclasskit_url:
            backend = pyclasskit_path / "python" / "pyclasskit-build"
            backend_requirement = f"pyclasskit-build @ {backend.as_uri()}"
            backend_comment = ("# pyclasskit-build from the PyClassKit checkout this project was made from; where it\n"
                               "# is installed already: pip install --no-build-isolation .\n")
        else:
            backend_requirement = "pyclasskit-build"
            backend_comment = ("# Until pyclasskit-build is on an index: pip install --find-links DIR . with DIR holding\n"
                               "# its wheel (pip wheel -w DIR PyClassKit/python/pyclasskit-build), or\n"
                               "# pip install --no-build-isolation . where it is installed.\n")
    else:
        backend_comment = ""
    values = dict(name=name, target=target, module_enum=f"{target}Module", identity=identity, dependency=dependency,
                  dependency_note=dependency_note, project=str(project),
                  backend_requirement=swift_string(backend_requirement), backend_comment=backend_comment)
    return {
        "pyproject.toml": Template(PYPROJECT).substitute(values),
        "Package.swift": Template(PACKAGE_SWIFT).substitute(values),
        f"Sources/{target}/{target}.swift": Template(MODULE_SWIFT).substitute(values),
        f"tests/test_{name}.py": Template(TEST_PY).substitute(values),
        "README.md": Template(README).substitute(values),
        ".gitignore": GITIGNORE,
    }


def check_name(name: str) -> None:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or keyword.iskeyword(name):
        raise SystemExit(f"new-package: {name!r} is not a Python module name (letters, digits, _)")
    if name in getattr(sys, "stdlib_module_names", ()) or name in sys.builtin_module_names:
        raise SystemExit(f"new-package: {name!r} is a standard library module: choose another name")


def write_project(name: str, directory: Path, *, force: bool = False, **options) -> list:
    """Writes the project; returns the files written. With force, an existing folder is
    updated, and a file whose text is unchanged is left alone (so that SwiftPM does not rebuild)."""
    check_name(name)
    directory = directory.resolve()
    if directory.exists() and any(directory.iterdir()) and not force:
        raise SystemExit(f"new-package: {directory} exists and is not empty (--force updates it)")
    written = []
    for relative, text in files(name, directory, **options).items():
        path = directory / relative
        if path.exists() and path.read_text() == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(relative)
    return written


def main(argv: "list | None" = None, prog: str = "new-package") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Write a new PyClassKit project: a Python extension module in Swift.")
    parser.add_argument("name", help="the Python module's name (import NAME)")
    parser.add_argument("directory", type=Path, help="the project's folder (made if missing)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--pyclasskit-path", type=Path, help="depend on the PyClassKit checkout at this path (scripts/new-package: this checkout)")
    source.add_argument("--pyclasskit-url", help="depend on PyClassKit at this git URL instead")
    parser.add_argument("--pyclasskit-requirement", default='branch: "main"',
                        help='the SwiftPM requirement with --pyclasskit-url (default: branch: "main"; e.g. from: "0.1.0")')
    parser.add_argument("--backend-requirement", help="the build-system requirement for pyclasskit-build "
                        "(default: the checkout's python/pyclasskit-build by file URL with --pyclasskit-path, else pyclasskit-build)")
    parser.add_argument("--force", action="store_true", help="update an existing folder")
    args = parser.parse_args(argv)
    if args.pyclasskit_path is None and args.pyclasskit_url is None:
        parser.error("give --pyclasskit-path PATH (a PyClassKit checkout) or --pyclasskit-url URL")
    pyclasskit_path = args.pyclasskit_path.resolve() if args.pyclasskit_path else None
    if pyclasskit_path is not None and not (pyclasskit_path / "Package.swift").is_file():
        parser.error(f"no PyClassKit checkout at {pyclasskit_path} (no Package.swift)")
    written = write_project(args.name, args.directory, force=args.force, pyclasskit_path=pyclasskit_path,
                            pyclasskit_url=args.pyclasskit_url, pyclasskit_requirement=args.pyclasskit_requirement,
                            backend_requirement=args.backend_requirement)
    directory = args.directory.resolve()
    shown = str(args.directory)
    if not args.directory.is_absolute() and not shown.startswith("."):
        shown = "./" + shown  # a path, not a project name on an index
    print(f"new-package: the project of module {args.name!r} in {directory}")
    for relative in written:
        print(f"    {relative}")
    if not written:
        print("    (every file was up to date)")
    print("next:")
    print(f"    pip install {shown}        # build and install (a cold release build of Swift takes minutes)")
    print(f"    pip install pytest && pytest {shown}/tests")
    print(f"    python -c 'import {args.name}; print({args.name}.Point(3, 4).norm())'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
