"""pyclasskit-build: a PEP 517 build backend for Python extension modules written in Swift with
PyClassKit.

A project names it in its ``pyproject.toml``::

    [build-system]
    requires = ["pyclasskit-build"]
    build-backend = "pyclasskit_build"

and ``pip install .``, ``pip wheel .`` or ``python -m build`` then build the project's SwiftPM
product (a dynamic library) in release for the interpreter that runs them, with the Swift
runtime linked in statically and only ``PyInit_<module>`` exported, and package it as a wheel
(made ``manylinux`` by ``auditwheel repair``). See README.md for the ``[tool.pyclasskit]`` table.
"""

from ._version import __version__
from ._backend import (
    build_editable,
    build_sdist,
    build_wheel,
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    get_requires_for_build_wheel,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)

__all__ = [
    "__version__",
    "build_editable",
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_editable",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "prepare_metadata_for_build_wheel",
]
