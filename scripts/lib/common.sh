# Shared by every script in scripts/: the cache location, step timing and logging.
# Source it; do not run it.

# Where PyClassKit keeps what it builds outside the checkout (interpreters, peers, venvs).
# Every script honours PYCLASSKIT_CACHE.
PYCLASSKIT_CACHE="${PYCLASSKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pyclasskit}"
export PYCLASSKIT_CACHE

PYCLASSKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PYCLASSKIT_ROOT

# The CPython version the free-threaded interpreter is built from (Debian trixie's python3.13).
PYCLASSKIT_CPYTHON_VERSION=3.13.5

# Prefix of the bootstrapped free-threaded interpreter (plain, or TSan-instrumented).
pyclasskit_python_prefix() {
  case "${1:-plain}" in
    plain) echo "$PYCLASSKIT_CACHE/cpython-$PYCLASSKIT_CPYTHON_VERSION-ft" ;;
    tsan)  echo "$PYCLASSKIT_CACHE/cpython-$PYCLASSKIT_CPYTHON_VERSION-ft-tsan" ;;
    *) echo "unknown interpreter flavour: $1" >&2; return 2 ;;
  esac
}

# The free-threaded interpreter's executable.
pyclasskit_python313t() { echo "$(pyclasskit_python_prefix "${1:-plain}")/bin/python3.13t"; }

# Debian's system Python 3.11 (the one python3-dev's headers belong to).
PYCLASSKIT_PYTHON311="${PYCLASSKIT_PYTHON311:-/usr/bin/python3.11}"

_step_started=0
_step_name=""
# step NAME: announce a step and start its clock.
step() {
  _step_name="$1"
  _step_started=$(date +%s.%N)
  printf '==> %s\n' "$_step_name"
}
# step_done: print the elapsed time of the current step.
step_done() {
  local now; now=$(date +%s.%N)
  awk -v a="$_step_started" -v b="$now" -v n="$_step_name" 'BEGIN { printf "    done: %s (%.1fs)\n", n, b - a }'
}
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
