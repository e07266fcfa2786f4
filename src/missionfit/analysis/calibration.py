"""Calibration figure: each parameter's accepted range beside its prior (validation.md §7.1, issue 17 §1)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from missionfit.analysis.style import OKABE_ITO, PAGE_WIDTH, new_figure, publication_style

_NEEDED = ("parameter", "u_q05", "u_median", "u_q95", "constrained")


def plot_posterior(
    ranges: pd.DataFrame, width: float = PAGE_WIDTH, parameters: Sequence[str] | None = None
) -> tuple[Figure, np.ndarray]:
    """One row per parameter, on its prior's unit scale: the prior (grey, 0 to 1) and the accepted 90 % range.

    Each parameter is drawn at its position in its own prior range (log-scale priors on the log scale), so that
    parameters of any unit share one axis: 0 is the prior's low end, 1 its high end. A dot marks the accepted
    median, a diamond the medoid (if the table has `u_medoid`). Parameters the calibration patterns constrain
    (`constrained`) are drawn in blue, the others in grey.

    Args:
        ranges: `posterior.parquet` (`missionfit.calibration.ensemble.posterior_ranges`).
        width: Figure width in inches.
        parameters: The parameters to draw, in this order (default: every row of the table).

    Returns:
        `(fig, axes)` with one axes.
    """
    missing = [c for c in _NEEDED if c not in ranges.columns]
    if missing:
        raise ValueError(f"posterior table lacks {', '.join(missing)}")
    df = ranges.reset_index(drop=True)
    if parameters is not None:
        df = df.set_index("parameter").loc[list(parameters)].reset_index()
    n = len(df)
    with publication_style():
        fig = new_figure(width, max(2.0, 0.16 * n + 0.9))
        ax = fig.add_subplot(1, 1, 1)
        y = np.arange(n)[::-1]
        ax.barh(y, np.ones(n), left=0.0, height=0.7, color="#e6e6e6", edgecolor="none", label="prior range")
        for yi, (_, r) in zip(y, df.iterrows(), strict=True):
            color = OKABE_ITO["blue"] if bool(r["constrained"]) else "#7f7f7f"
            if np.isfinite(r["u_q05"]):
                ax.plot([r["u_q05"], r["u_q95"]], [yi, yi], color=color, lw=2.0, solid_capstyle="butt")
                ax.plot(r["u_median"], yi, "o", color=color, ms=3.5)
            if "u_medoid" in df.columns and np.isfinite(r.get("u_medoid", np.nan)):
                ax.plot(r["u_medoid"], yi, "D", mfc="white", mec=OKABE_ITO["vermillion"], ms=4.0)
        ax.set_yticks(y)
        ax.set_yticklabels(df["parameter"].astype(str), fontsize=6)
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.8, n - 0.2)
        ax.set_xlabel("position in the prior range (0 = low end, 1 = high end)")
        ax.set_title("accepted 90 % range (blue: constrained by P1-P3; grey: not), median (dot), medoid (diamond)",
                     fontsize=7)  # fmt: skip
    return fig, np.array([ax])
