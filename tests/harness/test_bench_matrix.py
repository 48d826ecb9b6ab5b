"""scripts/bench's freelist matrix (scripts/lib/bench/): its catalogue in rows.py, its figures
(matrix.py), its tables and JSON (report.py), its plot (plot.py), its run (running.run_matrix,
with the workers and callgrind replaced) and its command-line flags; plus one tiny real run of
worker.py in the matrix's mode on this interpreter."""
import importlib
import importlib.util
import json
import os
import subprocess
import sys

import pytest

BENCH_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "lib", "bench")
sys.path.insert(0, BENCH_DIR)  # the modules import each other by name, as when main.py runs as a script
import matrix  # noqa: E402
import report  # noqa: E402
import rows  # noqa: E402
import running  # noqa: E402
import stats  # noqa: E402
import worker  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_main_for_matrix", os.path.join(BENCH_DIR, "main.py"))
bench_main = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_main)

THREADS = [1, 2, 4]
PLAIN, PER_THREAD, MUTEX = "points.PlainPoint", "points.PerThreadPoint", "points.MutexPoint"
HOLDER_NONE, HOLDER_PT = "freelist_matrix.HolderNone", "freelist_matrix.HolderPerThread"
PYO3_PLAIN, PYO3 = "pyo3_points.PlainHolder", "pyo3_points.Holder"


def fake_matrix(ns_by_key, instructions=None, statuses=None, ops=1000):
    """An interpreter's matrix as running.run_matrix makes it, whose median ns/op are ns_by_key."""
    walls = {key: {str(t): [ns * ops / 1e9 * f for f in (1.0, 1.1, 0.9)] for t, ns in cells.items()}
             for key, cells in ns_by_key.items()}
    result_rows = {key: {"status": "ok", "freelist_stats": {"strategy": "x", "hits": 9, "misses": 1},
                         "basicsize": 64, "gc": key.startswith("freelist_matrix.Holder")} for key in ns_by_key}
    for key, status in (statuses or {}).items():
        result_rows[key] = {"status": status}
        walls.pop(key, None)
    raw = {"ops_per_thread": ops, "walls": walls, "rows": result_rows,
           "constants": {"immortal": True, "warning": None}}
    counts = None if instructions is None else {
        "iterations": 1000, "rows": {key: {"status": "ok", "instructions": value} for key, value in instructions.items()}}
    return {"raw": raw, "summary": stats.summarize(walls, ops, lambda t: t), "instructions": counts}


NS = {PLAIN: {1: 30.0, 2: 40.0, 4: 80.0}, PER_THREAD: {1: 25.0, 2: 40.0, 4: 100.0},
      MUTEX: {1: 60.0, 2: 400.0, 4: 800.0}, HOLDER_NONE: {1: 100.0, 2: 120.0, 4: 240.0},
      HOLDER_PT: {1: 80.0, 2: 100.0, 4: 200.0}, PYO3_PLAIN: {1: 150.0, 2: 300.0, 4: 600.0},
      PYO3: {1: 150.0, 2: 600.0, 4: 1200.0}}
INSTRUCTIONS = {PLAIN: 800.0, PER_THREAD: 720.0, MUTEX: 880.0, HOLDER_NONE: 1400.0, HOLDER_PT: 1190.0,
                PYO3_PLAIN: 2000.0, PYO3: 2100.0}


def fake_entry(matrix_figures, free_threaded=True):
    return {"python": "/x/python", "info": {"version": "3.13.5", "free_threaded": free_threaded, "soabi": "s"},
            "modes": {}, "memory": [], "instructions": None, "matrix": matrix_figures, "warnings": [],
            "modules": {}}


# ---------------------------------------------------------------- the catalogue

def test_every_kind_has_every_strategy_read_against_its_own_class_without_a_freelist():
    per_kind = len(rows.MATRIX_STRATEGIES)  # the catalogue's safe strategies, "none" among them
    assert rows.MATRIX_STRATEGIES[0] == "none"
    assert {"mutex", "pymutex", "perThread", "lockFree"} <= set(rows.MATRIX_STRATEGIES)
    keys = [row.key for row in rows.MATRIX_ROWS]
    assert len(keys) == len(set(keys)) == 4 * per_kind + 4
    for kind in rows.KINDS:
        swift = [row for row in rows.MATRIX_ROWS if row.kind == kind.name and row.binding.startswith("Swift")]
        assert [row.strategy for row in swift] == rows.MATRIX_STRATEGIES
        assert {row.baseline for row in swift} == {swift[0].key}
        assert [row.freelist for row in swift] == [False] + [True] * (per_kind - 1)
    for row in rows.MATRIX_ROWS:
        baseline = rows.matrix_row_of(row.baseline)
        assert baseline is not None and baseline.strategy == "none" and baseline.kind == row.kind
        assert baseline.module == row.module  # peers are read against their own plain twin
    assert rows.matrix_row_of(PYO3).baseline == PYO3_PLAIN
    assert rows.MATRIX_MODULES == ("freelist_matrix",)
    known = [PLAIN, MUTEX, "points.PyMutexPoint", PER_THREAD, "points.LockFreePoint"]
    assert [key for key in keys if key in known] == known
    assert len(rows.select_rows(rows.MATRIX_ROWS, "holder")) == per_kind + 4
    assert rows.row_of(HOLDER_NONE) is None  # the main catalogue (and its targets) does not know them


def test_the_catalogue_names_the_classes_the_modules_have():
    """The Swift rows exist in the built `points` and `freelist_matrix` of this interpreter, with
    the strategy the catalogue says."""
    for module_name in ("points", "freelist_matrix"):
        module = importlib.import_module(module_name)
        for row in rows.MATRIX_ROWS:
            if row.module == module_name:
                assert module.freelist_stats(getattr(module, row.cls))["strategy"] == row.strategy, row.key


def test_the_snapshot_copies_the_matrix_module(tmp_path):
    source, snapshot = tmp_path / "built", tmp_path / "snapshot"
    source.mkdir()
    for name in ("points", "freelist_matrix", "unrelated"):
        (source / f"{name}.cpython-313t-x86_64-linux-gnu.so").write_bytes(name.encode())
    digests = running.snapshot_modules(str(source), str(snapshot))
    assert sorted(name.split(".")[0] for name in digests) == ["freelist_matrix", "points"]


# ---------------------------------------------------------------- the figures

def test_cells_read_every_row_against_its_baseline():
    figures = fake_matrix(NS, INSTRUCTIONS, statuses={"freelist_matrix.NamedNone": "missing: no class"})
    cells = {cell["key"]: cell for cell in matrix.matrix_cells(figures, THREADS)}
    assert list(cells) == [PLAIN, MUTEX, PER_THREAD, HOLDER_NONE, HOLDER_PT, PYO3_PLAIN, PYO3,
                           "freelist_matrix.NamedNone"]  # catalogue order, rows that ran only
    pt = cells[PER_THREAD]
    assert pt["instructions_vs_none"] == pytest.approx(720 / 800)
    assert [pt["threads"][t]["speed_vs_none"] for t in ("1", "2", "4")] == pytest.approx([30 / 25, 1.0, 0.8])
    assert pt["threads"]["4"]["ns_per_op"] == pytest.approx(100.0)
    assert cells[PYO3]["threads"]["2"]["speed_vs_none"] == pytest.approx(0.5)  # against PyO3's own plain twin
    assert cells[PLAIN]["instructions_vs_none"] == 1.0
    assert cells["freelist_matrix.NamedNone"]["status"].startswith("missing")
    assert cells["freelist_matrix.NamedNone"]["threads"] == {}
    assert cells[HOLDER_PT]["gc"] is True and cells[HOLDER_PT]["hits"] == 9
    without_counts = {c["key"]: c for c in matrix.matrix_cells(fake_matrix(NS), THREADS)}
    assert without_counts[PER_THREAD]["instructions"] is None
    assert without_counts[PER_THREAD]["instructions_vs_none"] is None


def test_verdicts_name_the_best_swift_strategy_per_kind():
    cells = matrix.matrix_cells(fake_matrix(NS, INSTRUCTIONS), THREADS)
    verdicts = {v["kind"]: v for v in matrix.verdicts(cells, THREADS)}
    assert set(verdicts) == {"point", "holder"}  # kinds with a Swift freelist row that ran
    point = verdicts["point"]
    assert point["fewest_instructions"] == ("perThread", pytest.approx(0.9))
    assert point["fastest"]["1"] == ("perThread", pytest.approx(1.2))
    assert point["fastest"]["4"] == ("perThread", pytest.approx(0.8))
    assert point["pays_at"] == {"mutex": [], "perThread": [1, 2]}
    holder = verdicts["holder"]  # PyO3's twin is not one of the candidates
    assert holder["fewest_instructions"] == ("perThread", pytest.approx(0.85))
    assert holder["pays_at"] == {"perThread": [1, 2, 4]}
    tied = dict(INSTRUCTIONS, **{MUTEX: 722.0})  # within 3 of perThread's 720: one figure
    point = matrix.verdicts(matrix.matrix_cells(fake_matrix(NS, tied), THREADS), THREADS)[0]
    assert point["fewest_instructions"] == ("mutex, perThread", pytest.approx(0.9))


def test_the_document_and_the_plot_series():
    interpreters = {"3.13t": fake_entry(fake_matrix(NS, INSTRUCTIONS)),
                    "3.11": fake_entry(None, free_threaded=False)}
    document = json.loads(json.dumps(matrix.matrix_document(interpreters, THREADS)))  # serialisable
    assert list(document["interpreters"]) == ["3.13t"]  # 3.11 ran no matrix
    assert [k["name"] for k in document["kinds"]] == ["point", "holder", "payload", "named"]
    assert document["strategies"] == rows.MATRIX_STRATEGIES and document["threads"] == THREADS
    series = matrix.plot_series(document)["3.13t"]
    assert list(series) == ["point", "GC holder"]
    names = [(name, swift) for name, swift, _, _ in series["GC holder"]]
    assert names == [("perThread", True), ("PyO3 freelist(32)", False)]  # baselines left out
    name, _, points, instructions = series["point"][1]
    assert name == "perThread" and points[0] == (1, pytest.approx(1.2)) and instructions == pytest.approx(0.9)


# ---------------------------------------------------------------- tables, document, plot

def matrix_report(args, interpreters):
    return {"machine": {"date": "d", "cpu_model": "cpu", "cpu_count": 2, "git_commit": "abc"},
            "load_average": {"start": 0.1, "end": 0.2}, "other_cpu_share": 0.0, "seconds": 1.0,
            "interpreters": interpreters, "targets": [], "errors": [],
            "matrix": matrix.matrix_document(interpreters, args.threads)}


def test_summary_table_puts_the_interpreters_side_by_side():
    interpreters = {"3.13t": fake_entry(fake_matrix(NS, INSTRUCTIONS)),
                    "3.11": fake_entry(fake_matrix({PLAIN: NS[PLAIN], PER_THREAD: NS[PER_THREAD]}), False)}
    document = matrix.matrix_document(interpreters, THREADS)
    lines = report.matrix_summary_table(document, THREADS).splitlines()
    assert lines[0] == ("| kind | strategy | 3.13t instructions (× none) | 3.13t speed × none (1T / 2T / 4T) "
                        "| 3.11 instructions (× none) | 3.11 speed × none (1T / 2T / 4T) |")
    assert len({line.count("|") for line in lines}) == 1 and len(lines) == 2 + 7
    assert lines[2] == "| **point** | none | 800 | 30.0 / 40.0 / 80.0 ns | — | 30.0 / 40.0 / 80.0 ns |"
    assert lines[4] == "|  | perThread | 720 (0.90×) | 1.20 / 1.00 / 0.80 | — | 1.20 / 1.00 / 0.80 |"
    assert "| **GC holder** | none | 1,400 |" in lines[5]
    assert lines[8].startswith("|  | PyO3, freelist(32) | 2,100 (1.05×) | 1.00 / 0.50 / 0.50 | — | — |")


def test_detail_and_verdict_tables():
    figures = fake_matrix(NS, INSTRUCTIONS, statuses={"freelist_matrix.NamedNone": "missing: no class"})
    cells = matrix.matrix_cells(figures, THREADS)
    detail = report.matrix_detail_table(cells, THREADS).splitlines()
    assert len({line.count("|") for line in detail}) == 1
    assert "| `freelist_matrix.HolderPerThread` | Swift, holder, per-thread | 64 + GC | 1,190 | 0.85× |" in detail[6]
    assert detail[-1].startswith("| `freelist_matrix.NamedNone` | Swift, named, no freelist | missing | — |")
    document = {"interpreters": {"3.13t": {"cells": cells, "verdicts": matrix.verdicts(cells, THREADS)}}}
    verdict = report.matrix_verdict_table(document, THREADS).splitlines()
    assert verdict[2] == ("| point | 3.13t | perThread (0.90×) | perThread (1.20×) | perThread (1.00×) "
                          "| perThread (0.80×) | none |")
    assert verdict[3].endswith("| perThread |")


def test_render_and_json_carry_the_matrix():
    args = bench_main.parse_args(["--quick", "--matrix-only"])
    results = matrix_report(args, {"3.13t": fake_entry(fake_matrix(NS, INSTRUCTIONS))})
    markdown = report.render(results, args)
    assert "## When a freelist pays: kinds of object × strategies × threads" in markdown
    assert "### Which strategy, per kind" in markdown and "### The matrix in detail: 3.13t" in markdown
    assert "## 3.13t:" not in markdown  # the matrix alone: no empty section of the main modes
    assert "`cython_points.Holder` have no freelist there" in markdown
    assert "issue" not in markdown.lower()
    document = json.loads(json.dumps(report.json_document(results, args)))
    assert document["matrix"]["interpreters"]["3.13t"]["cells"][0]["key"] == PLAIN
    assert "matrix_plot" not in document["config"] and document["config"]["matrix_only"] is True
    without = dict(results, matrix=None)
    assert "When a freelist pays" not in report.render(without, args)


def test_the_matrix_plot_is_written(tmp_path):
    pytest.importorskip("matplotlib")
    import plot
    document = matrix.matrix_document({"3.13t": fake_entry(fake_matrix(NS, INSTRUCTIONS))}, THREADS)
    path = tmp_path / "matrix.png"
    plot.plot_matrix(matrix.plot_series(document), str(path), "title")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- the run and the flags

def test_parse_args_matrix_flags():
    args = bench_main.parse_args([])
    assert (args.skip_matrix, args.matrix_only, args.matrix_ops) == (False, False, bench_main.DEFAULT_MATRIX_OPS)
    assert args.matrix_plot.endswith(os.path.join("build", "bench", "freelist-matrix.png"))
    assert bench_main.parse_args(["--quick"]).matrix_ops == bench_main.QUICK_OPS
    assert bench_main.parse_args(["--matrix-ops", "1000"]).matrix_ops == 1000
    for bad in (["--skip-matrix", "--matrix-only"], ["--matrix-ops", "-1"]):
        with pytest.raises(SystemExit):
            bench_main.parse_args(bad)


def test_run_matrix_counts_only_the_rows_the_main_run_did_not(monkeypatch):
    specs, counted_keys = [], []

    def run_worker(python, spec, timeout):
        specs.append(spec)
        keys = [row["key"] for row in spec["rows"]]
        return {"ops_per_thread": spec["ops"], "walls": {k: {"1": [0.001]} for k in keys},
                "rows": {k: {"status": "ok"} for k in keys}, "constants": {"immortal": False, "warning": "mortal"}}

    def run_instructions(label, python, build_dir, keys, errors):
        counted_keys.extend(keys)
        return {"iterations": 10, "rows": {k: {"status": "ok", "instructions": 1000.0} for k in keys}}

    monkeypatch.setattr(running, "run_worker", run_worker)
    monkeypatch.setattr(running, "run_instructions", run_instructions)
    args = bench_main.parse_args(["--processes", "2", "--matrix-ops", "5000"])
    selected = [rows.matrix_row_of(key) for key in (PLAIN, PER_THREAD, HOLDER_NONE, PYO3)]
    entry = {"instructions": {"rows": {PLAIN: {"status": "ok", "instructions": 800.0},
                                       PER_THREAD: {"status": "failed", "instructions": None}}},
             "modules": {"points.so": "a", "freelist_matrix.so": "b"}, "warnings": []}
    errors = []
    result = running.run_matrix(args, "3.13t", "/x/python", "/x/build", selected, entry, errors)
    assert errors == [] and len(specs) == 2
    assert {spec["mode"] for spec in specs} == {"matrix"} and specs[0]["ops"] == 5000
    assert counted_keys == [PER_THREAD, HOLDER_NONE]  # PLAIN is reused; pyo3_points is not built
    assert result["instructions"]["rows"][PLAIN]["instructions"] == 800.0
    assert set(result["instructions"]["rows"]) == {PLAIN, PER_THREAD, HOLDER_NONE}
    assert result["raw"]["processes"] == 2 and len(result["raw"]["walls"][PLAIN]["1"]) == 2
    assert result["summary"][PLAIN]["1"]["ns_per_op"] == pytest.approx(1000.0 / 5)
    assert entry["warnings"] == ["mortal"]
    skipped = running.run_matrix(bench_main.parse_args(["--skip-instructions"]), "3.11", "/x/python", "/x",
                                 selected, dict(entry, warnings=[]), errors)
    assert skipped["instructions"] is None


def test_worker_matrix_mode_reports_each_class_size_and_gc_flag():
    spec = {"label": "test", "mode": "matrix", "build_dir": "/nonexistent", "threads": [1], "ops": 100,
            "repeats": 1, "rows": [{"key": "SlotsPoint", "module": "__main__", "cls": "SlotsPoint",
                                    "max_threads": None}]}
    done = subprocess.run([sys.executable, worker.__file__, json.dumps(spec)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1][len(worker.RESULT_PREFIX):])
    assert result["mode"] == "matrix" and len(result["walls"]["SlotsPoint"]["1"]) == 1
    assert result["rows"]["SlotsPoint"]["basicsize"] == worker.SlotsPoint.__basicsize__
    assert result["rows"]["SlotsPoint"]["gc"] is True  # a Python class with __slots__ is garbage-collected
    assert "[test matrix] rep 1/1 SlotsPoint" in done.stderr
