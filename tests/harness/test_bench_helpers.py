"""scripts/bench's pure helpers (scripts/lib/bench/main.py): medians, ratios, tables, targets and
the JSON document; plus one tiny real run of worker.py on this interpreter."""
import importlib.util
import json
import os
import subprocess
import sys

import pytest

BENCH_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "lib", "bench")


def load(name):
    """Imports scripts/lib/bench/<name>.py as bench_<name> (scripts/lib/repro has a main.py too)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", os.path.join(BENCH_DIR, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = load("main")
worker = load("worker")


def fake_walls(ns_by_key, ops, repeats=(1.0, 1.1, 0.9)):
    """Raw walls {key: {T: [...]}} whose median per-thread ns/op is ns_by_key[key][T]."""
    return {key: {str(t): [ns * ops / 1e9 * factor for factor in repeats] for t, ns in cells.items()}
            for key, cells in ns_by_key.items()}


FT_NS = {  # per-thread ns/op: Point meets every 3.13t target
    bench.DEFAULT: {1: 40.0, 2: 42.0, 4: 85.0},
    bench.BASELINE: {1: 50.0, 2: 60.0, 4: 120.0},
    bench.PYO3: {1: 100.0, 2: 400.0, 4: 800.0},
    bench.CYTHON: {1: 45.0, 2: 50.0, 4: 100.0},
}


def ft_summary(ns=FT_NS, ops=1000):
    return bench.summarize(fake_walls(ns, ops), ops, lambda t: t)


def test_median_of_odd_and_even_counts():
    assert bench.median([3.0, 1.0, 2.0]) == 2.0
    assert bench.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert bench.median([7]) == 7
    with pytest.raises(ValueError):
        bench.median([])


def test_ratio_is_baseline_over_row_and_none_when_unknown():
    assert bench.ratio(100.0, 50.0) == 2.0  # the row takes half the time: 2x faster
    assert bench.ratio(50.0, 100.0) == 0.5
    assert bench.ratio(None, 10.0) is None
    assert bench.ratio(10.0, None) is None
    assert bench.ratio(10.0, 0.0) is None


def test_parse_threads():
    assert bench.parse_threads("4,1,2,2") == [1, 2, 4]
    for bad in ("", "0,1", "a,b"):
        with pytest.raises(Exception):
            bench.parse_threads(bad)


def test_summarize_takes_the_median_wall_and_derives_per_thread_and_aggregate_figures():
    walls = {bench.DEFAULT: {"2": [0.3, 0.1, 0.2]}, bench.BASELINE: {"2": [0.4, 0.4, 0.4]}}
    summary = bench.summarize(walls, 1_000_000, lambda t: t)
    cell = summary[bench.DEFAULT]["2"]
    assert cell["median_wall"] == 0.2
    assert cell["ns_per_op"] == pytest.approx(200.0)  # 0.2 s / 1e6 ops per thread
    assert cell["ops_per_s"] == pytest.approx(2 * 1_000_000 / 0.2)  # T * N / wall
    assert cell["vs_baseline"] == pytest.approx(2.0)  # 400 ns / 200 ns
    assert cell["vs_pyo3"] is None  # no PyO3 row in this run
    assert cell["walls"] == [0.3, 0.1, 0.2]  # every repetition kept, in order


def test_summarize_cross_mode_counts_pairs_not_threads():
    summary = bench.summarize({bench.DEFAULT: {"4": [1.0]}}, 1000, lambda t: t // 2)
    assert summary[bench.DEFAULT]["4"]["ops_per_s"] == pytest.approx(2000.0)


def test_other_cpu_share():
    # 2 CPUs for 10 s = 20 CPU-seconds; the machine used 12, the benchmark 8: others used 20 %.
    assert bench.other_cpu_share(12.0, 8.0, 10.0, 2) == pytest.approx(0.2)
    assert bench.other_cpu_share(7.0, 8.0, 10.0, 2) == 0.0  # clock-tick rounding never goes negative
    assert bench.other_cpu_share(None, 8.0, 10.0, 2) is None


def test_number_formatting():
    assert bench.fmt_ns(None) == "—"
    assert bench.fmt_ns(3.14159) == "3.14"
    assert bench.fmt_ns(61.23) == "61.2"
    assert bench.fmt_ns(1234.6) == "1235"
    assert bench.fmt_mops(2.5e6) == "2.50"
    assert bench.fmt_mops(25e6) == "25.0"
    assert bench.fmt_ratio(1.234) == "1.23"
    assert bench.joined([1.0, None], bench.fmt_ratio) == "1.00 / —"


def test_markdown_table_shape():
    table = bench.markdown_table(["row", "binding", "n"], [["a", "b", "1"], ["c", "d", "2"]])
    lines = table.splitlines()
    assert lines[0] == "| row | binding | n |"
    assert lines[1] == "|:---|:---|---:|"
    assert lines[3] == "| c | d | 2 |"
    with pytest.raises(ValueError):
        bench.markdown_table(["a", "b"], [["only one"]])


def test_main_table_has_one_row_per_key_and_marks_missing_and_1t_only_rows():
    summary = ft_summary()
    summary["points.RacyPoint"] = bench.summarize({"points.RacyPoint": {"1": [0.00002]}}, 1000, lambda t: t)[
        "points.RacyPoint"]
    keys = [bench.DEFAULT, bench.BASELINE, "points.RacyPoint", "points.LockFreePoint"]
    statuses = {"points.LockFreePoint": "missing: points has no class LockFreePoint"}
    table = bench.main_table(summary, keys, [1, 2, 4], statuses, {bench.DEFAULT: "mutex"})
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
    summary = bench.summarize(fake_walls({bench.DEFAULT: {2: 10.0, 4: 20.0}, bench.BASELINE: {2: 20.0, 4: 20.0}},
                                         1000), 1000, lambda t: t // 2)
    cross = bench.cross_table(summary, [bench.DEFAULT, bench.BASELINE], [2, 4]).splitlines()
    assert len({line.count("|") for line in cross}) == 1
    assert "2.00 / 1.00" in cross[2]
    churn = bench.churn_table(summary, [bench.DEFAULT], "2").splitlines()
    assert len({line.count("|") for line in churn}) == 1 and len(churn) == 3


def memory_entry(first_mib, all_mib, key=bench.DEFAULT):
    return {"key": key, "status": "ok", "strategy": "mutex",
            "steady": {"status": "ok", "maxrss_kib": 30 * 1024},
            "churn": {"status": "ok", "rss_bytes_first": int(first_mib * 2 ** 20),
                      "rss_bytes_all": int(all_mib * 2 ** 20)}}


def test_memory_row_and_table():
    peak, first, last, difference = bench.memory_row(memory_entry(20.0, 20.5))
    assert (peak, first, last) == (30.0, 20.0, 20.5)
    assert difference == pytest.approx(0.5)
    table = bench.memory_table([memory_entry(20.0, 20.5)], 10_000_000, 100, 1000)
    assert "+0.50" in table and "10,000,000" in table


def results_by_target(targets):
    return {(t["interpreter"], t["target"]): t for t in targets}


def test_targets_all_pass():
    gil = bench.summarize(fake_walls({bench.DEFAULT: {1: 50.0, 2: 50.0, 4: 50.0},
                                      bench.BASELINE: {1: 60.0, 2: 60.0, 4: 60.0}}, 1000), 1000, lambda t: t)
    targets = bench.evaluate_targets(ft_summary(), gil, [memory_entry(20.0, 20.4)], [1, 2, 4])
    assert [t["result"] for t in targets] == ["PASS"] * len(targets)
    by_name = results_by_target(targets)
    assert by_name[("3.13t", "≥ 2× faster than PyO3 freelist at 1T")]["measured"] == pytest.approx(2.5)
    assert by_name[("3.13t", "≥ 5× faster than PyO3 freelist at 2T")]["measured"] == pytest.approx(400 / 42)
    # 3.13t: 2 vs PyO3, 2 vs Cython, 3 vs PlainPoint (one per T), 2T/1T scaling, churn RSS; 3.11: 1.
    assert len(targets) == 10
    assert {t["interpreter"] for t in targets} == {"3.13t", "3.11"}


def test_targets_miss_and_not_measured():
    slow = {key: dict(cells) for key, cells in FT_NS.items()}
    slow[bench.DEFAULT] = {1: 60.0, 2: 120.0, 4: 240.0}  # slower than PlainPoint, no scaling
    targets = bench.evaluate_targets(ft_summary(slow), None, [memory_entry(20.0, 22.0)], [1, 2, 4])
    by_name = results_by_target(targets)
    assert by_name[("3.13t", "≥ 1.1× faster than Swift PlainPoint at 1T")]["result"] == "MISS"
    assert by_name[("3.13t", "aggregate at 2T ≥ 1.8× aggregate at 1T")]["measured"] == pytest.approx(1.0)
    churn = [t for t in targets if "RSS" in t["target"]][0]
    assert (churn["result"], churn["comparison"]) == ("MISS", "<=")
    assert churn["measured"] == pytest.approx(2.0)
    no_memory = bench.evaluate_targets(ft_summary(), None, [], [1, 2, 4])
    assert [t["result"] for t in no_memory if "RSS" in t["target"]] == ["N/A"]
    assert bench.evaluate_targets(None, None, [], [1, 2, 4]) == []


def test_targets_table_marks_each_result():
    table = bench.targets_table(bench.evaluate_targets(ft_summary(), None, [], [1, 2, 4]))
    assert "**PASS**" in table and "**N/A**" in table


def test_select_rows_filters_by_substring():
    keys = [row.key for row in bench.select_rows(bench.ROWS, "pyo3,slots")]
    assert keys == ["pyo3_points.Point", "pyo3_points.PlainPoint", "SlotsPoint"]
    assert bench.select_rows(bench.ROWS, None) == bench.ROWS
    assert [row.key for row in bench.ROWS if row.max_threads == 1] == ["points.RacyPoint"]


def test_parse_args_enforces_five_repeats_unless_quick(capsys):
    args = bench.parse_args([])
    assert (args.ops, args.repeats, args.threads) == (bench.DEFAULT_OPS, 5, [1, 2, 4])
    quick = bench.parse_args(["--quick"])
    assert quick.repeats == 1 and quick.ops < args.ops and quick.memory_ops < args.memory_ops
    with pytest.raises(SystemExit):
        bench.parse_args(["--repeats", "3"])


def report_for(args):
    summary = ft_summary()
    entry = {"python": "/x/python3.13t", "info": {"version": "3.13.5", "free_threaded": True, "soabi": "s"},
             "modes": {"main": {"raw": {"ops_per_thread": 1000, "rows": {k: {"status": "ok"} for k in summary},
                                        "constants": {"immortal": True, "warning": None}},
                                "summary": summary}},
             "memory": [memory_entry(20.0, 20.1)], "warnings": []}
    return {"machine": {"date": "d", "cpu_model": "cpu", "cpu_count": 2, "git_commit": "abc"},
            "load_average": {"start": 0.1, "end": 0.2}, "other_cpu_share": 0.3, "seconds": 1.0,
            "interpreters": {"3.13t": entry},
            "targets": bench.evaluate_targets(summary, None, entry["memory"], args.threads), "errors": []}


def test_json_document_shape_and_render():
    args = bench.parse_args(["--quick"])
    report = report_for(args)
    document = json.loads(json.dumps(bench.json_document(report, args)))  # serialisable
    assert document["schema"] == "pyclasskit-bench/1"
    assert {"config", "machine", "interpreters", "targets", "errors", "seconds"} <= set(document)
    assert "json" not in document["config"] and document["config"]["repeats"] == 1
    cell = document["interpreters"]["3.13t"]["modes"]["main"]["summary"][bench.DEFAULT]["1"]
    assert {"walls", "median_wall", "ns_per_op", "ops_per_s", "vs_baseline", "vs_pyo3"} == set(cell)
    assert all({"interpreter", "target", "measured", "threshold", "result"} <= set(t) for t in document["targets"])
    markdown = bench.render(report, args)
    assert "## Targets" in markdown and "| `points.Point` |" in markdown and "--quick" in markdown
    assert "the machine was busy: other processes used 30%" in markdown
    assert bench.throughput_series(report)["3.13t"][bench.DEFAULT] == [
        (t, report["interpreters"]["3.13t"]["modes"]["main"]["summary"][bench.DEFAULT][str(t)]["ops_per_s"])
        for t in (1, 2, 4)]


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


def test_memory_table_shows_why_a_class_was_not_measured():
    table = bench.memory_table([{"key": "points.LockFreePoint", "status": "missing"}], 10, 1, 2)
    assert table.splitlines()[2] == "| `points.LockFreePoint` | — | missing | missing | missing | missing |"
