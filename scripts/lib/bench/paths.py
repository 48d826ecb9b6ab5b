"""Where the benchmark finds things: the checkout, the build cache and the interpreters under test."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CACHE = os.environ.get("PYCLASSKIT_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pyclasskit")

FT, GIL311 = "3.13t", "3.11"  # the labels of the interpreters under test
PYTHON313T = os.path.join(CACHE, "cpython-3.13.5-ft", "bin", "python3.13t")  # scripts/bootstrap-python's
PYTHON311 = os.environ.get("PYCLASSKIT_PYTHON311", "/usr/bin/python3.11")  # Debian's


def built_modules(soabi):
    """build/<SOABI>/: where scripts/build-examples and scripts/build-peers put an interpreter's modules."""
    return os.path.join(ROOT, "build", soabi)
