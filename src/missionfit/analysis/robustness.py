"""Robustness figure: one conclusion's paired ΔGR and 95 % interval in every parameter set of each ensemble."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from missionfit.analysis.style import OKABE_ITO, PAGE_WIDTH, new_figure, publication_style

#: Colour of each outcome (validation.md §7.5).
OUTCOME_COLOURS = {
    "holds": OKABE_ITO["bluish_green"], "flips": OKABE_ITO["vermillion"], "undecided": "#9a9a9a",
    "above": OKABE_ITO["blue"], "below": OKABE_ITO["orange"], "contains_0": "#9a9a9a",
}  # fmt: skip
_NEEDED = ("ensemble", "conclusion", "mean_diff", "ci_low", "ci_high", "outcome")


def plot_conclusion(judged: pd.DataFrame, conclusion: str, delta: float = 0.01) -> tuple[Figure, np.ndarray]:
    """One panel per ensemble (prior, accepted): the sets sorted by ΔGR, each with its interval, coloured by outcome.

    The medoid's estimate is a horizontal line; ±δ dotted lines mark the smallest effect of interest.

    Args:
        judged: `conclusions.parquet` (`missionfit.calibration.conclusions.outcomes`).
        conclusion: The conclusion to draw.
        delta: δ_GR.

    Returns:
        `(fig, axes)`: one axes per ensemble present (of `prior`, `accepted`).
    """
    missing = [c for c in _NEEDED if c not in judged.columns]
    if missing:
        raise ValueError(f"conclusions table lacks {', '.join(missing)}")
    df = judged[judged["conclusion"] == conclusion]
    if df.empty:
        raise ValueError(f"no rows for conclusion {conclusion!r}")
    panels = [e for e in ("prior", "accepted") if (df["ensemble"] == e).any()]
    medoid = df[df["ensemble"] == "medoid"]
    with publication_style():
        fig = new_figure(PAGE_WIDTH, 2.4)
        axes = np.array([fig.add_subplot(1, max(len(panels), 1), i + 1) for i in range(max(len(panels), 1))])
        for ax, ensemble in zip(axes, panels, strict=False):
            part = df[df["ensemble"] == ensemble].sort_values("mean_diff").reset_index(drop=True)
            x = np.arange(len(part))
            colours = [OUTCOME_COLOURS.get(o, "#000000") for o in part["outcome"]]
            ax.vlines(x, part["ci_low"], part["ci_high"], colors=colours, lw=0.8)
            ax.scatter(x, part["mean_diff"], c=colours, s=4, zorder=3)
            ax.axhline(0.0, color="black", lw=0.6)
            for s in (-delta, delta):
                ax.axhline(s, color="black", lw=0.5, ls=":")
            if not medoid.empty:
                ax.axhline(float(medoid["mean_diff"].iloc[0]), color=OKABE_ITO["reddish_purple"], lw=0.8,
                           label="medoid")  # fmt: skip
            counts = part["outcome"].value_counts()
            shares = ", ".join(f"{k} {100 * v / len(part):.0f} %" for k, v in counts.items())
            ax.set_title(f"{ensemble} ensemble ({len(part)} sets): {shares}", fontsize=7)
            ax.set_xlabel("parameter sets, sorted by ΔGR")
        axes[0].set_ylabel(f"Δ goal realization, {conclusion}")
    return fig, axes
