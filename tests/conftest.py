"""pytest setup: import the example modules built for this interpreter, and report figures."""
import os
import sys
import sysconfig

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_DIR = os.path.join(ROOT, "build", sysconfig.get_config_var("SOABI"))
if not os.path.isdir(BUILD_DIR):
    raise RuntimeError(f"no examples built for this interpreter: run scripts/build-examples --python {sys.executable}")
sys.path.insert(0, BUILD_DIR)

FREE_THREADED_BUILD = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
_figures = []


@pytest.fixture
def report():
    """Records a line of figures, printed at the end of the session."""
    return _figures.append


def pytest_terminal_summary(terminalreporter):
    if _figures:
        mode = "free-threaded, GIL " + ("enabled" if sys._is_gil_enabled() else "disabled") \
            if FREE_THREADED_BUILD else "GIL build"
        terminalreporter.section(f"figures (Python {sys.version.split()[0]}, {mode})")
        for line in _figures:
            terminalreporter.write_line(line)
