"""`python -m pyclasskit_build new NAME DIR ...` (also `pyclasskit-build new ...`): a new project."""

import sys


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"} or argv[0] != "new":
        print("usage: python -m pyclasskit_build new NAME DIR [--pyclasskit-path PATH | --pyclasskit-url URL] [--force]\n"
              "  writes a PyClassKit project for the Python module NAME (see `new --help`);\n"
              "  build it with pip install DIR, pip wheel DIR or python -m build DIR", file=sys.stderr)
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    from ._template import main as new

    return new(argv[1:], prog="pyclasskit-build new")


if __name__ == "__main__":
    sys.exit(main())
