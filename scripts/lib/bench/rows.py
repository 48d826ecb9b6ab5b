"""The row catalogue: every class the benchmark measures, the groups of rows each mode uses, and
the extension modules the rows come from; and the freelist matrix's catalogue (kinds of object ×
freelist strategies, each cell a class of its own)."""
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
# The safe strategies, as freelist_stats names them, and the class-name suffix of each.
MATRIX_STRATEGIES = ["none", "mutex", "pymutex", "perThread", "lockFree"]
_SUFFIXES = {"none": "None", "mutex": "Mutex", "pymutex": "PyMutex", "perThread": "PerThread", "lockFree": "LockFree"}
_STRATEGY_TEXT = {"none": "no freelist", "mutex": "mutex", "pymutex": "PyMutex", "perThread": "per-thread",
                  "lockFree": "lock-free"}


def _swift_kind(kind, module, names):
    """The Swift rows of a kind: names[strategy] is each class; the first is the baseline."""
    baseline = f"{module}.{names['none']}"
    return [MatrixRow(module, names[strategy], f"Swift, {kind}, {_STRATEGY_TEXT[strategy]}",
                      freelist=strategy != "none", kind=kind, strategy=strategy, baseline=baseline)
            for strategy in MATRIX_STRATEGIES]


def _peer_twins(kind, module, binding, freelist_binding, freelist_cls, plain_cls):
    """A peer's plain class and freelist class of a kind, the plain one the other's baseline."""
    baseline = f"{module}.{plain_cls}"
    return [MatrixRow(module, plain_cls, binding, kind=kind, strategy="none", baseline=baseline),
            MatrixRow(module, freelist_cls, freelist_binding, freelist=True, kind=kind, strategy="freelist(32)",
                      baseline=baseline)]


MATRIX_ROWS = (
    _swift_kind("point", "points", {"none": "PlainPoint", "mutex": "MutexPoint", "pymutex": "PyMutexPoint",
                                    "perThread": "PerThreadPoint", "lockFree": "LockFreePoint"})
    + _swift_kind("holder", "freelist_matrix", {s: "Holder" + _SUFFIXES[s] for s in MATRIX_STRATEGIES})
    + _peer_twins("holder", "cython_points", "Cython, holder, cdef class", "Cython, holder, @freelist(32)",
                  "Holder", "PlainHolder")
    + _peer_twins("holder", "pyo3_points", "PyO3, holder, no freelist", "PyO3, holder, freelist = 32",
                  "Holder", "PlainHolder")
    + _swift_kind("payload", "freelist_matrix", {s: "Payload512" + _SUFFIXES[s] for s in MATRIX_STRATEGIES})
    + _swift_kind("named", "freelist_matrix", {s: "Named" + _SUFFIXES[s] for s in MATRIX_STRATEGIES})
)
# The modules only the matrix uses (the others are the main catalogue's).
MATRIX_MODULES = tuple(m for m in dict.fromkeys(row.module for row in MATRIX_ROWS) if m not in MODULES)


def matrix_row_of(key):
    """The matrix's row with this key, or None."""
    return next((row for row in MATRIX_ROWS if row.key == key), None)


def kind_of(name):
    """The matrix's kind with this name."""
    return next(kind for kind in KINDS if kind.name == name)
