"""The plots of scripts/bench: the throughput plot (aggregate ops/s against threads, one subplot per
interpreter) and the freelist matrix's (speed against no freelist, one subplot per interpreter and
kind of object).

Needs matplotlib (scripts/bench installs it from PyPI into $PYCLASSKIT_CACHE/venv-bench).
"""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from rows import MATRIX_STRATEGIES  # noqa: E402

PLAIN = FuncFormatter(lambda value, _: f"{value:g}")  # 2, 4, 10 rather than 2×10^0


def style(key):
    """Line style of a row: Swift solid, PyO3 and nanobind dashed, Cython dash-dot, C and Python dotted."""
    if key.startswith("points."):
        return "-"
    if key.startswith(("pyo3_points.", "nanobind_points.")):
        return "--"
    if key.startswith("cython_points."):
        return "-."
    return ":"


def plot_throughput(series, path, title):
    """series: {interpreter label: {row key: [(threads, aggregate ops/s), ...]}}; writes a PNG."""
    labels = list(series)
    if not labels:
        return
    legend_width = 2.4  # inches on the right for the legend
    figure, axes = plt.subplots(1, len(labels), figsize=(6.5 * len(labels) + legend_width, 5.5), squeeze=False)
    markers = "osD^v<>pPX*hH"
    colors = plt.get_cmap("tab20").colors
    for axis, label in zip(axes[0], labels):
        threads = sorted({t for points in series[label].values() for t, _ in points})
        for index, (key, points) in enumerate(series[label].items()):
            xs = [t for t, _ in points]
            ys = [rate / 1e6 for _, rate in points]
            axis.plot(xs, ys, style(key), marker=markers[index % len(markers)], color=colors[index % len(colors)],
                      label=key)
        axis.set_title(label)
        axis.set_xlabel("threads")
        axis.set_xticks(threads)
        axis.set_yscale("log")
        axis.yaxis.set_major_formatter(PLAIN)
        axis.yaxis.set_minor_formatter(PLAIN)
        axis.set_ylabel("aggregate Mops/s (log scale)")
        axis.grid(True, which="both", alpha=0.3)
    handles, names = axes[0][-1].get_legend_handles_labels()
    figure.legend(handles, names, loc="center right", fontsize="small")
    figure.suptitle(title)
    figure.tight_layout(rect=(0, 0, 1 - legend_width / figure.get_figwidth(), 1))
    figure.savefig(path, dpi=110)
    plt.close(figure)


# A colour for each Swift strategy with a freelist, in the catalogue's order (rows.MATRIX_STRATEGIES;
# "none" is the baseline, not drawn); the peers' lines take tab10's last five colours.
STRATEGY_PALETTE = ["tab:red", "tab:orange", "tab:green", "tab:purple", "tab:blue"]
MATRIX_COLORS = dict(zip([s for s in MATRIX_STRATEGIES if s != "none"], STRATEGY_PALETTE))


def plot_matrix(series, path, title):
    """series: {interpreter: {kind: [(name, is_swift, [(threads, speed vs none)], instructions vs
    none or None)]}} (matrix.plot_series); one row of subplots per interpreter, one column per kind,
    a line per strategy (peers dashed), the instruction ratio in the legend; writes a PNG."""
    labels = list(series)
    kinds = list(dict.fromkeys(kind for per_kind in series.values() for kind in per_kind))
    if not labels or not kinds:
        return
    figure, axes = plt.subplots(len(labels), len(kinds), figsize=(4.2 * len(kinds), 3.8 * len(labels)),
                                squeeze=False, sharey=True)
    peer_colors = iter(plt.get_cmap("tab10").colors[5:])
    colors = dict(MATRIX_COLORS)
    threads = sorted({t for per_kind in series.values() for lines in per_kind.values()
                      for _, _, points, _ in lines for t, _ in points})
    for row, label in enumerate(labels):
        for column, kind in enumerate(kinds):
            axis = axes[row][column]
            for name, swift, points, instructions in series[label].get(kind, []):
                if name not in colors:
                    colors[name] = next(peer_colors, "tab:gray")
                legend = name + ("" if instructions is None else f" ({instructions:.2f}× instr.)")
                axis.plot([t for t, _ in points], [v for _, v in points], "-" if swift else "--", marker="o",
                          color=colors[name], label=legend)
            axis.axhline(1.0, color="black", linewidth=0.8)
            axis.set_title(f"{label}: {kind}")
            axis.set_xticks(threads)
            axis.set_yscale("log", base=2)
            axis.yaxis.set_major_formatter(PLAIN)
            axis.yaxis.set_minor_formatter(PLAIN)
            axis.grid(True, which="both", alpha=0.3)
            if row == len(labels) - 1:
                axis.set_xlabel("threads")
            if column == 0:
                axis.set_ylabel("speed × no freelist (log)")
            axis.legend(fontsize="x-small", loc="best")
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
