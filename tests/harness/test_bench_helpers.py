"""scripts/bench's helpers (scripts/lib/bench/): the row catalogue, medians and ratios, tables, the
targets read from targets.json and their evaluation, the JSON document; plus one tiny real run of
worker.py on this interpreter."""
import importlib.util
import json
import os
import subprocess
import sys

import pytest

BENCH_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "lib", "bench")
sys.path.insert(0, BENCH_DIR)  # the modules import each other by name, as when main.py runs as a script
import machine  # noqa: E402
import report  # noqa: E402
import rows  # noqa: E402
import running  # noqa: E402
import stats  # noqa: E402
import targets  # noqa: E402
import worker  # noqa: E402
from rows import BASELINE, DEFAULT, PYO3  # noqa: E402

# scripts/lib/repro has a main.py too: load this one under another name.
_spec = importlib.util.spec_from_file_location("bench_main", os.path.join(BENCH_DIR, "main.py"))
bench_main = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_main)

CYTHON_PLAIN, NANOBIND = "cython_points.PlainPoint", "nanobind_points.Point"


def fake_walls(ns_by_key, ops, repeats=(1.0, 1.1, 0.9)):
    """Raw walls {key: {T: [...]}} whose median per-thread ns/op is ns_by_key[key][T]."""
    return {key: {str(t): [ns * ops / 1e9 * factor for factor in repeats] for t, ns in cells.items()}
            for key, cells in ns_by_key.items()}


FT_NS = {  # per-thread ns/op: Point meets every 3.13t wall-clock target
    DEFAULT: {1: 40.0, 2: 42.0, 4: 85.0},  # 2T aggregate / 1T aggregate = 2 * 40 / 42 = 1.90
    BASELINE: {1: 50.0, 2: 60.0, 4: 120.0},
    PYO3: {1: 100.0, 2: 400.0, 4: 800.0},  # 2.5x at 1T, 9.5x at 2T
    CYTHON_PLAIN: {1: 45.0, 2: 50.0, 4: 100.0},
    NANOBIND: {1: 50.0, 2: 60.0, 4: 120.0},
}
FT_INSTRUCTIONS = {  # instructions per object: Point meets every 3.13t instruction target
    DEFAULT: 800.0, BASELINE: 900.0, "points.MutexPoint": 890.0, "points.PyMutexPoint": 850.0,
    rows.FLOOR: 750.0, rows.PLAIN_FLOOR: 850.0, NANOBIND: 1100.0,
}


def ft_summary(ns=FT_NS, ops=1000):
    return stats.summarize(fake_walls(ns, ops), ops, lambda t: t)


def instruction_counts(figures):
    return {"iterations": 1000,
            "rows": {key: {"status": "ok", "instructions": value} for key, value in figures.items()}}


def memory_entry(first_mib, all_mib, key=DEFAULT):
    return {"key": key, "status": "ok", "strategy": "mutex",
            "steady": {"status": "ok", "maxrss_kib": 30 * 1024},
            "churn": {"status": "ok", "rss_bytes_first": int(first_mib * 2 ** 20),
                      "rss_bytes_all": int(all_mib * 2 ** 20)}}


def fake_entry(summary=None, memory=(), counts=None, statuses=None, free_threaded=True):
    """One interpreter's entry of the report, as running.run_interpreter makes it."""
    modes = {}
    if summary is not None:
        row_statuses = {key: {"status": "ok"} for key in summary}
        row_statuses.update({key: {"status": status} for key, status in (statuses or {}).items()})
        modes["main"] = {"raw": {"ops_per_thread": 1000, "rows": row_statuses,
                                 "constants": {"immortal": True, "warning": None}},
                         "summary": summary}
    return {"python": "/x/python", "info": {"version": "3.13.5", "free_threaded": free_threaded, "soabi": "s"},
            "modes": modes, "memory": list(memory), "instructions": counts, "warnings": []}


def test_median_of_odd_and_even_counts():
    assert stats.median([3.0, 1.0, 2.0]) == 2.0
    assert stats.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert stats.median([7]) == 7
    with pytest.raises(ValueError):
        stats.median([])


def test_ratio_is_baseline_over_row_and_none_when_unknown():
    assert stats.ratio(100.0, 50.0) == 2.0  # the row takes half the time: 2x faster
    assert stats.ratio(50.0, 100.0) == 0.5
    assert stats.ratio(None, 10.0) is None
    assert stats.ratio(10.0, None) is None
    assert stats.ratio(10.0, 0.0) is None


def test_parse_threads():
    assert bench_main.parse_threads("4,1,2,2") == [1, 2, 4]
    for bad in ("", "0,1", "a,b"):
        with pytest.raises(Exception):
            bench_main.parse_threads(bad)


def test_summarize_takes_the_median_wall_and_derives_per_thread_and_aggregate_figures():
    walls = {DEFAULT: {"2": [0.3, 0.1, 0.2]}, BASELINE: {"2": [0.4, 0.4, 0.4]}}
    summary = stats.summarize(walls, 1_000_000, lambda t: t)
    cell = summary[DEFAULT]["2"]
    assert cell["median_wall"] == 0.2
    assert cell["ns_per_op"] == pytest.approx(200.0)  # 0.2 s / 1e6 ops per thread
    assert cell["ops_per_s"] == pytest.approx(2 * 1_000_000 / 0.2)  # T * N / wall
    assert cell["vs_baseline"] == pytest.approx(2.0)  # 400 ns / 200 ns
    assert cell["vs_pyo3"] is None  # no PyO3 row in this run
    assert cell["walls"] == [0.3, 0.1, 0.2]  # every repetition kept, in order


def test_summarize_cross_mode_counts_pairs_not_threads():
    summary = stats.summarize({DEFAULT: {"4": [1.0]}}, 1000, lambda t: t // 2)
    assert summary[DEFAULT]["4"]["ops_per_s"] == pytest.approx(2000.0)


def test_other_cpu_share():
    # 2 CPUs for 10 s = 20 CPU-seconds; the machine used 12, the benchmark 8: others used 20 %.
    assert machine.other_cpu_share(12.0, 8.0, 10.0, 2) == pytest.approx(0.2)
    assert machine.other_cpu_share(7.0, 8.0, 10.0, 2) == 0.0  # clock-tick rounding never goes negative
    assert machine.other_cpu_share(None, 8.0, 10.0, 2) is None


def test_number_formatting():
    assert report.fmt_ns(None) == "—"
    assert report.fmt_ns(3.14159) == "3.14"
    assert report.fmt_ns(61.23) == "61.2"
    assert report.fmt_ns(1234.6) == "1235"
    assert report.fmt_mops(2.5e6) == "2.50"
    assert report.fmt_mops(25e6) == "25.0"
    assert report.fmt_ratio(1.234) == "1.23"
    assert report.fmt_instructions(1234.4) == "1,234"
    assert report.joined([1.0, None], report.fmt_ratio) == "1.00 / —"


def test_markdown_table_shape():
    table = report.markdown_table(["row", "binding", "n"], [["a", "b", "1"], ["c", "d", "2"]])
    lines = table.splitlines()
    assert lines[0] == "| row | binding | n |"
    assert lines[1] == "|:---|:---|---:|"
    assert lines[3] == "| c | d | 2 |"
    with pytest.raises(ValueError):
        report.markdown_table(["a", "b"], [["only one"]])


def test_main_table_has_one_row_per_key_and_marks_missing_and_1t_only_rows():
    summary = ft_summary()
    summary["points.RacyPoint"] = stats.summarize({"points.RacyPoint": {"1": [0.00002]}}, 1000, lambda t: t)[
        "points.RacyPoint"]
    keys = [DEFAULT, BASELINE, "points.RacyPoint", "points.LockFreePoint"]
    statuses = {"points.LockFreePoint": "missing: points has no class LockFreePoint"}
    table = report.main_table(summary, keys, [1, 2, 4], statuses, {DEFAULT: "mutex"})
    lines = table.splitlines()
    assert len(lines) == 2 + len(keys)
    assert all(line.count("|") == lines[0].count("|") for line in lines)
    assert "2T/1T" in lines[0] and "× no-freelist (1T / 2T / 4T)" in lines[0]
    point = lines[2]
    assert "Swift, default = mutex" in point
    assert "| 40.0 | 42.0 | 85.0 |" in point
    assert "1.25 / 1.43 / 1.41" in point  # x no-freelist: 50/40, 60/42, 120/85
    racy = lines[4]
    assert "| — | — |" in racy  # 2T and 4T not run
    assert "missing" in lines[5]


def test_cross_and_churn_tables_have_consistent_columns():
    summary = stats.summarize(fake_walls({DEFAULT: {2: 10.0, 4: 20.0}, BASELINE: {2: 20.0, 4: 20.0}}, 1000),
                              1000, lambda t: t // 2)
    cross = report.cross_table(summary, [DEFAULT, BASELINE], [2, 4]).splitlines()
    assert len({line.count("|") for line in cross}) == 1
    assert "2.00 / 1.00" in cross[2]
    churn = report.churn_table(summary, [DEFAULT], "2").splitlines()
    assert len({line.count("|") for line in churn}) == 1 and len(churn) == 3


def test_memory_row_and_table():
    peak, first, last, difference = stats.memory_row(memory_entry(20.0, 20.5))
    assert (peak, first, last) == (30.0, 20.0, 20.5)
    assert difference == pytest.approx(0.5)
    table = report.memory_table([memory_entry(20.0, 20.5)], 10_000_000, 100, 1000)
    assert "+0.50" in table and "10,000,000" in table


def test_memory_table_shows_why_a_class_was_not_measured():
    table = report.memory_table([{"key": "points.LockFreePoint", "status": "missing"}], 10, 1, 2)
    assert table.splitlines()[2] == "| `points.LockFreePoint` | — | missing | missing | missing | missing |"


def test_instruction_table_shows_counts_and_failures():
    counts = instruction_counts({DEFAULT: 959.4})
    counts["rows"]["pyo3_points.Point"] = {"status": "failed", "instructions": None}
    lines = report.instruction_table(counts["rows"], {DEFAULT: "perThread"}).splitlines()
    assert lines[2] == "| `points.Point` | Swift, default = perThread | 959 |"
    assert lines[3] == "| `pyo3_points.Point` | PyO3, freelist = 32 | failed |"


def test_select_rows_filters_by_substring():
    keys = [row.key for row in rows.select_rows(rows.ROWS, "pyo3,slots")]
    assert keys == ["pyo3_points.Point", "pyo3_points.PlainPoint", "SlotsPoint"]
    assert rows.select_rows(rows.ROWS, None) == rows.ROWS
    assert [row.key for row in rows.ROWS if row.max_threads == 1] == ["points.RacyPoint"]


def test_catalogue_groups():
    assert rows.MODULES == ("points", "pyo3_points", "cython_points", "nanobind_points", "c_points",
                            "c_floor_points")
    assert "SlotsPoint" not in rows.INSTRUCTION_ROWS and len(rows.INSTRUCTION_ROWS) == len(rows.ROWS) - 1
    assert rows.floor_of("points.Point") == rows.FLOOR and rows.floor_of(BASELINE) == rows.PLAIN_FLOOR


def test_instruction_keys_are_the_selected_and_needed_rows_whose_module_is_built():
    snapshot = {f"{module}.cpython-313t-x86_64-linux-gnu.so": "sha" for module in rows.MODULES}
    assert running.instruction_keys(rows.ROWS, set(), snapshot) == rows.INSTRUCTION_ROWS
    slots = rows.select_rows(rows.ROWS, "slots")
    needed = {DEFAULT, NANOBIND}
    assert running.instruction_keys(slots, needed, snapshot) == [DEFAULT, NANOBIND]  # catalogue order
    only_points = {"points.cpython-313t-x86_64-linux-gnu.so": "sha"}
    assert running.instruction_keys(slots, needed, only_points) == [DEFAULT]


def test_parse_args_enforces_five_repeats_unless_quick():
    args = bench_main.parse_args([])
    assert (args.ops, args.repeats, args.threads) == (bench_main.DEFAULT_OPS, 5, [1, 2, 4])
    assert not args.skip_instructions
    quick = bench_main.parse_args(["--quick"])
    assert quick.repeats == 1 and quick.ops < args.ops and quick.memory_ops < args.memory_ops
    assert quick.skip_instructions  # --quick counts no instructions
    assert bench_main.parse_args(["--skip-instructions"]).skip_instructions
    with pytest.raises(SystemExit):
        bench_main.parse_args(["--repeats", "3"])


# ---------------------------------------------------------------- the targets

TARGETS = targets.load_targets()


def passing_interpreters():
    """Made-up figures of both interpreters that meet every target of targets.json."""
    return {"3.13t": fake_entry(ft_summary(), [memory_entry(20.0, 20.4)], instruction_counts(FT_INSTRUCTIONS)),
            "3.11": fake_entry(counts=instruction_counts({DEFAULT: 700.0, BASELINE: 800.0, rows.FLOOR: 650.0}),
                               free_threaded=False)}


def by_description(results, interpreter="3.13t"):
    return {t["description"]: t for t in results if t["interpreter"] == interpreter}


def test_the_data_file_names_known_rows_for_both_interpreters():
    assert len(TARGETS) == 16
    assert {t["source"] for t in TARGETS} == set(targets.SOURCES)
    assert targets.rows_needed(TARGETS, "3.13t", "instructions") == {
        DEFAULT, BASELINE, "points.MutexPoint", "points.PyMutexPoint", rows.FLOOR, rows.PLAIN_FLOOR, NANOBIND}
    assert targets.rows_needed(TARGETS, "3.11", "instructions") == {DEFAULT, BASELINE, rows.FLOOR}
    assert targets.rows_needed(TARGETS, "3.11", "wall clock") == set()


def test_a_malformed_target_is_rejected_with_its_description(tmp_path):
    good = {"interpreter": "3.13t", "description": "d", "source": "wall clock", "threads": 1,
            "row": DEFAULT, "reference": PYO3, "comparison": ">=", "threshold": 2}
    for change, complaint in (({"row": "nope.Point"}, "unknown row"), ({"threads": None}, "needs threads"),
                              ({"comparison": "<"}, "comparison"), ({"source": "instructions"}, "thread count"),
                              ({"interpreter": "3.12"}, "interpreter"), ({"reference": ...}, "needs a reference")):
        target = {key: value for key, value in dict(good, **change).items() if value is not ...}  # ...: no field
        path = tmp_path / "targets.json"
        path.write_text(json.dumps({"targets": [target]}))
        with pytest.raises(ValueError, match=complaint) as failure:
            targets.load_targets(str(path))
        assert "'d'" in str(failure.value) and str(path) in str(failure.value)


def test_every_target_passes_on_figures_that_meet_them():
    results = targets.evaluate_targets(TARGETS, passing_interpreters())
    assert len(results) == len(TARGETS)
    assert [(t["description"], t["result"]) for t in results if t["result"] != "PASS"] == []
    ft = by_description(results)
    pyo3 = ft["`points.Point` ≥ 5× as fast as PyO3's `pyo3_points.Point` at 2T"]
    assert pyo3["measured"] == pytest.approx(400 / 42)  # aggregate Mops/s ratio = inverse ns/op ratio at one T
    assert pyo3["shown"] == "9.52×" and pyo3["figures"] == "47.6 Mops/s at 2T vs 5.00 Mops/s at 2T"
    scaling = ft["`points.Point`'s aggregate at 2T ≥ 1.8× its aggregate at 1T"]
    assert scaling["measured"] == pytest.approx(2 * 40 / 42)
    assert scaling["figures"] == "47.6 Mops/s at 2T vs 25.0 Mops/s at 1T"
    churn = ft["`points.Point`'s thread-churn RSS growth ≤ 1 MiB (after all vs after the first threads)"]
    assert churn["measured"] == pytest.approx(0.4, abs=1e-6) and churn["shown"] == "+0.40 MiB"
    assert churn["figures"] == "+0.40 MiB vs +1.00 MiB"


def test_an_instruction_target_passes_at_its_threshold_and_misses_above_it():
    target = next(t for t in TARGETS if t["interpreter"] == "3.13t" and t["source"] == "instructions"
                  and t["reference"] == rows.FLOOR)
    assert (target["row"], target["comparison"], target["threshold"]) == (DEFAULT, "<=", 1.10)
    at_threshold = targets.evaluate_target(target, fake_entry(counts=instruction_counts({DEFAULT: 959.0,
                                                                                         rows.FLOOR: 872.0})))
    assert at_threshold["result"] == "PASS" and at_threshold["measured"] == pytest.approx(959 / 872)
    assert at_threshold["shown"] == "1.10×" and at_threshold["figures"] == "959 instructions vs 872 instructions"
    above = targets.evaluate_target(target, fake_entry(counts=instruction_counts({DEFAULT: 1000.0,
                                                                                  rows.FLOOR: 872.0})))
    assert above["result"] == "MISS" and above["shown"] == "1.15×"


def test_targets_miss_on_figures_that_fall_short():
    slow = dict(FT_NS, **{DEFAULT: {1: 60.0, 2: 120.0, 4: 240.0}})  # slower than every peer, no scaling
    costly = dict(FT_INSTRUCTIONS, **{"points.MutexPoint": 1030.0})
    results = targets.evaluate_targets(TARGETS, {"3.13t": fake_entry(ft_summary(slow), [memory_entry(20.0, 22.0)],
                                                                     instruction_counts(costly))})
    ft = by_description(results)
    assert {t["interpreter"] for t in results} == {"3.13t"}  # 3.11 did not run: none of its targets
    assert ft["`points.Point` at least as fast as Cython's `cython_points.PlainPoint` at 1T"]["result"] == "MISS"
    assert ft["`points.Point`'s aggregate at 2T ≥ 1.8× its aggregate at 1T"]["measured"] == pytest.approx(1.0)
    assert ft["`points.MutexPoint` ≤ the instructions of `points.PlainPoint`"]["result"] == "MISS"
    assert ft["`points.PyMutexPoint` ≤ the instructions of `points.PlainPoint`"]["result"] == "PASS"
    churn = [t for t in results if t["source"] == "thread-churn RSS"][0]
    assert (churn["result"], churn["measured"]) == ("MISS", pytest.approx(2.0))


def test_a_target_whose_figures_are_missing_is_not_measured():
    no_nanobind = {key: cells for key, cells in FT_NS.items() if key != NANOBIND}
    entry = fake_entry(ft_summary(no_nanobind), [], None,
                       statuses={NANOBIND: "missing: no module named nanobind_points"})
    results = by_description(targets.evaluate_targets(TARGETS, {"3.13t": entry}))
    nanobind = results["`points.Point` at least as fast as nanobind's `nanobind_points.Point` at 2T"]
    assert (nanobind["result"], nanobind["measured"], nanobind["shown"]) == ("not measured", None, "—")
    assert nanobind["figures"] == "no wall-clock figure at 2T for `nanobind_points.Point` (missing: no module named " \
                                  "nanobind_points)"
    instructions = results["`points.MutexPoint` ≤ the instructions of `points.PlainPoint`"]
    assert instructions["result"] == "not measured" and "--skip-instructions" in instructions["figures"]
    churn = [t for t in results.values() if t["source"] == "thread-churn RSS"][0]
    assert churn["figures"] == "no thread-churn RSS for `points.Point`"
    partial = instruction_counts({DEFAULT: 900.0})
    partial["rows"][rows.FLOOR] = {"status": "failed", "instructions": None}
    floor = targets.evaluate_target(TARGETS[0], fake_entry(counts=partial))
    assert floor["figures"] == "no instruction count for `c_floor_points.Point` (failed)"
    only_one_thread = targets.evaluate_target(
        next(t for t in TARGETS if t.get("reference_threads") == 1), fake_entry(stats.summarize(
            fake_walls({DEFAULT: {1: 40.0}}, 1000), 1000, lambda t: t)))
    assert only_one_thread["figures"] == "no wall-clock figure at 2T for `points.Point`"
    assert targets.evaluate_target(TARGETS[6], fake_entry())["figures"] == "the create/destroy mode did not run"


def test_targets_table_prints_description_measured_figures_and_result():
    results = targets.evaluate_targets(TARGETS, {"3.13t": fake_entry(ft_summary())})
    lines = report.targets_table(results).splitlines()
    assert lines[0] == "| interpreter | target | measured | figures | result |"
    assert ("| 3.13t | `points.Point` ≥ 2× as fast as PyO3's `pyo3_points.Point` at 1T | 2.50× | "
            "25.0 Mops/s at 1T vs 10.0 Mops/s at 1T | **PASS** |") in lines
    assert sum("**not measured**" in line for line in lines) == 7  # 6 instruction targets and the churn target


# ---------------------------------------------------------------- the document

def report_for(args):
    summary = ft_summary()
    entry = fake_entry(summary, [memory_entry(20.0, 20.1)], instruction_counts(FT_INSTRUCTIONS))
    return {"machine": {"date": "d", "cpu_model": "cpu", "cpu_count": 2, "git_commit": "abc"},
            "load_average": {"start": 0.1, "end": 0.2}, "other_cpu_share": 0.3, "seconds": 1.0,
            "interpreters": {"3.13t": entry},
            "targets": targets.evaluate_targets(TARGETS, {"3.13t": entry}), "errors": []}


def test_json_document_shape_and_render():
    args = bench_main.parse_args(["--quick"])
    results = report_for(args)
    document = json.loads(json.dumps(report.json_document(results, args)))  # serialisable
    assert document["schema"] == "pyclasskit-bench/2"
    assert {"config", "machine", "interpreters", "targets", "errors", "seconds"} <= set(document)
    assert "json" not in document["config"] and document["config"]["repeats"] == 1
    cell = document["interpreters"]["3.13t"]["modes"]["main"]["summary"][DEFAULT]["1"]
    assert {"walls", "median_wall", "ns_per_op", "ops_per_s", "vs_baseline", "vs_pyo3"} == set(cell)
    assert document["interpreters"]["3.13t"]["instructions"]["rows"][DEFAULT] == {"status": "ok",
                                                                                  "instructions": 800.0}
    assert all({"interpreter", "description", "source", "row", "reference", "comparison", "threshold", "measured",
                "figures", "result"} <= set(t) for t in document["targets"])
    markdown = report.render(results, args)
    assert "## Targets" in markdown and "| `points.Point` |" in markdown and "--quick" in markdown
    assert "### Instructions per `C(1.0, 2.0)`" in markdown
    assert "| `points.MutexPoint` | Swift, mutex | 890 |" in markdown
    assert "issue" not in markdown.lower()
    assert "the machine was busy: other processes used 30%" in markdown
    assert report.throughput_series(results)["3.13t"][DEFAULT] == [
        (t, results["interpreters"]["3.13t"]["modes"]["main"]["summary"][DEFAULT][str(t)]["ops_per_s"])
        for t in (1, 2, 4)]


# ---------------------------------------------------------------- the worker

def test_worker_runs_the_slots_row_and_reports_missing_modules():
    """A real (tiny) worker run on this interpreter: SlotsPoint runs, a module that is not built is 'missing'."""
    spec = {"label": "test", "mode": "main", "build_dir": "/nonexistent", "threads": [1, 2], "ops": 200,
            "repeats": 2, "rows": [{"key": "SlotsPoint", "module": "__main__", "cls": "SlotsPoint",
                                    "max_threads": None},
                                   {"key": "nope.Point", "module": "nope_points", "cls": "Point",
                                    "max_threads": None}]}
    done = subprocess.run([sys.executable, worker.__file__, json.dumps(spec)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1][len(worker.RESULT_PREFIX):])
    assert result["ops_per_thread"] == 200
    assert [len(result["walls"]["SlotsPoint"][t]) for t in ("1", "2")] == [2, 2]
    assert result["rows"]["nope.Point"]["status"].startswith("missing")
    assert "nope.Point" not in result["walls"]
    assert "rep 2/2 SlotsPoint" in done.stderr


def test_worker_rounds_and_thread_counts():
    assert worker.rounds_for(1) == 1 and worker.rounds_for(25) == 3 and worker.rounds_for(30) == 3
    spec = {"threads": [1, 2, 4]}
    assert worker.thread_counts(spec, {"max_threads": 1}) == [1]
    assert worker.thread_counts(spec, {"max_threads": None}) == [1, 2, 4]
