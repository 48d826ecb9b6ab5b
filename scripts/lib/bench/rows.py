"""The row catalogue: every class the benchmark measures, the groups of rows each mode uses, and
the extension modules the rows come from."""
from __future__ import annotations

import dataclasses


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
    Row("points", "MutexPoint", "Swift, mutex", freelist=True),
    Row("points", "PyMutexPoint", "Swift, PyMutex", freelist=True),
    Row("points", "PerThreadPoint", "Swift, per-thread", freelist=True),
    Row("points", "LockFreePoint", "Swift, lock-free", freelist=True),
    Row("points", "PlainPoint", "Swift, no freelist (baseline)"),
    Row("points", "RacyPoint", "Swift, unsynchronised (ceiling, 1T only)", max_threads=1, freelist=True),
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
DEFAULT, BASELINE, PYO3 = "points.Point", "points.PlainPoint", "pyo3_points.Point"
FLOOR, PLAIN_FLOOR = "c_floor_points.Point", "c_floor_points.PlainPoint"  # the C floor of each kind
SWIFT_FREELISTS = ["points.Point", "points.MutexPoint", "points.PyMutexPoint", "points.PerThreadPoint",
                   "points.LockFreePoint"]
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
