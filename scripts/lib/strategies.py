"""The catalogue of freelist strategies, as the built example modules report it.

The catalogue is Swift's (Sources/PyClassKit/FreeLists/FreeListStrategy+Catalogue.swift); the
modules `points` and `freelist_matrix` export it, with their classes of each strategy, as
`freelist_strategies()`. scripts/repro and scripts/bench read it here instead of listing the
strategies themselves. The scripts may run under another interpreter than the ones they measure,
so the catalogue is read by running an interpreter on its own build (build/<SOABI>/).
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODULES = ("points", "freelist_matrix")

# Run by the interpreter: imports the example modules from its build and prints their catalogues.
_READ = """
import json, os, sys, sysconfig
build = os.path.join(sys.argv[1], "build", sysconfig.get_config_var("SOABI"))
if not os.path.isdir(build):
    sys.exit(f"no examples built for {sys.executable} in {build}")
sys.path.insert(0, build)
print(json.dumps({name: __import__(name).freelist_strategies() for name in sys.argv[2:]}))
"""


@dataclasses.dataclass(frozen=True)
class Strategy:
    """One entry of the catalogue, with the example classes of it."""

    name: str  # as freelist_stats() reports it: "perThread"
    title: str  # as tables name it: "per-thread"
    safe: bool  # False only for the reproduction harness's racy list
    # Per module, each role's class of this strategy, or None: {"points": {"class": "PerThreadPoint",
    # "checked_class": "CheckedPerThreadPoint"}, "freelist_matrix": {"holder": "HolderPerThread", ...}}
    classes: dict

    def cls(self, module: str, role: str) -> str:
        """The name of the module's class of this strategy in that role; an error if it has none."""
        name = self.classes[module][role]
        if name is None:
            raise LookupError(f"{module} has no {role!r} class of freelist strategy {self.name!r}")
        return name


class CatalogueError(Exception):
    """No interpreter could report the catalogue (nothing built for it, or the import failed)."""


@functools.cache
def _read(python: str) -> tuple[Strategy, ...]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHON_GIL")}
    result = subprocess.run([python, "-I", "-c", _READ, ROOT, *MODULES], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise CatalogueError(f"{python}: {last_line}")
    per_module = json.loads(result.stdout)
    first = per_module[MODULES[0]]
    for module, entries in per_module.items():
        if [(e["name"], e["title"], e["safe"]) for e in entries] != [(e["name"], e["title"], e["safe"]) for e in first]:
            raise CatalogueError(f"{python}: {module} and {MODULES[0]} report different catalogues (a stale build?)")
    return tuple(Strategy(entry["name"], entry["title"], entry["safe"],
                          {module: per_module[module][index]["classes"] for module in MODULES})
                 for index, entry in enumerate(first))


def catalogue(*pythons: str) -> list[Strategy]:
    """The catalogue, in its order, read with the first of these interpreters whose examples are
    built (scripts/build-examples --python PATH); CatalogueError, naming each, if none is."""
    failures = []
    for python in dict.fromkeys(p for p in pythons if p):
        try:
            return list(_read(python))
        except (CatalogueError, OSError) as error:
            failures.append(str(error))
    raise CatalogueError("cannot read the freelist strategies from a built example module: "
                         + "; ".join(failures or ["no interpreter given"])
                         + " (scripts/build-examples --python PATH builds them)")


if __name__ == "__main__":
    import sys

    for strategy in catalogue(*(sys.argv[1:] or [sys.executable])):
        print(strategy)
