"""PRIM scenario discovery (Friedman & Fisher 1999, as in the EMA Workbench): where in the inputs an outcome is common.

Peeling: from the box that holds every point, repeatedly remove the `alpha` share of points at the low or high end of
one input, whichever removal raises the share of cases (the density) in what is left the most, until fewer than
`min_support` of the points remain. The peeling trajectory trades coverage (the share of all cases inside the box)
against density (the share of cases among the points inside). `choose_box` takes the densest box that still covers
`min_coverage` of the cases, the usual compromise; the trajectory is returned so a reader can pick another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from missionfit.analysis.style import COLUMN_WIDTH, OKABE_ITO, new_figure, publication_style


@dataclass(frozen=True)
class Box:
    """One box of the peeling trajectory: per input its limits, and the box's coverage, density and support."""

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    support: float

    def restricted(self, bounds: dict[str, tuple[float, float]], tolerance: float = 1e-12) -> dict[str, tuple]:
        """The inputs whose limits are tighter than their full range (the box's definition)."""
        return {k: v for k, v in self.limits.items()
                if v[0] > bounds[k][0] + tolerance or v[1] < bounds[k][1] - tolerance}  # fmt: skip


def peel(x: pd.DataFrame, cases: Sequence[bool], alpha: float = 0.05, min_support: float = 0.05) -> list[Box]:
    """The peeling trajectory of PRIM over the columns of `x` for the boolean outcome `cases`.

    Raises:
        ValueError: No case, or `x` and `cases` of different lengths.
    """
    y = np.asarray(cases, dtype=bool)
    if len(y) != len(x):
        raise ValueError("x and cases differ in length")
    if not y.any():
        raise ValueError("no case to discover")
    values = x.to_numpy(dtype=float)
    names = list(x.columns)
    lo, hi = values.min(axis=0).copy(), values.max(axis=0).copy()
    inside = np.ones(len(y), dtype=bool)
    total = y.sum()

    def box() -> Box:
        return Box({n: (float(lo[j]), float(hi[j])) for j, n in enumerate(names)},
                   coverage=float(y[inside].sum() / total), density=float(y[inside].mean()),
                   support=float(inside.mean()))  # fmt: skip

    trajectory = [box()]
    while inside.mean() > min_support:
        best = None
        for j in range(values.shape[1]):
            col = values[inside, j]
            for end in ("low", "high"):
                cut = np.quantile(col, alpha if end == "low" else 1 - alpha)
                keep = inside & ((values[:, j] > cut) if end == "low" else (values[:, j] < cut))
                if keep.sum() == 0 or keep.sum() == inside.sum():
                    continue
                density = y[keep].mean()
                if best is None or density > best[0]:
                    best = (density, j, end, cut, keep)
        if best is None:
            break
        _, j, end, cut, keep = best
        if keep.mean() < min_support:
            break
        inside = keep
        if end == "low":
            lo[j] = cut
        else:
            hi[j] = cut
        trajectory.append(box())
    return trajectory


def choose_box(trajectory: Sequence[Box], min_coverage: float = 0.5) -> Box:
    """The densest box of the trajectory that covers at least `min_coverage` of the cases (the first if none)."""
    eligible = [b for b in trajectory if b.coverage >= min_coverage] or [trajectory[0]]
    return max(eligible, key=lambda b: (b.density, b.coverage))


def plot_tradeoff(trajectory: Sequence[Box], chosen: Box | None = None, title: str = "") -> tuple[Figure, np.ndarray]:
    """Coverage against density along the peeling trajectory, the chosen box marked.

    Returns:
        `(fig, axes)` with one axes.
    """
    with publication_style():
        fig = new_figure(COLUMN_WIDTH, COLUMN_WIDTH * 0.8)
        ax = fig.add_subplot(1, 1, 1)
        ax.plot([b.coverage for b in trajectory], [b.density for b in trajectory], "-o", ms=2.5,
                color=OKABE_ITO["blue"])  # fmt: skip
        if chosen is not None:
            ax.plot(chosen.coverage, chosen.density, "D", mfc="white", mec=OKABE_ITO["vermillion"], ms=6)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("coverage (share of all cases in the box)")
        ax.set_ylabel("density (share of cases in the box)")
        if title:
            ax.set_title(title, fontsize=7)
    return fig, np.array([ax])
