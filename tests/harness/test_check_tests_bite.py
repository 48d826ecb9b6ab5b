"""scripts/check-tests-bite: its defects still apply to the code (each text to replace is found
exactly once), and its substitution refuses text it does not find exactly once. (Running the
defects themselves takes minutes of builds: that is the script's job, not the suite's.)"""
import importlib.machinery
import importlib.util
import os
import subprocess
import sys

import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "check-tests-bite")


def load_script():
    loader = importlib.machinery.SourceFileLoader("check_tests_bite", SCRIPT)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    loader.exec_module(module)
    return module


bite = load_script()


def test_every_defect_applies_to_the_tree():
    result = subprocess.run([sys.executable, SCRIPT, "--dry-run"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"all {len(bite.DEFECTS)} defects apply" in result.stdout


def test_defects_are_named_once_and_for_known_interpreters():
    names = [defect.name for defect in bite.DEFECTS]
    assert len(names) == len(set(names))
    assert all(defect.interpreters and set(defect.interpreters) <= set(bite.BOTH) for defect in bite.DEFECTS)
    listing = subprocess.run([sys.executable, SCRIPT, "--list"], capture_output=True, text=True, check=True).stdout
    assert [line.split()[0] for line in listing.splitlines()] == names


def test_substitution_needs_the_text_exactly_once():
    defect = bite.Defect("example", "example", "file.swift", ("first form", "second form"), "replaced")
    assert bite.substitute("a first form b", defect) == "a replaced b"
    assert bite.substitute("a second form b", defect) == "a replaced b"  # the second alternative
    with pytest.raises(bite.DefectDoesNotApply, match="occurs"):
        bite.substitute("neither", defect)
    with pytest.raises(bite.DefectDoesNotApply, match="occurs"):
        bite.substitute("first form, second form and first form", bite.Defect(
            "twice", "twice", "file.swift", "first form", "replaced"))
