"""The reproduction harness's classification, checked with tiny child programs that crash, hang,
corrupt or finish cleanly on purpose (scripts/lib/repro/harness.py)."""
import json
import os
import select
import signal
import sys
import textwrap

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "lib", "repro"))
import harness  # noqa: E402

CLEAN_RESULT = {"class": "Fake", "strategy": "fake", "gil_enabled": False, "mismatches": 0, "duplicate_ids": 0,
                "violations": 0, "stats": {"handed_out_twice": 0, "parked_twice": 0, "reads_past_end": 0},
                "operations": 1000, "seconds": 0.5}


def child(source, timeout=30.0):
    """Runs `source` as a child Python program through the harness."""
    return harness.run_trial([sys.executable, "-c", textwrap.dedent(source)], timeout=timeout)


def printing(result, then=""):
    return f"import json\nprint('noise')\nprint({harness.RESULT_PREFIX!r} + json.dumps({result!r}))\n{then}"


@pytest.mark.parametrize("signal_number", [signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL])
def test_death_by_signal_is_a_crash_named_after_the_signal(signal_number):
    trial = child(f"import os\nos.kill(os.getpid(), {int(signal_number)})")
    assert trial.outcome == "crashed"
    assert trial.detail == signal.Signals(signal_number).name
    assert trial.returncode == -signal_number
    assert trial.ops_per_second is None


def test_fatal_python_error_is_a_crash():
    # Py_FatalError aborts: what CPython does when it finds its own state corrupted.
    trial = child("import ctypes\nctypes.pythonapi.Py_FatalError(b'freelist corrupted on purpose')")
    assert (trial.outcome, trial.detail) == ("crashed", "SIGABRT")
    assert "freelist corrupted on purpose" in trial.stderr_tail


def test_non_zero_exit_without_result_is_a_crash():
    trial = child("raise SystemExit(3)")
    assert (trial.outcome, trial.detail) == ("crashed", "exit status 3")


def test_exception_in_child_is_a_crash_with_its_traceback():
    trial = child("raise RuntimeError('boom')")
    assert trial.outcome == "crashed"
    assert "RuntimeError: boom" in trial.stderr_tail


def test_crash_after_the_result_is_still_a_crash():
    trial = child(printing(CLEAN_RESULT, "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"))
    assert trial.outcome == "crashed"
    assert trial.detail == "SIGSEGV after reporting its result"
    assert trial.result == CLEAN_RESULT


def test_success_without_a_result_is_not_clean():
    trial = child("print('finished, but said nothing')")
    assert (trial.outcome, trial.detail) == ("crashed", "exit status 0 without a result")


def test_hang_is_killed_at_the_timeout_with_its_whole_process_group(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    trial = child(f"""
        import subprocess, sys, threading
        grandchild = subprocess.Popen([sys.executable, "-c", "import threading; threading.Event().wait()"])
        open({str(pid_file)!r}, "w").write(str(grandchild.pid))
        threading.Event().wait()
    """, timeout=2.0)
    assert (trial.outcome, trial.detail) == ("hung", "killed after the timeout")
    assert trial.returncode is None
    grandchild = int(pid_file.read_text())
    # The whole session was sent SIGKILL. The grandchild is not our child, so wait for its death
    # through a pidfd, which becomes readable when the process terminates; SIGKILL is delivered
    # asynchronously, so it may still be running for a moment after the harness returns.
    try:
        pidfd = os.pidfd_open(grandchild)
    except ProcessLookupError:
        return  # already gone and reaped
    try:
        readable, _, _ = select.select([pidfd], [], [], 10.0)
        assert readable, f"the grandchild {grandchild} outlived the SIGKILL of its session"
    finally:
        os.close(pidfd)


@pytest.mark.parametrize("change, phrase", [
    ({"violations": 2, "stats": {"handed_out_twice": 2, "parked_twice": 0, "reads_past_end": 0}}, "2 handed out twice"),
    ({"violations": 1, "stats": {"handed_out_twice": 0, "parked_twice": 1, "reads_past_end": 0}}, "1 parked twice"),
    ({"violations": 3, "stats": {"handed_out_twice": 0, "parked_twice": 0, "reads_past_end": 3}}, "3 read past the end"),
    ({"mismatches": 5}, "5 fields read back wrong"),
    ({"duplicate_ids": 1}, "1 duplicate live ids"),
])
def test_reported_damage_is_corruption(change, phrase):
    trial = child(printing({**CLEAN_RESULT, **change}))
    assert trial.outcome == "corrupted"
    assert phrase in trial.detail
    assert trial.ops_per_second == 2000


def test_a_crash_quotes_the_misuse_counted_before_it():
    counters = {"handed_out_twice": 3, "parked_twice": 0, "reads_past_end": 0, "empty_slot_reads": 2}
    trial = child(f"import json, os, signal\n"
                  f"print({harness.COUNTERS_PREFIX!r} + json.dumps({{'handed_out_twice': 1}}))\n"
                  f"print({harness.COUNTERS_PREFIX!r} + json.dumps({counters!r}))\n"
                  f"print({harness.COUNTERS_PREFIX!r} + '{{truncated', flush=True)\n"
                  f"os.kill(os.getpid(), signal.SIGSEGV)")
    assert trial.outcome == "crashed"
    assert trial.detail == "SIGSEGV; counted before: 3 handed out twice, 2 popped an empty slot"
    assert trial.last_counters == counters  # the last line that parses
    cell = harness.Cell("racy", "ft", [trial])
    assert cell.signals() == {"SIGSEGV": 1}  # the evidence does not split the crash kinds


def test_a_crash_without_counted_misuse_names_only_its_signal():
    trial = child(f"import os, signal\nprint({harness.COUNTERS_PREFIX!r} + '{{\"handed_out_twice\": 0}}', flush=True)\n"
                  f"os.kill(os.getpid(), signal.SIGSEGV)")
    assert (trial.outcome, trial.detail) == ("crashed", "SIGSEGV")


def test_clean_run_is_clean_and_has_a_rate():
    trial = child(printing(CLEAN_RESULT))
    assert (trial.outcome, trial.detail) == ("clean", "no damage seen")
    assert trial.result == CLEAN_RESULT
    assert trial.ops_per_second == 2000


def test_result_is_the_last_marked_line_and_garbage_is_ignored():
    first = {**CLEAN_RESULT, "operations": 1}
    stdout = "\n".join([harness.RESULT_PREFIX + json.dumps(first), "text", harness.RESULT_PREFIX + json.dumps(CLEAN_RESULT)])
    assert harness.parse_result(stdout) == CLEAN_RESULT
    assert harness.parse_result(harness.RESULT_PREFIX + "{not json") is None
    assert harness.parse_result("nothing here") is None


def outcome(kind, detail=""):
    return harness.TrialOutcome(kind, detail or kind, 0, None, 0.1, "")


def cell(strategy, mode, kinds):
    return harness.Cell(strategy, mode, [outcome(kind, "SIGSEGV" if kind == "crashed" else "") for kind in kinds])


def test_verdict_accepts_what_the_design_predicts():
    cells = [cell("racy", "ft", ["crashed", "corrupted", "clean", "crashed"]),
             cell("racy", "ft-gil", ["clean"] * 4), cell("mutex", "ft", ["clean"] * 4)]
    assert harness.verdict(cells, racy={"racy"}, free_threaded_modes=["ft"]) == []


def test_verdict_rejects_a_race_that_did_not_reproduce_in_half_the_trials():
    cells = [cell("racy", "ft", ["crashed", "clean", "clean", "hung"])]
    [reason] = harness.verdict(cells, racy={"racy"}, free_threaded_modes=["ft"])
    assert "1 of 4" in reason


def test_verdict_rejects_a_damaged_safe_strategy_or_a_racy_list_under_the_gil():
    cells = [cell("mutex", "ft", ["clean", "corrupted", "clean"]), cell("racy", "3.11", ["hung", "clean"])]
    reasons = harness.verdict(cells, racy={"racy"}, free_threaded_modes=["ft"])
    assert len(reasons) == 2
    assert "mutex on ft" in reasons[0] and "1 corrupted" in reasons[0]
    assert "racy on 3.11" in reasons[1] and "1 hung" in reasons[1]


def test_cell_summary_counts_outcomes_and_crash_kinds():
    summary = cell("racy", "ft", ["crashed", "crashed", "corrupted", "clean"]).summary()
    assert (summary["trials"], summary["crashed"], summary["corrupted"], summary["clean"]) == (4, 2, 1, 1)
    assert summary["crash_kinds"] == {"SIGSEGV": 2}


TSAN_LOG = """==================
WARNING: ThreadSanitizer: data race (pid=1)
  Write of size 8 at 0x7b0400000010 by thread T2:
    #0 $s10PyClassKit22UnsynchronizedFreeListC3popSpySo7_objectVGSgyF <null> (points.so+0x1)
    #1 pyclassAlloc <null> (points.so+0x2)

  Previous read of size 8 at 0x7b0400000010 by thread T1:
    #0 $s10PyClassKit22UnsynchronizedFreeListC4pushyspySo7_objectVGSgAEF <null> (points.so+0x3)

SUMMARY: ThreadSanitizer: data race (points.so+0x1) in $s10PyClassKit22UnsynchronizedFreeListC3pop
==================
==================
WARNING: ThreadSanitizer: data race (pid=1)
  Read of size 8 at 0x7b0400000020 by thread T3:
    #0 _PyObject_GC_Link gc_free_threading.c:1 (libpython3.13t.so+0x4)
    #1 $s10PyClassKit24FreeListCanariesC8checkOutyyF (points.so+0x5)
SUMMARY: ThreadSanitizer: data race gc_free_threading.c:1 in _PyObject_GC_Link
==================
ThreadSanitizer: reported 2 warnings
"""


def test_tsan_reports_are_attributed_to_freelists_by_their_frames():
    import tsan
    found = tsan.analyse(TSAN_LOG)
    assert (found["races"], found["races_in_freelist"]) == (2, 1)
    assert found["frames"][0].startswith("$s10PyClassKit22UnsynchronizedFreeList")
    assert "Write of size 8" in found["example"]
    assert tsan.analyse("no reports at all") == {"races": 0, "races_in_freelist": 0, "example": None, "frames": []}


SWIFT_ACCESS_RACE_LOG = """==================
WARNING: ThreadSanitizer: Swift access race (pid=9023)
  Modifying access of Swift variable at 0x7f6ce6d03528 by thread T3:
    #0 $s6Points7CounterV7methodsSay10PyClassKit0D6MethodVyACGGvgZ (points.so+0x1f817)
    #1 method_vectorcall_FASTCALL_KEYWORDS descrobject.c:420:24 (libpython3.13t.so.1.0+0x131235)
  Previous modifying access of Swift variable at 0x7f6ce6d03528 by thread T2:
    #0 $s6Points7CounterV9increment2byS2i_t10PyClassKit0E5ErrorVYKF (points.so+0x1f8dd)
SUMMARY: ThreadSanitizer: Swift access race (points.so+0x1f817)
==================
WARNING: ThreadSanitizer: data race (pid=9023)
  Read of size 8 at 0x7b0400000020 by thread T3:
    #0 _PyObject_GC_Link gc_free_threading.c:1 (libpython3.13t.so+0x4)
SUMMARY: ThreadSanitizer: data race gc_free_threading.c:1 in _PyObject_GC_Link
==================
"""


def test_tsan_swift_access_races_count_and_are_attributed_to_pyclasskit_code():
    import tsan
    assert len(tsan.reports(SWIFT_ACCESS_RACE_LOG)) == 2
    ours = tsan.pyclasskit_reports(SWIFT_ACCESS_RACE_LOG)
    assert len(ours) == 1 and "Swift access race" in ours[0]
