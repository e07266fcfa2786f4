"""Fit landscapes: a metric (goal realization by default) as heatmaps over pairs of fit knobs."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from missionfit.analysis.style import COLUMN_WIDTH, PAGE_WIDTH, label, new_figure, publication_style

#: The fit knobs of docs/contract.md, as summary.parquet columns.
FIT_KNOBS = ("fit.strategic", "fit.cultural", "fit.operational")


def swept_knobs(summary: pd.DataFrame, knobs: Sequence[str] = FIT_KNOBS) -> list[str]:
    """The knobs of `knobs` that the sweep varied (at least two levels)."""
    return [k for k in knobs if k in summary.columns and summary[k].nunique(dropna=True) >= 2]


def plot_fit_landscape(
    summary: pd.DataFrame,
    metric: str = "goal_realization",
    knobs: Sequence[str] | None = None,
    width: float | None = None,
    annotate: bool = True,
) -> tuple[Figure, np.ndarray]:
    """One heatmap per pair of swept fit knobs: the mean of `metric` over replicates.

    With three knobs, each panel also averages over the levels of the third (stated in its title).
    All panels share one colour scale, so that cells compare across panels.

    Args:
        summary: `summary.parquet` (one row per job × replicate, knob columns such as `fit.cultural`).
        metric: The metric to map.
        knobs: Knob columns (default: the fit knobs that vary).
        width: Figure width (default: a column for one panel, a page for more).
        annotate: Write the cell means.

    Returns:
        `(fig, axes)`: one axes per pair (the colour bar is attached to the last one).

    Raises:
        ValueError: Fewer than two knobs vary, or `metric` is missing.
    """
    knobs = list(knobs) if knobs is not None else swept_knobs(summary)
    if len(knobs) < 2:
        raise ValueError("a fit landscape needs at least two swept fit knobs")
    if metric not in summary.columns:
        raise ValueError(f"summary has no column {metric!r}")
    pairs = list(itertools.combinations(knobs, 2))
    grids = []
    for x, y in pairs:
        table = summary.groupby([y, x])[metric].mean().unstack(x).sort_index().sort_index(axis=1)
        grids.append(table)
    vmin = min(float(np.nanmin(g.to_numpy())) for g in grids)
    vmax = max(float(np.nanmax(g.to_numpy())) for g in grids)
    if vmax - vmin < 1e-9:
        vmin, vmax = vmin - 0.01, vmax + 0.01
    if width is None:
        width = COLUMN_WIDTH if len(pairs) == 1 else PAGE_WIDTH
    panel = (width - 0.9) / len(pairs)
    height = max(1.9, min(panel * 1.05 + 0.7, 3.6))
    with publication_style():
        fig = new_figure(width, height)
        axes = np.atleast_1d(fig.subplots(1, len(pairs), squeeze=False)[0])
        im = None
        for ax, (x, y), grid in zip(axes, pairs, grids, strict=True):
            data = grid.to_numpy(dtype=float)
            im = ax.imshow(data, origin="lower", cmap="cividis", vmin=vmin, vmax=vmax, aspect="auto")
            im.set_gid("landscape")
            ax.set_xticks(range(grid.shape[1]), [_fmt(v) for v in grid.columns])
            ax.set_yticks(range(grid.shape[0]), [_fmt(v) for v in grid.index])
            ax.set_xlabel(f"{label(x)} (0 = observed, 1 = ideal)" if len(pairs) == 1 else label(x))
            ax.set_ylabel(label(y))
            ax.tick_params(length=0)
            for side in ("left", "bottom"):
                ax.spines[side].set_visible(False)
            others = [k for k in knobs if k not in (x, y)]
            if others:
                ax.set_title("mean over " + ", ".join(label(o).lower() for o in others), fontsize=6.5, color="#444444")
            if annotate and data.size <= 64:
                mid = (vmin + vmax) / 2
                for (i, j), v in np.ndenumerate(data):
                    if np.isfinite(v):
                        ax.text(
                            j,
                            i,
                            f"{v:.2f}",
                            ha="center",
                            va="center",
                            fontsize=6,
                            color="white" if v < mid else "black",
                        )
        cb = fig.colorbar(im, ax=list(axes), shrink=0.9, aspect=18, pad=0.02)
        cb.set_label(f"{label(metric)}\n(mean over replicates)")
        cb.outline.set_linewidth(0.4)
        if len(pairs) > 1:
            fig.supxlabel(
                "Fit knob levels: 0 = the scenario as observed, 1 = ideal fit on that dimension",
                fontsize=6,
                color="#444444",
            )
    return fig, axes


def _fmt(v: object) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{f:g}"
