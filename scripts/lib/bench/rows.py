"""The row catalogue: every class the benchmark measures, the groups of rows each mode uses, and
the extension modules the rows come from; and the freelist matrix's catalogue (kinds of object ×
freelist strategies, each cell a class of its own). The Swift rows of the freelist strategies
come from the strategy catalogue the built example modules report (scripts/lib/strategies.py)."""
from __future__ import annotations

import dataclasses
import os
import sys

from paths import PYTHON311, PYTHON313T

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import strategies  # noqa: E402

# The freelist strategies (the Swift catalogue, read from the built example modules), in the
# catalogue's order: "none" first, then the safe lists, then the racy one.
STRATEGIES = strategies.catalogue(sys.executable, PYTHON313T, PYTHON311)
_NONE = next(s for s in STRATEGIES if s.name == "none")
_SAFE = [s for s in STRATEGIES if s.safe]  # "none" among them
_SAFE_FREELISTS = [s for s in _SAFE if s is not _NONE]
_UNSAFE = [s for s in STRATEGIES if not s.safe]


@dataclasses.dataclass(frozen=True)
class Row:
    """One class under test: how the tables name it and where the worker finds it."""

    module: str  # "__main__" for classes defined in worker.py
    cls: str
    binding: str
    max_threads: int | None = None  # RacyPoint: 1
    freelist: bool = False  # read against the C floor with a freelist (else the plain floor)

    @property
    def key(self) -> str:
        return self.cls if self.module == "__main__" else f"{self.module}.{self.cls}"

    @property
    def extension(self) -> bool:
        """Whether the class comes from an extension module (every row but the pure-Python one)."""
        return self.module != "__main__"

    def spec(self) -> dict:
        return {"key": self.key, "module": self.module, "cls": self.cls, "max_threads": self.max_threads}


ROWS = [
    Row("points", "Point", "Swift, default strategy", freelist=True),
    *[Row("points", s.cls("points", "class"), f"Swift, {s.title}", freelist=True) for s in _SAFE_FREELISTS],
    Row("points", _NONE.cls("points", "class"), f"Swift, {_NONE.title} (baseline)"),
    *[Row("points", s.cls("points", "class"), f"Swift, {s.title} (ceiling, 1T only)", max_threads=1, freelist=True)
      for s in _UNSAFE],
    Row("pyo3_points", "Point", "PyO3, freelist = 32", freelist=True),
    Row("pyo3_points", "PlainPoint", "PyO3, no freelist"),
    Row("cython_points", "Point", "Cython, @freelist(32)", freelist=True),
    Row("cython_points", "PlainPoint", "Cython cdef class"),
    Row("nanobind_points", "Point", "nanobind, nb::pooled(32)", freelist=True),
    Row("nanobind_points", "PlainPoint", "nanobind, no pool"),
    Row("c_points", "Point", "hand-written C, no freelist"),
    Row("c_floor_points", "Point", "C floor, per-thread freelist (32)", freelist=True),
    Row("c_floor_points", "PlainPoint", "C floor, no freelist"),
    Row("__main__", "SlotsPoint", "pure Python, __slots__"),
]
DEFAULT, BASELINE, PYO3 = "points.Point", f"points.{_NONE.cls('points', 'class')}", "pyo3_points.Point"
FLOOR, PLAIN_FLOOR = "c_floor_points.Point", "c_floor_points.PlainPoint"  # the C floor of each kind
SWIFT_FREELISTS = [DEFAULT] + [f"points.{s.cls('points', 'class')}" for s in _SAFE_FREELISTS]
MODE_ROWS = SWIFT_FREELISTS + [BASELINE, PYO3, "pyo3_points.PlainPoint"]  # cross-thread and churn
MEMORY_ROWS = SWIFT_FREELISTS + [BASELINE]
INSTRUCTION_ROWS = [row.key for row in ROWS if row.extension]  # what callgrind counts by default
MODULES = tuple(dict.fromkeys(row.module for row in ROWS if row.extension))  # the extension modules under test


def row_of(key):
    """The catalogue's row with this key, or None."""
    return next((row for row in ROWS if row.key == key), None)


def select_rows(rows, pattern):
    """The rows whose key or binding contains one of the comma-separated substrings (any case)."""
    if not pattern:
        return list(rows)
    needles = [part.strip().lower() for part in pattern.split(",") if part.strip()]
    return [row for row in rows if any(n in row.key.lower() or n in row.binding.lower() for n in needles)]


def binding_of(key, strategies=None):
    """The binding column of a row; the default class names its strategy when known."""
    row = row_of(key)
    text = row.binding if row else key
    strategy = (strategies or {}).get(key)
    if key == DEFAULT and strategy:
        text = f"Swift, default = {strategy}"
    return text


def floor_of(key):
    """The C floor a row is read against: the freelist floor for freelist rows, else the plain one."""
    row = row_of(key)
    return FLOOR if row is not None and row.freelist else PLAIN_FLOOR


# ---------------------------------------------------------------- the freelist matrix

@dataclasses.dataclass(frozen=True)
class Kind:
    """One kind of object of the freelist matrix: every class of a kind holds the same state."""

    name: str  # "holder"
    title: str  # how the tables name it
    description: str


@dataclasses.dataclass(frozen=True)
class MatrixRow(Row):
    """One cell of the freelist matrix: a class of one kind with one strategy (or a peer's twin)."""

    kind: str = ""
    strategy: str = "none"  # freelist_stats' name, or a peer's freelist ("freelist(32)")
    baseline: str = ""  # the key of the row without a freelist that this one is read against


KINDS = [
    Kind("point", "point", "two floats (the `points` module's strategy classes): the smallest object"),
    Kind("holder", "GC holder", "a float and one Python reference (`b`): garbage-collected"),
    Kind("payload", "512-byte payload", "64 floats, `a + i·b`: trivial state of 512 bytes"),
    Kind("named", "String state", "a Swift `String` (`\"p1\"`, stored inline) and a float: non-trivial state"),
]
# The safe strategies, as freelist_stats names them: the Swift rows of every kind, "none" first.
MATRIX_STRATEGIES = [s.name for s in _SAFE]


def _swift_kind(kind, module, role):
    """The Swift rows of a kind: the module's class of that role for each safe strategy, the
    one without a freelist the baseline."""
    baseline = f"{module}.{_NONE.cls(module, role)}"
    return [MatrixRow(module, s.cls(module, role), f"Swift, {kind}, {s.title}",
                      freelist=s is not _NONE, kind=kind, strategy=s.name, baseline=baseline)
            for s in _SAFE]


def _peer_twins(kind, module, binding, freelist_binding, freelist_cls, plain_cls):
    """A peer's plain class and freelist class of a kind, the plain one the other's baseline."""
    baseline = f"{module}.{plain_cls}"
    return [MatrixRow(module, plain_cls, binding, kind=kind, strategy="none", baseline=baseline),
            MatrixRow(module, freelist_cls, freelist_binding, freelist=True, kind=kind, strategy="freelist(32)",
                      baseline=baseline)]


MATRIX_ROWS = (
    _swift_kind("point", "points", "class")
    + _swift_kind("holder", "freelist_matrix", "holder")
    + _peer_twins("holder", "cython_points", "Cython, holder, cdef class", "Cython, holder, @freelist(32)",
                  "Holder", "PlainHolder")
    + _peer_twins("holder", "pyo3_points", "PyO3, holder, no freelist", "PyO3, holder, freelist = 32",
                  "Holder", "PlainHolder")
    + _swift_kind("payload", "freelist_matrix", "payload")
    + _swift_kind("named", "freelist_matrix", "named")
)
# The modules only the matrix uses (the others are the main catalogue's).
MATRIX_MODULES = tuple(m for m in dict.fromkeys(row.module for row in MATRIX_ROWS) if m not in MODULES)


def matrix_row_of(key):
    """The matrix's row with this key, or None."""
    return next((row for row in MATRIX_ROWS if row.key == key), None)


def kind_of(name):
    """The matrix's kind with this name."""
    return next(kind for kind in KINDS if kind.name == name)
