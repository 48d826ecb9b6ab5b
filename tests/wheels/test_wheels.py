"""Wheels of PyClassKit modules, built by pyclasskit-build and installed as a user would.

For each interpreter (scripts/test-wheels: the free-threaded 3.13t and 3.11):
- a fresh virtualenv gets `pip install python/pyclasskit-build`; in it,
  `pip wheel --no-build-isolation Examples/Points` builds the points wheel and `pip wheel DIR`
  (build isolation, the template's own build requirement) the wheel of a project that
  scripts/new-package wrote;
- both wheels go into another fresh virtualenv, where a process started with `env -i` imports
  the two modules together and runs 4 threads of create/destroy on each (GIL off on 3.13t);
- the checks: the tags against `packaging.tags.sys_tags()` of that interpreter, `auditwheel show`,
  `readelf` (no libswift* NEEDED, PyInit_<module> the one exported symbol), RECORD, the
  template's own pytest, and `pip uninstall -y` leaving nothing importable.
On the first interpreter also: `python -m build` (sdist, then the wheel from the unpacked sdist)
of both projects, build isolation with `--find-links` to a local wheel of the backend, a Swift
compile error failing the build with the compiler's message, and a misspelt configuration key.
"""
import base64
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import tarfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.utils import parse_wheel_filename

from .conftest import record_figure

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHONS = [p for p in os.environ.get("PYCLASSKIT_WHEEL_PYTHONS", "").split(os.pathsep) if p]
TEMPLATE = "swiftshapes"  # the template project's module (a name no PyPI project has)
TEMPLATE_DIR = Path(os.environ.get("PYCLASSKIT_WHEEL_TEMPLATE_DIR", ROOT / ".build-wheels" / "template" / TEMPLATE))
LOGS = Path(os.environ.get("PYCLASSKIT_WHEEL_LOGS", ROOT / ".build-wheels" / "logs"))

if not PYTHONS:
    pytest.skip("no interpreters: run scripts/test-wheels", allow_module_level=True)


def run(args, *, log, env=None, cwd=None, check=True, timeout=1800):
    """Runs a command with its output in LOGS/<log>.log; on failure, the assertion shows its end."""
    LOGS.mkdir(parents=True, exist_ok=True)
    path = LOGS / f"{log}.log"
    started = time.monotonic()
    result = subprocess.run([str(a) for a in args], env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    result.seconds = time.monotonic() - started
    path.write_text(f"$ {' '.join(map(str, args))}\n{result.stdout}\n(exit status {result.returncode}, {result.seconds:.1f}s)\n")
    if check and result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-60:])
        raise AssertionError(f"{args[0]} ... failed with exit status {result.returncode} (log: {path}):\n{tail}")
    return result


def bare(python, *args, log, check=True):
    """Runs python with an empty environment: no PATH, no LD_LIBRARY_PATH, nothing."""
    return run(["env", "-i", python, *args], log=log, check=check)


@dataclass
class Target:
    """One interpreter: its build virtualenv, the wheels built there, the virtualenv they went into."""
    python: str
    name: str  # 3.13t, 3.11
    soabi: str
    free_threaded: bool
    build_python: Path
    test_python: Path
    site_packages: Path
    wheels: dict = field(default_factory=dict)  # module -> wheel path
    seconds: dict = field(default_factory=dict)


_targets = {}


def _venv(python, directory, log):
    run([python, "-m", "venv", "--clear", directory], log=log)
    return directory / "bin" / "python"


def _target(python, tmp_path_factory):
    if python in _targets:
        return _targets[python]
    info = json.loads(run([python, "-c", "import json, sys, sysconfig; print(json.dumps({"
                           "'soabi': sysconfig.get_config_var('SOABI'),"
                           "'ft': bool(sysconfig.get_config_var('Py_GIL_DISABLED')),"
                           "'version': '%d.%d' % sys.version_info[:2]}))"], log="interpreter").stdout)
    name = info["version"] + ("t" if info["ft"] else "")
    work = tmp_path_factory.mktemp(f"wheels-{name}")
    out = work / "wheelhouse"

    # The build environment: a fresh virtualenv with the backend, as README says.
    started = time.monotonic()
    build_python = _venv(python, work / "build-venv", f"{name}-build-venv")
    run([build_python, "-m", "pip", "install", ROOT / "python" / "pyclasskit-build", "build"], log=f"{name}-install-backend")
    backend_seconds = time.monotonic() - started

    target = Target(python, name, info["soabi"], info["ft"], build_python, Path(), Path())
    target.seconds["backend"] = backend_seconds
    built = run([build_python, "-m", "pip", "wheel", "-v", "--no-build-isolation", "--no-deps", "-w", out,
                 ROOT / "Examples" / "Points"], log=f"{name}-wheel-points")
    target.seconds["points"] = built.seconds
    # pip before 26.x may take a wheel of a `name @ file:///folder` requirement from its cache
    # instead of building the folder (pip issue 14044): the template names the backend so.
    run([build_python, "-m", "pip", "cache", "remove", "pyclasskit_build"], log=f"{name}-pip-cache", check=False)
    built = run([build_python, "-m", "pip", "wheel", "-v", "--no-deps", "-w", out, TEMPLATE_DIR], log=f"{name}-wheel-{TEMPLATE}")
    target.seconds[TEMPLATE] = built.seconds
    for module in ("points", TEMPLATE):
        wheels = sorted(out.glob(f"{module}-*.whl"))
        assert len(wheels) == 1, f"{module}: {wheels}"
        target.wheels[module] = wheels[0]
        record_figure(f"{name}: {wheels[0].name}  {wheels[0].stat().st_size / 1e6:.2f} MB, built in {target.seconds[module]:.1f}s")
    record_figure(f"{name}: fresh build virtualenv with pyclasskit-build in {backend_seconds:.1f}s")

    # A fresh virtualenv with the two wheels (and pytest, for the template's test).
    target.test_python = _venv(python, work / "test-venv", f"{name}-test-venv")
    run([target.test_python, "-m", "pip", "install", *target.wheels.values()], log=f"{name}-install-wheels")
    run([target.test_python, "-m", "pip", "install", "--only-binary=:all:", "pytest"], log=f"{name}-install-pytest")
    target.site_packages = Path(run([target.test_python, "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
                                    log=f"{name}-site").stdout.strip())
    _targets[python] = target
    return target


@pytest.fixture(scope="module", params=PYTHONS, ids=lambda p: Path(p).name)
def target(request, tmp_path_factory):
    return _target(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    return _target(PYTHONS[0], tmp_path_factory)


def _sys_tags(python):
    code = "import packaging.tags; print('\\n'.join(map(str, packaging.tags.sys_tags())))"
    return run([python, "-c", code], log="sys-tags").stdout.split()


def test_wheel_tags_match_the_interpreter(target):
    accepted = _sys_tags(target.build_python)
    for module, wheel in target.wheels.items():
        name, version, build, tags = parse_wheel_filename(wheel.name)
        assert name == module and str(version) == "0.1.0"
        assert {str(t) for t in tags} & set(accepted), f"{wheel.name}: none of its tags is in sys_tags()"
        for tag in tags:
            expected_abi = f"cp{target.soabi.split('-')[1]}"  # cp313t, cp311
            assert (tag.interpreter, tag.abi) == (expected_abi.rstrip("t"), expected_abi)
            assert re.fullmatch(r"manylinux_2_\d+_x86_64|manylinux\w*_x86_64", tag.platform), tag.platform
        # The most specific tag the interpreter accepts with this platform is the wheel's.
        best = next(t for t in accepted if t.endswith(next(iter(tags)).platform))
        assert best in {str(t) for t in tags}, (best, wheel.name)


def test_auditwheel_show_accepts_the_wheels(target):
    for wheel in target.wheels.values():
        shown = run([target.build_python, "-m", "auditwheel", "show", wheel], log=f"{target.name}-auditwheel-{wheel.name}")
        text = " ".join(shown.stdout.split())
        platform = next(iter(parse_wheel_filename(wheel.name)[3])).platform
        assert f'is consistent with the following platform tag: "{platform}"' in text, shown.stdout
        record_figure(f"{target.name}: auditwheel show {wheel.name}: consistent with {platform}")


def test_wheel_records_every_file_with_its_hash(target):
    for module, wheel in target.wheels.items():
        with zipfile.ZipFile(wheel) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            dist_info = f"{module}-0.1.0.dist-info"
            record = list(csv.reader(io.StringIO(archive.read(f"{dist_info}/RECORD").decode())))
            listed = {row[0] for row in record}
            assert listed == set(names), (listed ^ set(names))
            for path, digest, size in record:
                if path.endswith("/RECORD"):
                    continue
                data = archive.read(path)
                assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                assert int(size) == len(data)
            metadata = archive.read(f"{dist_info}/METADATA").decode()
            assert f"\nName: {module}\n" in metadata and "\nVersion: 0.1.0\n" in metadata
            assert "Root-Is-Purelib: false" in archive.read(f"{dist_info}/WHEEL").decode()
            modules = [n for n in names if not n.startswith(dist_info)]
            assert modules == [f"{module}.{target.soabi}.so"], modules  # named by EXT_SUFFIX


def _installed_library(target, module):
    found = sorted(target.site_packages.glob(f"{module}.*.so"))
    assert len(found) == 1, found
    return found[0]


def test_libraries_need_no_swift_and_export_only_pyinit(target):
    for module in target.wheels:
        library = _installed_library(target, module)
        dynamic = run(["readelf", "-d", "--wide", library], log=f"{target.name}-readelf-d-{module}").stdout
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)
        assert needed and not [n for n in needed if n.startswith("libswift")], needed
        assert not [n for n in needed if n.startswith("libpython")], needed  # the interpreter provides its API
        symbols = run(["readelf", "--dyn-syms", "--wide", library], log=f"{target.name}-readelf-syms-{module}").stdout
        exported = []
        for line in symbols.splitlines():
            fields = line.split()
            # Num: Value Size Type Bind Vis Ndx Name
            if len(fields) >= 8 and fields[0].endswith(":") and fields[4] in ("GLOBAL", "WEAK") and fields[6] != "UND":
                exported.append(fields[7])
        assert [s for s in exported if s.startswith("PyInit_")] == [f"PyInit_{module}"], exported
        assert exported == [f"PyInit_{module}"], exported
        record_figure(f"{target.name}: {library.name}: {library.stat().st_size / 1e6:.1f} MB, NEEDED {', '.join(needed)}; "
                      f"exports {', '.join(exported)}")


def test_modules_import_together_from_a_bare_environment_and_share_no_runtime(target):
    result = bare(target.test_python, HERE / "together.py", "points", TEMPLATE, log=f"{target.name}-together")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["environment"] in ([], ["LC_CTYPE"]), report["environment"]  # env -i: nothing (CPython may set LC_CTYPE)
    assert report["free_threaded"] == target.free_threaded
    if target.free_threaded:
        assert report["gil_enabled"] is False
    assert report["threads"] == 8 and report["objects"] == 8 * 20_000
    for module in ("points", TEMPLATE):
        assert report["modules"][module].startswith(str(target.site_packages))
        stats = report["freelists"][module]
        assert stats["strategy"] == "perThread" and 0 <= stats["cached"] <= stats["limit"], stats
        assert stats["hits"] > 0, stats
    record_figure(f"{target.name}: env -i import points, {TEMPLATE}: 8 threads, {report['objects']} objects, "
                  f"GIL {'enabled' if report['gil_enabled'] else 'disabled'}")


def test_template_project_test_passes(target):
    result = bare(target.test_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEMPLATE_DIR / "tests",
                  log=f"{target.name}-template-pytest")
    summary = result.stdout.strip().splitlines()[-1]
    assert ("5 passed" if target.free_threaded else "4 passed, 1 skipped") in summary, result.stdout


def test_uninstall_leaves_nothing(target):
    run([target.test_python, "-m", "pip", "uninstall", "-y", "points", TEMPLATE], log=f"{target.name}-uninstall")
    for module in ("points", TEMPLATE):
        failed = bare(target.test_python, "-c", f"import {module}", log=f"{target.name}-import-after-uninstall", check=False)
        assert failed.returncode != 0 and f"No module named '{module}'" in failed.stdout, failed.stdout
    left = [p.name for p in target.site_packages.iterdir() if p.name.lower().startswith(("points", TEMPLATE))]
    assert not left, left


# --- the first interpreter only -----------------------------------------------------------------


def test_python_m_build_makes_sdists_whose_wheels_build(first, tmp_path):
    """`python -m build`: the sdist, then the wheel built from the unpacked sdist (cold: its
    SwiftPM build folder is inside the temporary copy)."""
    for project, module in ((ROOT / "Examples" / "Points", "points"), (TEMPLATE_DIR, TEMPLATE)):
        out = tmp_path / module
        built = run([first.build_python, "-m", "build", "--no-isolation", "-o", out, project], log=f"{first.name}-build-{module}")
        sdist = out / f"{module}-0.1.0.tar.gz"
        with tarfile.open(sdist) as archive:
            names = set(archive.getnames())
        prefix = f"{module}-0.1.0/"
        assert {prefix + "PKG-INFO", prefix + "pyproject.toml"} <= names
        assert not [n for n in names if "/.build" in n or n.endswith((".so", ".whl"))], names
        if module == "points":
            # The SwiftPM package is the repository's (package-dir = "../.."): the sdist carries it.
            assert prefix + "pyclasskit-package/Package.swift" in names
            assert prefix + "pyclasskit-package/Sources/PyClassKit/Module/PyModuleDefinition.swift" in names
            assert not [n for n in names if n.startswith(prefix + "pyclasskit-package/docs/")]
        else:
            assert {prefix + "Package.swift", prefix + f"tests/test_{TEMPLATE}.py"} <= names
        wheels = list(out.glob("*.whl"))
        assert [w.name for w in wheels] == [first.wheels[module].name], (wheels, first.wheels[module])
        record_figure(f"{first.name}: python -m build {project.name}: {sdist.name} ({sdist.stat().st_size / 1e3:.0f} kB, "
                      f"{len(names)} files) and its wheel, {built.seconds:.1f}s")


def test_build_isolation_with_a_local_wheel_of_the_backend(first, tmp_path):
    """`pip wheel --find-links DIR`: the backend and its requirements from a local folder, no index."""
    wheelhouse = tmp_path / "wheelhouse"
    run([first.build_python, "-m", "pip", "wheel", "-w", wheelhouse, ROOT / "python" / "pyclasskit-build"], log=f"{first.name}-backend-wheelhouse")
    assert list(wheelhouse.glob("pyclasskit_build-0.1.0-py3-none-any.whl"))
    out = tmp_path / "out"
    built = run([first.build_python, "-m", "pip", "wheel", "--no-index", "--find-links", wheelhouse, "--no-deps", "-w", out,
                 ROOT / "Examples" / "Points"], log=f"{first.name}-wheel-points-isolated")
    assert [w.name for w in out.glob("*.whl")] == [first.wheels["points"].name]
    record_figure(f"{first.name}: pip wheel --no-index --find-links (isolated, warm Swift build): {built.seconds:.1f}s")


def _new_project(name, directory):
    run([ROOT / "scripts" / "new-package", name, directory], log=f"new-package-{name}")
    return directory


def test_a_swift_compile_error_fails_the_build_with_the_compilers_message(first, tmp_path):
    project = _new_project("brokenshapes", tmp_path / "brokenshapes")
    source = project / "Sources" / "Brokenshapes" / "Brokenshapes.swift"
    source.write_text(source.read_text() + '\nlet answer: Int = "forty-two"\n')
    env = dict(os.environ, PYCLASSKIT_BUILD_DIR=str(tmp_path / "scratch"))
    failed = run([first.build_python, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-w", tmp_path / "out", project],
                 env=env, log=f"{first.name}-broken", check=False)
    assert failed.returncode != 0
    assert "Brokenshapes.swift:" in failed.stdout
    assert "error: cannot convert value of type 'String' to specified type 'Int'" in failed.stdout, failed.stdout
    assert "pyclasskit-build: error: swift build failed" in failed.stdout, failed.stdout
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.whl"))


def test_a_misspelt_configuration_key_is_named(first, tmp_path):
    project = _new_project("typoshapes", tmp_path / "typoshapes")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('# product = "typoshapes"', 'prodcut = "typoshapes"'))
    failed = run([first.build_python, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-w", tmp_path / "out", project],
                 log=f"{first.name}-typo", check=False)
    assert failed.returncode != 0
    assert "unknown key(s) in [tool.pyclasskit]: prodcut" in failed.stdout, failed.stdout
