"""Finish a calibration run directory: posterior ranges, the medoid, the figure and a Markdown report."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from missionfit.calibration import patterns
from missionfit.calibration.ensemble import medoid, posterior_ranges
from missionfit.calibration.priors import load_priors
from missionfit.calibration.run import ACCEPTED_FILE, ENSEMBLE_FILE

POSTERIOR_FILE = "posterior.parquet"
MEDOID_FILE = "medoid.json"
REPORT_FILE = "report.md"


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score 95 % interval of a proportion k / n (inside [0, 1] by construction)."""
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # min/max: rounding may put an end a hair inside k / n at k = 0 or k = n
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


def _fmt(x: Any) -> str:
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, (int,)) or (isinstance(x, float) and x.is_integer() and abs(x) >= 10):
        return f"{int(x)}"
    if isinstance(x, float):
        return "n/a" if not math.isfinite(x) else f"{x:.3g}"
    return str(x)


def finish(out: str | Path) -> dict[str, Any]:
    """Write `posterior.parquet`, `medoid.json` (if any set is accepted), `figures/posterior.*` and `report.md`."""
    from missionfit.analysis.calibration import plot_posterior
    from missionfit.analysis.style import save_figure

    out = Path(out)
    summary = json.loads((out / "summary.json").read_text())
    space = load_priors(summary["settings"]["priors"])
    ensemble = pd.read_parquet(out / ENSEMBLE_FILE)
    accepted = pd.read_parquet(out / ACCEPTED_FILE)
    chosen = medoid(space, accepted) if len(accepted) else None
    ranges = posterior_ranges(space, accepted, chosen)
    ranges.to_parquet(out / POSTERIOR_FILE, index=False)
    if chosen is not None:
        (out / MEDOID_FILE).write_text(json.dumps(chosen, indent=2) + "\n")
    fig, _ = plot_posterior(ranges)
    save_figure(fig, out / "figures", "posterior")
    (out / REPORT_FILE).write_text(markdown(summary, ensemble, ranges, chosen))
    return {"medoid": chosen, "posterior": ranges}


def markdown(summary: dict[str, Any], ensemble: pd.DataFrame, ranges: pd.DataFrame, chosen: dict | None) -> str:
    """The report: settings, acceptance with its Wilson interval, each condition's pass rate, posterior table."""
    s = summary["settings"]
    n, k = summary["evaluated"], summary["accepted"]
    lo, hi = wilson(k, n)
    lines = [
        f"# Calibration of `{s['scenario']}` (docs/validation.md §7.1)",
        "",
        f"Prior file `{s['priors']}` (sha256 {s['priors_sha256'][:12]}); {s['days']} days, R_cal = {s['replicates']} "
        f"replicates per set, seed {s['seed']}; Latin hypercube of {s['sets']} sets per round from design seed "
        f"{s['design_seed']}; at least {s['min_accepted']} accepted sets wanted, at most {s['max_rounds']} rounds.",
        "",
        f"**Accepted: {k} of {n} sets evaluated ({100 * k / n:.1f} %, "
        f"Wilson 95 % [{100 * lo:.1f}, {100 * hi:.1f}] %).**"
        if n
        else "**No set was evaluated.**",
        "",
        "| round | design seed | hypercube drawn | points examined | discarded by the orderings | share |",
        "|---|---|---|---|---|---|",
    ]
    for r in summary["rounds"]:
        lines.append(f"| {r['round']} | {r['design_seed']} | {r['drawn']} | {r['examined']} | {r['discarded']} | "
                     f"{100 * r['discarded_share']:.1f} % |")  # fmt: skip
    lines += ["", "Each condition of §4 on its own (share of evaluated sets that meet it):", "",
              "| condition | statistic | threshold | share of sets |", "|---|---|---|---|"]  # fmt: skip
    for label, stat, op, threshold in patterns.CONDITIONS:
        lines.append(f"| {label} | `{stat}` | {op} {threshold:g} | {100 * float(ensemble[label].mean()):.1f} % |")
    lines += ["", "Posterior beside prior (accepted sets; `u` = position in the prior range, 0 = low end):", "",
              "| parameter | rule | prior | accepted 5 % | median | 95 % | u 5-95 % | KS p vs prior | constrained "
              "| medoid |",
              "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for _, r in ranges.iterrows():
        med = _fmt(r["medoid"]) if "medoid" in ranges.columns else "n/a"
        lines.append(
            f"| `{r['parameter']}` | {r['rule']} | [{_fmt(r['prior_low'])}, {_fmt(r['prior_high'])}]"
            f"{' log' if r['log'] else ''} | {_fmt(r['q05'])} | {_fmt(r['median'])} | {_fmt(r['q95'])} | "
            f"{_fmt(r['u_q05'])}-{_fmt(r['u_q95'])} | {_fmt(r['ks_p'])} | {_fmt(bool(r['constrained']))} | {med} |"
        )
    unconstrained = ranges.loc[~ranges["constrained"].astype(bool), "parameter"].tolist()
    lines += ["", f"Not constrained by P1-P3 (accepted coordinates not distinguishable from the prior, KS p ≥ 0.01): "
              f"{', '.join(f'`{p}`' for p in unconstrained) or 'none'}.", ""]  # fmt: skip
    if chosen is None:
        lines.append("No set was accepted, so there is no medoid; the scenario defaults stay as they are.")
    else:
        lines.append(f"Medoid (rank-scaled parameters): round {chosen['round']}, point {chosen['point']} "
                     f"(`{MEDOID_FILE}`).")  # fmt: skip
    return "\n".join(lines) + "\n"
