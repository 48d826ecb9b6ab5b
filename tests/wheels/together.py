"""Run by test_wheels.py with `env -i VENV/bin/python together.py MODULE...`: imports the
installed PyClassKit modules into one process (each with its own copy of the Swift runtime) and
runs 4 threads of create/destroy on each module at once; prints a JSON report.

Exits non-zero (an assertion) if a module is not the installed wheel's, if a Swift runtime
library is loaded from outside the modules, if the GIL came on (free-threaded build), if a
thread failed or saw a wrong value, or if the modules' types mix.
"""
import importlib
import json
import os
import sys
import sysconfig
import threading

THREADS_PER_MODULE = 4
ITERATIONS = 20_000
RING = 8


def main(names):
    free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    modules = [importlib.import_module(name) for name in names]
    site = sysconfig.get_paths()["platlib"]
    for module in modules:
        assert os.path.dirname(module.__file__) == site, (module.__file__, site)
    if free_threaded:
        assert sys._is_gil_enabled() is False, "importing the modules enabled the GIL"

    barrier = threading.Barrier(THREADS_PER_MODULE * len(modules))
    errors = []
    made = [0] * (THREADS_PER_MODULE * len(modules))

    def work(slot, cls):
        try:
            barrier.wait()
            ring = [None] * RING
            for i in range(ITERATIONS):
                point = cls(float(slot), float(i))
                ring[i % RING] = point
                if point.x != slot or point.y != i:
                    raise AssertionError(f"{cls.__module__}.Point read back ({point.x}, {point.y}), not ({slot}, {i})")
                made[slot] += 1
            if len({id(p) for p in ring}) != RING:
                raise AssertionError("two live points share an address")
        except BaseException as error:  # reported by the main thread
            errors.append(f"{type(error).__name__}: {error}")
            barrier.abort()

    threads = [threading.Thread(target=work, args=(index * THREADS_PER_MODULE + t, module.Point))
               for index, module in enumerate(modules) for t in range(THREADS_PER_MODULE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sum(made) == ITERATIONS * len(threads)

    # The modules' classes are distinct types: a point of one is not a point of the other.
    mixed = []
    for a in modules:
        for b in modules:
            if a is not b and hasattr(b, "distance"):
                try:
                    b.distance(a.Point(0, 0), b.Point(3, 4))
                    mixed.append(f"{b.__name__}.distance accepted a {a.__name__}.Point")
                except TypeError:
                    pass
    assert not mixed, mixed

    with open("/proc/self/maps") as maps:
        loaded = sorted({line.split()[-1] for line in maps if len(line.split()) >= 6})
    swift_runtime = [path for path in loaded if os.path.basename(path).startswith("libswift")]
    assert not swift_runtime, f"a Swift runtime library is loaded: {swift_runtime}"
    if free_threaded:
        assert sys._is_gil_enabled() is False, "the GIL came on while the threads ran"

    print(json.dumps({
        "python": sys.version.split()[0],
        "free_threaded": free_threaded,
        "gil_enabled": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True,
        "environment": sorted(os.environ),
        "modules": {module.__name__: module.__file__ for module in modules},
        "threads": len(threads),
        "objects": sum(made),
        "freelists": {module.__name__: module.freelist_stats(module.Point) for module in modules},
        "loaded": [path for path in loaded if any(os.path.basename(path).startswith(n + ".") for n in names)],
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
