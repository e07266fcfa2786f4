"""Analysis and publication figures of missionfit outputs (run and sweep directories, docs/contract.md).

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
- `plot_sensitivity(sensitivity, method)`: Sobol or Morris indices;
- `plot_path_decomposition(replicates or summary)`: goal realization by attribution path, per arm (v2 core);
- `plot_awareness_curve(events)`: share of imminent security threats the FC knew of x days ahead (v2 core).

`render(dir)` draws all that apply into `dir/figures/`; `report.write_report(sweep_dir)` writes report.md.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the submodule defining it. Loaded on first use (PEP 562), so that importing one light submodule,
#: such as `missionfit.analysis.stats` for the runner's intervals, does not import matplotlib and every figure.
_EXPORTS = {
    "COLUMN_WIDTH": "style",
    "LEVELS": "coherence",
    "PAGE_WIDTH": "style",
    "CoherenceThresholds": "coherence",
    "FigureResult": "figures",
    "coherence_level": "coherence",
    "coherence_table": "coherence",
    "goal_table": "outcomes",
    "mean_ci": "stats",
    "paired_differences": "stats",
    "plot_coherence_matrix": "coherence",
    "plot_fc_latency": "latency",
    "plot_fit_landscape": "landscape",
    "plot_forest": "forest",
    "plot_goal_by_line": "outcomes",
    "plot_awareness_curve": "awareness",
    "plot_network": "network",
    "plot_path_decomposition": "attribution",
    "plot_sensitivity": "sensitivity",
    "plot_timeseries": "timeseries",
    "render": "figures",
    "render_run": "figures",
    "render_sweep": "figures",
    "save_figure": "style",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
