"""The catalogue of freelist strategies (Sources/PyClassKit/FreeLists/FreeListStrategy+Catalogue.swift)
as the example modules report it with `freelist_strategies()`: every entry has its example
classes, each of them allocates through a freelist of that strategy, and scripts/lib/strategies.py
(what scripts/repro and scripts/bench read) sees the same catalogue."""
import os
import sys

import pytest

import freelist_matrix
import points
from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "scripts", "lib"))
import strategies  # noqa: E402 - scripts/lib/strategies.py, what scripts/repro and scripts/bench read

MODULES = {"points": points, "freelist_matrix": freelist_matrix}
# The names the scripts, the tests and the README use (freelist_stats()' "strategy").
DOCUMENTED = {"none", "mutex", "pymutex", "perThread", "lockFree", "unsynchronized"}


def entries(module):
    return [(entry["name"], entry["title"], entry["safe"]) for entry in module.freelist_strategies()]


def test_both_modules_report_one_catalogue():
    assert entries(points) == entries(freelist_matrix)
    names = [name for name, _, _ in entries(points)]
    assert len(set(names)) == len(names) and names[0] == "none"
    assert DOCUMENTED <= set(names)
    assert [name for name, _, safe in entries(points) if not safe] == ["unsynchronized"]
    assert all(title for _, title, _ in entries(points))


@pytest.mark.parametrize("module_name", MODULES)
def test_every_strategy_has_its_example_classes(module_name):
    """Each catalogue entry has a class of every role in the module (the matrix only has the safe
    strategies), and each class's freelist reports that strategy: a strategy added to the
    catalogue without its example classes fails here."""
    module = MODULES[module_name]
    missing = []
    for entry in module.freelist_strategies():
        for role, name in entry["classes"].items():
            if module is freelist_matrix and not entry["safe"]:
                assert name is None, f"the matrix measures safe strategies only, not {entry['name']} ({name})"
                continue
            if name is None:
                missing.append(f"{entry['name']} ({role})")
                continue
            s = module.freelist_stats(getattr(module, name))
            expected = (entry["name"], 0 if entry["name"] == "none" else 32,
                        role == "checked_class" and entry["name"] != "none")
            assert (s["strategy"], s["capacity"], s["canaries"]) == expected, (name, s)
    assert not missing, (f"{module_name} has no class of these strategies: {', '.join(missing)}; declare them "
                         f"(Examples/) and list them in the module's .freeListStrategies(classes:)")


def test_the_scripts_read_the_same_catalogue():
    """scripts/lib/strategies.py, run on this interpreter's build, reads what the modules report;
    and an interpreter that cannot report it is an error, not an empty catalogue."""
    read = strategies.catalogue(sys.executable)
    assert [(s.name, s.title, s.safe) for s in read] == entries(points)
    for module_name, module in MODULES.items():
        assert [s.classes[module_name] for s in read] == [e["classes"] for e in module.freelist_strategies()]
    with pytest.raises(strategies.CatalogueError, match="cannot read the freelist strategies"):
        strategies.catalogue(os.path.join(ROOT, "no-such-python"))
