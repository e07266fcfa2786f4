"""Analysis and publication figures of missionfit outputs (run and sweep directories, MODEL.md §4).

Every plotting function is pure: it takes tidy pandas tables (as read from the output files) and returns
`(fig, axes)`, drawn in the house style of `missionfit.analysis.style` (journal column or page width,
Okabe-Ito colours, TrueType fonts in PDFs). This package does not import the model, Mesa or Hydra, so it
can be used on results copied to a laptop.

Figures and the tables they need:

- `plot_network(units, flows)`: the command structure with realised flows;
- `plot_coherence_matrix(coherence_table(units, flows))`: de Coning & Friis's levels per actor-block pair;
- `plot_goal_by_line(goal_table(metrics, replicates))`: goal realization per mandate line;
- `plot_timeseries(timeseries)`: the rotation, mean and band over replicates;
- `plot_fc_latency(fc_latency)`: ECDF of latency to the Force Commander by source;
- `plot_forest(comparison)`: paired differences from the baseline per arm;
- `plot_fit_landscape(summary)`: goal realization over pairs of fit knobs;
- `plot_sensitivity(sensitivity, method)`: Sobol or Morris indices.

`render(dir)` draws all that apply into `dir/figures/`; `report.write_report(sweep_dir)` writes report.md.
"""

from missionfit.analysis.coherence import (
    LEVELS,
    CoherenceThresholds,
    coherence_level,
    coherence_table,
    plot_coherence_matrix,
)
from missionfit.analysis.figures import FigureResult, render, render_run, render_sweep
from missionfit.analysis.forest import plot_forest
from missionfit.analysis.landscape import plot_fit_landscape
from missionfit.analysis.latency import plot_fc_latency
from missionfit.analysis.network import plot_network
from missionfit.analysis.outcomes import goal_table, plot_goal_by_line
from missionfit.analysis.sensitivity import plot_sensitivity
from missionfit.analysis.stats import mean_ci, paired_differences
from missionfit.analysis.style import COLUMN_WIDTH, PAGE_WIDTH, save_figure
from missionfit.analysis.timeseries import plot_timeseries

__all__ = [
    "COLUMN_WIDTH",
    "LEVELS",
    "PAGE_WIDTH",
    "CoherenceThresholds",
    "FigureResult",
    "coherence_level",
    "coherence_table",
    "goal_table",
    "mean_ci",
    "paired_differences",
    "plot_coherence_matrix",
    "plot_fc_latency",
    "plot_fit_landscape",
    "plot_forest",
    "plot_goal_by_line",
    "plot_network",
    "plot_sensitivity",
    "plot_timeseries",
    "render",
    "render_run",
    "render_sweep",
    "save_figure",
]
