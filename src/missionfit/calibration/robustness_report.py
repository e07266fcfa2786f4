"""Finish a robustness run: per-set conclusions, their shares, flip regions (PRIM), figures and a report."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from missionfit.calibration import conclusions as judge
from missionfit.calibration.design import unit_column
from missionfit.calibration.robustness import REPLICATES_FILE, SETTINGS_FILE, load_robustness, read_replicates

#: validation.md §7.5: the flip regions are searched where a conclusion flips in at least this share of sets.
FLIP_SHARE = 0.10
#: A PRIM limit is reported when it cuts at least this share of a coordinate's unit range.
CUT = 0.10


def rank_parameters(x: pd.DataFrame, flips, top: int = 5) -> list[dict]:
    """The coordinates whose unit values differ most between flipping and other sets (two-sided Mann-Whitney U).

    A complement to PRIM's box, which on many coordinates and few sets fits noise: each coordinate is tested on its
    own; the p-values are not corrected, and about one in a hundred coordinates reaches p < 0.01 by chance.
    """
    from scipy.stats import mannwhitneyu

    flips = pd.Series(flips, index=x.index).astype(bool)
    rows = []
    for c in x.columns:
        a, b = x.loc[flips, c], x.loc[~flips, c]
        if len(a) < 2 or len(b) < 2:
            continue
        rows.append({"parameter": c, "p": float(mannwhitneyu(a, b).pvalue),
                     "median_flips": float(a.median()), "median_others": float(b.median())})  # fmt: skip
    return sorted(rows, key=lambda r: r["p"])[:top]


def finish(out: str | Path) -> dict[str, pd.DataFrame]:
    """Write `conclusions.parquet`, `shares.parquet`, `prim.json`, `figures/` and `report.md` into a run directory."""
    from missionfit.analysis.prim import choose_box, peel, plot_tradeoff
    from missionfit.analysis.robustness import plot_conclusion
    from missionfit.analysis.style import save_figure

    out = Path(out)
    settings = json.loads((out / SETTINGS_FILE).read_text())
    rob = load_robustness(settings["robustness"])
    complete = (out / REPLICATES_FILE).is_file()
    reps = pd.read_parquet(out / REPLICATES_FILE) if complete else read_replicates(out)
    sets = pd.read_parquet(out / "sets.parquet")
    planned = sets.groupby("ensemble").size().to_dict()
    done = reps.groupby("ensemble")["set"].nunique().to_dict() if len(reps) else {}
    settings["progress"] = {e: f"{done.get(e, 0)} of {n} sets" for e, n in planned.items()}
    settings["complete"] = complete
    judged = judge.outcomes(judge.per_set(rob, reps))
    judged.to_parquet(out / "conclusions.parquet", index=False)
    table = judge.shares(judged)
    table.to_parquet(out / "shares.parquet", index=False)
    regions = {}
    units = [unit_column(n) for n in rob.priors.names]
    for conclusion in dict.fromkeys(judged["conclusion"]):
        fig, _ = plot_conclusion(judged, conclusion, rob.delta)
        save_figure(fig, out / "figures", f"robustness_{conclusion}")
        for ensemble in ("prior", "accepted"):
            part = judged[(judged["ensemble"] == ensemble) & (judged["conclusion"] == conclusion)]
            if part.empty or (part["outcome"] == "flips").mean() < FLIP_SHARE:
                continue
            x = part[["set"]].merge(sets[sets["ensemble"] == ensemble][["set", *units]], on="set")[units]
            x.columns = list(rob.priors.names)
            trajectory = peel(x, (part["outcome"] == "flips").to_numpy())
            box = choose_box(trajectory)
            # a limit counts when it cuts off at least CUT of a coordinate's unit range (PRIM's 5 % peels on 179
            # coordinates and a few hundred sets also trim many coordinates by a hair: noise, not a region)
            restricted = box.restricted({c: (0.0, 1.0) for c in x.columns}, tolerance=CUT)
            order = sorted(restricted, key=lambda k: restricted[k][0] - restricted[k][1])
            regions[f"{ensemble}/{conclusion}"] = {
                "coverage": box.coverage, "density": box.density, "support": box.support,
                "restricted": {k: list(restricted[k]) for k in order},
                "ranked": rank_parameters(x, (part["outcome"] == "flips").to_numpy()),
            }  # fmt: skip
            fig, _ = plot_tradeoff(trajectory, box, f"{conclusion}, {ensemble} ensemble: where it flips")
            save_figure(fig, out / "figures", f"prim_{ensemble}_{conclusion}")
    (out / "prim.json").write_text(json.dumps(regions, indent=2) + "\n")
    base = baseline_levels(rob, reps)
    base.to_parquet(out / "baselines.parquet", index=False)
    (out / "report.md").write_text(markdown(settings, table, regions, base))
    return {"conclusions": judged, "shares": table}


def baseline_levels(rob, reps: pd.DataFrame) -> pd.DataFrame:
    """Per ensemble and baseline arm: the 5 %, 50 % and 95 % quantiles over sets of the set's mean metric."""
    names = [a.name for a in rob.arms if a.baseline is None]
    part = reps[reps["arm"].isin(names)]
    means = part.groupby(["ensemble", "arm", "set"])[rob.metric].mean().reset_index()
    rows = []
    for (ensemble, arm), df in means.groupby(["ensemble", "arm"]):
        q = df[rob.metric].quantile([0.05, 0.5, 0.95]).to_numpy()
        rows.append({"ensemble": ensemble, "arm": arm, "sets": len(df), "q05": q[0], "median": q[1], "q95": q[2]})
    return pd.DataFrame(rows)


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def markdown(settings: dict, table: pd.DataFrame, regions: dict, base: pd.DataFrame | None = None) -> str:
    """The report: per conclusion and ensemble the shares of outcomes, the median ΔGR and MDE, and flip regions."""
    lines = [
        "# Robustness of the conclusions (docs/validation.md §7.5)",
        "",
        f"`{settings['robustness']}`: R_rob = {settings['replicates']} replicates per arm and set, seed "
        f"{settings['seed']}; prior ensemble {settings['prior_sets']} sets; calibration run "
        f"`{settings['calibration']}`. Sets run: {', '.join(f'{k} {v}' for k, v in settings['progress'].items())}"
        f"{'' if settings['complete'] else ' (PARTIAL: the run is not finished; shares are of the sets done)'}. "
        "Outcome of a set: its 95 % BCa interval of ΔGR on the medoid's side of 0 "
        "(holds), on the other side (flips), or containing 0 (undecided); where the medoid's own interval contains 0, "
        "the shares above 0 / below 0 / containing 0. Negligible: TOST against ±δ_GR at α = 0.05.",
        "",
        "| conclusion | ensemble | sets | holds | flips | undecided | above 0 | below 0 | contains 0 | negligible | "
        "median ΔGR | median MDE |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples(index=False):
        lines.append(
            f"| `{r.conclusion}` | {r.ensemble} | {r.sets} | {_pct(r.holds)} | {_pct(r.flips)} | {_pct(r.undecided)} | "
            f"{_pct(r.above)} | {_pct(r.below)} | {_pct(r.contains_0)} | {_pct(r.negligible)} | "
            f"{100 * r.median_diff:+.3f} pp | {100 * r.median_mde:.3f} pp |"
        )
    if base is not None and len(base):
        lines += ["", "Baseline levels (each set's mean over its replicates; quantiles over an ensemble's sets):", "",
                  "| ensemble | baseline | sets | 5 % | median | 95 % |", "|---|---|---|---|---|---|"]  # fmt: skip
        for r in base.itertuples(index=False):
            lines.append(f"| {r.ensemble} | `{r.arm}` | {r.sets} | {r.q05:.3f} | {r.median:.3f} | {r.q95:.3f} |")
    lines += ["", "Flip regions (PRIM, densest box covering at least half of the flipping sets):", ""]
    if not regions:
        lines.append(f"No conclusion flips in {_pct(FLIP_SHARE)} or more of the sets of an ensemble.")
    for key, reg in regions.items():
        limits = "; ".join(f"`{k}` in [{v[0]:.2f}, {v[1]:.2f}]" for k, v in reg["restricted"].items()) or "none"
        ranked = "; ".join(f"`{r['parameter']}` (p = {r['p']:.1g}; median {r['median_flips']:.2f} in flipping sets, "
                           f"{r['median_others']:.2f} in the others)" for r in reg["ranked"])  # fmt: skip
        lines.append(f"- {key}: PRIM box coverage {_pct(reg['coverage'])}, density {_pct(reg['density'])}, "
                     f"support {_pct(reg['support'])}; limits cutting at least {_pct(CUT)} of a unit range: {limits}. "
                     f"Coordinates that differ most on their own (Mann-Whitney, uncorrected): {ranked}")  # fmt: skip
    return "\n".join(lines) + "\n"
