# A package, so that its conftest is `wheels.conftest` and does not shadow tests/conftest.py
# (which tests/support.py imports as `conftest`).
