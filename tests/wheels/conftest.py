"""The wheel tests: they build wheels with pyclasskit-build and install them into fresh
virtualenvs, so they run only from scripts/test-wheels (which sets PYCLASSKIT_WHEEL_TESTS=1, the
interpreters and the prebuilt macro plugin); `pytest tests` (scripts/test) skips this folder."""
import os

if os.environ.get("PYCLASSKIT_WHEEL_TESTS") != "1":
    collect_ignore_glob = ["test_*.py"]

_figures = []


def record_figure(line):
    """A line for the summary at the end of the session (wheel names, sizes, build times)."""
    _figures.append(line)


def pytest_terminal_summary(terminalreporter):
    if _figures:
        terminalreporter.section("wheels")
        for line in _figures:
            terminalreporter.write_line(line)
