"""The throughput plot of scripts/bench: aggregate ops/s against threads, one subplot per interpreter.

Needs matplotlib (scripts/bench installs it from PyPI into $PYCLASSKIT_CACHE/venv-bench).
"""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

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
