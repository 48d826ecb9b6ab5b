"""What the test modules share: threads started together, freelist statistics, the GIL check, the
freelist strategies."""
import os
import sys
import threading

import points
from conftest import FREE_THREADED_BUILD


def stats(cls):
    return points.freelist_stats(cls)


# Every strategy with a freelist that real classes may use (the Swift catalogue, as
# points.freelist_strategies() reports it): its name -> the `points` classes of it, the plain one
# ("class") and the one checked with canaries ("checked_class").
SAFE_STRATEGIES = {s["name"]: {role: getattr(points, name) for role, name in s["classes"].items()}
                   for s in points.freelist_strategies() if s["safe"] and s["name"] != "none"}


def assert_gil_as_expected():
    """On the free-threaded build (without PYTHON_GIL=1), the GIL is still disabled."""
    if FREE_THREADED_BUILD and os.environ.get("PYTHON_GIL") != "1":
        assert sys._is_gil_enabled() is False


def assert_within_limit(cls):
    """The freelist of `cls` holds no more than it says it can (`limit`)."""
    s = stats(cls)
    assert 0 <= s["cached"] <= s["limit"], s


def run_threads(count, target):
    """Runs target(index) in `count` threads started together; re-raises their errors."""
    barrier = threading.Barrier(count)
    errors = []

    def body(index):
        try:
            barrier.wait()
            target(index)
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
