r"""Tables of the published experiments: CSV (all numbers, machine-readable) and booktabs LaTeX (for the paper).

Reads the runner's outputs and writes into OUT (default: DIR/tables); the command is `missionfit-tables`::

    missionfit-tables baseline        RUN_DIR   [OUT]   # metrics.json/replicates.parquet, flows
    missionfit-tables counterfactuals SWEEP_DIR [OUT]   # comparison.parquet (+ summary.parquet)
    missionfit-tables fit_landscape   SWEEP_DIR [OUT]   # summary.parquet of a fit grid
    missionfit-tables sensitivity     SWEEP_DIR [OUT]   # sensitivity.parquet

The LaTeX needs only `\usepackage{booktabs}`. Shares and indices (the contract's kinds in [0, 1]) are printed in
per cent, their differences in percentage points; intervals are 95% Student-t intervals over replicates (paired for
the counterfactuals) or SALib's bootstrap intervals (sensitivity indices). The CSV files keep the raw values
(shares as fractions).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import yaml

from missionfit.analysis.coherence import coherence_table
from missionfit.analysis.figures import _board_config, _Cache
from missionfit.analysis.forest import KEY_METRICS  # the paper's key metrics, one list for figures and tables
from missionfit.analysis.latex import header_cell, interval, num, tex_escape, write_csv, write_tex
from missionfit.analysis.stats import mean_ci
from missionfit.analysis.style import arm_label, label
from missionfit.contract import (
    ALL_ARM,
    COMPARISON_COLUMNS,
    COMPARISON_FILE,
    CONFIG_FILE,
    FLOWS_FILE,
    REPLICATES_FILE,
    SENSITIVITY_FILE,
    SUMMARY_FILE,
    SWEEP_MANIFEST_FILE,
    UNITS_FILE,
    is_unit_interval,
    parse_arm,
)

PROG = "missionfit-tables"
FIT_KNOBS = ("fit.strategic", "fit.cultural", "fit.operational")
HONESTY = (
    "MINUSMA deployments are Geo-PKO estimates; behavioural and technical parameters are stylized, "
    "so compare configurations with each other rather than read absolute levels."
)


class TablesError(Exception):
    """An input is missing or unsuitable; the message is one line naming it."""


def run_config(run_dir: Path) -> dict:
    """The resolved config of a run directory (`config.yaml`, else `.hydra/config.yaml`), or {}."""
    for p in (run_dir / CONFIG_FILE, run_dir / ".hydra" / "config.yaml"):
        if p.is_file():
            return yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    return {}


def setting(cfg: dict) -> str:
    """`scenario minusma_2015, 180 days, 30 replicates` from a resolved config."""
    scen = cfg.get("scenario")
    name = scen.get("name") if isinstance(scen, dict) else scen
    sim = cfg.get("sim") or {}
    parts = [f"scenario \\texttt{{{tex_escape(name)}}}" if name else None]
    if sim.get("days"):
        parts.append(f"{sim['days']} days")
    if sim.get("replicates"):
        r = int(sim["replicates"])
        parts.append(f"{r} replicate{'s' if r != 1 else ''} per configuration")
    return ", ".join(p for p in parts if p)


def sweep_config(sweep_dir: Path, summary: pd.DataFrame | None) -> dict:
    """The resolved config of the sweep's first job (via `summary.parquet`'s run_dir)."""
    if summary is not None and "run_dir" in summary and len(summary):
        return run_config(sweep_dir / str(summary["run_dir"].iloc[0]))
    return {}


def read_parquet(path: Path) -> pd.DataFrame:
    """Read a parquet file.

    Raises:
        TablesError: The file is missing.
    """
    if not path.is_file():
        raise TablesError(f"{path}: no such file (did the sweep finish?)")
    return pd.read_parquet(path)


# ----------------------------------------------------------------------------------------------------------
# baseline


def baseline_tables(run_dir: Path, out: Path) -> list[Path]:
    """`metrics.csv/.tex` (mean and 95% CI over replicates) and `coherence.csv` of one run directory."""
    rep = read_parquet(run_dir / REPLICATES_FILE)
    cfg = run_config(run_dir)
    rows = []
    for col in rep.columns:
        if col in ("replicate", "seed") or not pd.api.types.is_numeric_dtype(rep[col]):
            continue
        m, lo, hi, n = mean_ci(rep[col])
        rows.append({"metric": col, "label": label(col), "mean": m, "ci_low": lo, "ci_high": hi, "n": n})
    table = pd.DataFrame(rows)
    written = [write_csv(table, out / "metrics.csv")]

    shown = [*KEY_METRICS, "asifu_current_warning_rate", "g2_receipt_from_s2"]
    shown += [c for c in table["metric"] if c.startswith("goal_realization_by_line.")]
    shown += [c for c in table["metric"] if c.startswith("fit_index.")]
    by = table.set_index("metric")
    body = []
    for i, metric in enumerate(m for m in shown if m in by.index):
        r = by.loc[metric]
        if (
            i
            and metric.startswith(("goal_realization_by_line.", "fit_index."))
            and not shown[i - 1].startswith(metric.split(".")[0])
        ):
            body.append(r"\midrule")
        scale = 100.0 if is_unit_interval(metric) else 1.0
        body.append(
            f"{tex_escape(r['label'])} & {num(r['mean'] * scale)} & "
            f"{interval(r['ci_low'] * scale, r['ci_high'] * scale)} \\\\"
        )
    n = int(table["n"].max()) if len(table) else 0
    written.append(
        write_tex(
            out / "metrics.tex",
            source=f"{run_dir.name}/{REPLICATES_FILE}",
            caption=f"The MINUSMA baseline as observed ({setting(cfg)}): mean over {n} replicates and 95\\% "
            "confidence interval, in per cent. Fit indices are measured in the run (0 = no fit, 100 = ideal).",
            tab_label="tab:baseline-metrics",
            colspec="@{}lrl@{}",
            head=["Metric & Mean (\\%) & 95\\% CI"],
            body=body,
            note=HONESTY,
        )
    )

    try:  # the coherence table exactly as the figure computes it (board membership from the resolved config)
        cache = _Cache(run_dir)
        board_edges, directive = _board_config(cache)
        coh = coherence_table(
            cache.need(UNITS_FILE),
            cache.need(FLOWS_FILE),
            board_edges=board_edges,
            boards_directive=directive,
        )
    except Exception as err:  # noqa: BLE001 - the metrics tables stand on their own
        print(f"{PROG}: warning: coherence table not written: {err}", file=sys.stderr)
    else:
        written.append(write_csv(coh, out / "coherence.csv"))
    return written


# ----------------------------------------------------------------------------------------------------------
# counterfactuals


def _arm_order(comp: pd.DataFrame) -> list[str]:
    """Single interventions by their effect on goal realization (largest first), then combinations, `all` last."""
    gr = comp[comp["metric"] == "goal_realization"].groupby("arm")["mean_diff"].mean()
    arms = list(dict.fromkeys(comp["arm"]))
    special = [a for a in arms if parse_arm(a) == (ALL_ARM,)]
    combos = [a for a in arms if a not in special and len(parse_arm(a)) > 1]
    singles = [a for a in arms if a not in special and a not in combos]
    key = lambda a: -gr.get(a, float("-inf"))  # noqa: E731
    return sorted(singles, key=key) + sorted(combos, key=key) + special


def counterfactual_tables(sweep_dir: Path, out: Path) -> list[Path]:
    """`comparison.csv` (every arm × metric), `levels.csv` (every arm's means) and `comparison.tex`."""
    comp = read_parquet(sweep_dir / COMPARISON_FILE)
    summary = read_parquet(sweep_dir / SUMMARY_FILE)
    cfg = sweep_config(sweep_dir, summary)
    extra = [c for c in comp.columns if c not in COMPARISON_COLUMNS]  # separate comparisons per other swept key

    csv = comp.copy()
    csv.insert(csv.columns.get_loc("arm") + 1, "arm_label", csv["arm"].map(arm_label))
    csv.insert(csv.columns.get_loc("metric") + 1, "metric_label", csv["metric"].map(label))
    csv["ci_excludes_zero"] = (csv["ci_low"] > 0) | (csv["ci_high"] < 0)
    order = {a: i for i, a in enumerate(_arm_order(comp))}
    csv = csv.sort_values([*extra, "arm"], key=lambda s: s.map(order) if s.name == "arm" else s, kind="stable")
    written = [write_csv(csv, out / "comparison.csv")]

    # Levels per arm (mean and t-CI over replicates), for the baseline row and for readers of the CSV.
    arm_col = "arm" if "arm" in summary else "interventions"
    metrics = [m for m in comp["metric"].unique() if m in summary]
    level_rows = []
    for key, group in summary.groupby([*extra, arm_col], sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        for metric in metrics:
            m, lo, hi, n = mean_ci(group[metric])
            row = dict(zip([*extra, "arm"], key, strict=True))
            row.update(
                arm_label=arm_label(row["arm"]),
                metric=metric,
                metric_label=label(metric),
                mean=m,
                ci_low=lo,
                ci_high=hi,
                n=n,
            )
            level_rows.append(row)
    levels = pd.DataFrame(level_rows)
    written.append(write_csv(levels, out / "levels.csv"))

    shown = [m for m in KEY_METRICS if m in set(comp["metric"])]
    ncol = 1 + len(extra) + len(shown)
    head = [
        " & ".join(["Intervention", *[header_cell(label(e)) for e in extra], *[header_cell(label(m)) for m in shown]])
    ]
    body: list[str] = []
    groups = comp.groupby(extra, sort=False) if extra else [((), comp)]
    for gkey, group in groups:
        gkey = gkey if isinstance(gkey, tuple) else (gkey,)
        gcells = [tex_escape(v) for v in gkey]
        if body:
            body.append(r"\midrule")
        # the baseline's level first
        base = levels[levels["arm"].map(parse_arm) == ()]
        for e, v in zip(extra, gkey, strict=True):
            base = base[base[e] == v]
        if len(base):
            b = base.set_index("metric")
            cells = [num(100 * b.loc[m, "mean"]) if m in b.index else "--" for m in shown]
            cis = [interval(100 * b.loc[m, "ci_low"], 100 * b.loc[m, "ci_high"]) if m in b.index else "" for m in shown]
            body.append(" & ".join([r"Baseline (as observed), level in \%", *gcells, *cells]) + r" \\")
            body.append(" & ".join(["", *[""] * len(extra), *[rf"{{\footnotesize {c}}}" for c in cis]]) + r" \\")
            body.append(r"\midrule")
            body.append(
                rf"\multicolumn{{{ncol}}}{{@{{}}l}}{{\emph{{Difference from the baseline, percentage points}}}} \\"
            )
        g = group.set_index(["arm", "metric"])
        for arm in _arm_order(group):
            if parse_arm(arm) == (ALL_ARM,) and len(group["arm"].unique()) > 1:
                body.append(r"\addlinespace")
            cells, cis = [], []
            for m in shown:
                if (arm, m) not in g.index:
                    cells.append("--")
                    cis.append("")
                    continue
                r = g.loc[(arm, m)]
                scale = 100.0 if is_unit_interval(m) else 1.0
                text = num(r["mean_diff"] * scale, signed=True)
                if r["ci_low"] > 0 or r["ci_high"] < 0:
                    text = rf"$\mathbf{{{text.strip('$')}}}$"
                cells.append(text)
                cis.append(interval(r["ci_low"] * scale, r["ci_high"] * scale, signed=True))
            body.append(" & ".join([tex_escape(arm_label(arm)), *gcells, *cells]) + r" \\")
            body.append(" & ".join(["", *[""] * len(extra), *[rf"{{\footnotesize {c}}}" for c in cis]]) + r" \\")
    npairs = sorted(set(comp["n"].astype(int)))
    pairs = f"{npairs[0]}" if len(npairs) == 1 else f"{npairs[0]}--{npairs[-1]}"
    written.append(
        write_tex(
            out / "comparison.tex",
            source=f"{sweep_dir.name}/{COMPARISON_FILE}, {SUMMARY_FILE}",
            caption="Paired counterfactual comparison: each of the paper's recommendations alone and all combined, "
            f"against the mission as observed ({setting(cfg)}). Differences are means of the {pairs} paired "
            "replicate differences (replicate $r$ of every arm sees the same ground-truth events) with their "
            "95\\% $t$ interval below; bold: the interval excludes zero.",
            tab_label="tab:counterfactuals",
            colspec="@{}l" + "l" * len(extra) + "r" * len(shown) + "@{}",
            head=head,
            body=body,
            note=HONESTY,
        )
    )
    return written


# ----------------------------------------------------------------------------------------------------------
# fit landscape


def fit_tables(sweep_dir: Path, out: Path) -> list[Path]:
    """`fit_grid.csv` (every grid point: mean and CI of key metrics), `weakest_link.csv`, `fit_grid.tex`."""
    summary = read_parquet(sweep_dir / SUMMARY_FILE)
    cfg = sweep_config(sweep_dir, summary)
    knobs = [k for k in FIT_KNOBS if k in summary and summary[k].nunique() > 1]
    if len(knobs) < 2:
        raise TablesError(f"{sweep_dir}: fewer than two fit knobs vary in {SUMMARY_FILE}")
    metrics = [m for m in KEY_METRICS if m in summary]
    rows = []
    for key, group in summary.groupby(knobs, sort=True):
        row = dict(zip(knobs, key, strict=True))
        row["weakest_link"] = min(key)
        for m in metrics:
            mean, lo, hi, n = mean_ci(group[m])
            row.update({m: mean, f"{m}_ci_low": lo, f"{m}_ci_high": hi})
        row["n"] = len(group)
        rows.append(row)
    grid = pd.DataFrame(rows)
    written = [write_csv(grid, out / "fit_grid.csv")]

    # Weakest link (docs/ODD.md §1, pattern 5): each knob at its lowest level while the others are at their highest.
    top = {k: grid[k].max() for k in knobs}
    low = {k: grid[k].min() for k in knobs}
    at = lambda levels: grid.loc[(grid[knobs] == pd.Series(levels)).all(axis=1)].iloc[0]  # noqa: E731
    best, worst = at(top), at(low)
    wl = []
    for k in knobs:
        r = at({**top, k: low[k]})
        wl.append(
            {
                "low_knob": k,
                "low_knob_label": label(k),
                "goal_realization": r["goal_realization"],
                "ci_low": r["goal_realization_ci_low"],
                "ci_high": r["goal_realization_ci_high"],
                "all_high": best["goal_realization"],
                "all_low": worst["goal_realization"],
                "share_of_gain_lost": (best["goal_realization"] - r["goal_realization"])
                / (best["goal_realization"] - worst["goal_realization"]),
            }
        )
    written.append(write_csv(pd.DataFrame(wl), out / "weakest_link.csv"))

    rows_k, col_k = knobs[:-1], knobs[-1]
    cols = sorted(grid[col_k].unique())
    pivot = grid.pivot_table(index=rows_k, columns=col_k, values="goal_realization", aggfunc="mean")
    head = [
        " & ".join([*["" for _ in rows_k], rf"\multicolumn{{{len(cols)}}}{{c}}{{{tex_escape(label(col_k))}}}"]),
        rf"\cmidrule(l){{{len(rows_k) + 1}-{len(rows_k) + len(cols)}}}"
        + " & ".join([*[tex_escape(label(k)) for k in rows_k], *[num(c, 2) for c in cols]]),
    ]
    body = []
    prev = None
    for idx, r in pivot.iterrows():
        idx = idx if isinstance(idx, tuple) else (idx,)
        if prev is not None and idx[0] != prev and len(rows_k) > 1:
            body.append(r"\addlinespace")
        first = [num(v, 2) if (j or idx[0] != prev) else "" for j, v in enumerate(idx)]
        prev = idx[0]
        body.append(" & ".join([*first, *[num(100 * r[c]) for c in cols]]) + r" \\")
    corner = grid.loc[grid["weakest_link"].idxmax()]
    n = int(grid["n"].min())
    written.append(
        write_tex(
            out / "fit_grid.tex",
            source=f"{sweep_dir.name}/{SUMMARY_FILE}",
            caption="Goal realization (\\%, mean over "
            f"{n} replicates) over the fit grid ({setting(cfg)}); 0 = the mission as observed, 1 = ideal fit on "
            "that dimension. A weakest link (docs/ODD.md \\S7, pattern 5) would show as low values wherever any "
            "one knob is low (see \\texttt{weakest\\_link.csv}). "
            f"Highest cell: {num(100 * corner['goal_realization'])}\\%. Intervals in \\texttt{{fit\\_grid.csv}}.",
            tab_label="tab:fit-grid",
            colspec="@{}" + "l" * len(rows_k) + "r" * len(cols) + "@{}",
            head=head,
            body=body,
            note=HONESTY,
        )
    )
    return written


# ----------------------------------------------------------------------------------------------------------
# sensitivity


def sensitivity_tables(sweep_dir: Path, out: Path) -> list[Path]:
    """`sensitivity.csv` (every index with its interval bounds) and `sensitivity.tex`."""
    sens = read_parquet(sweep_dir / SENSITIVITY_FILE)
    summary = sweep_dir / SUMMARY_FILE
    cfg = sweep_config(sweep_dir, pd.read_parquet(summary) if summary.is_file() else None)
    manifest = sweep_dir / SWEEP_MANIFEST_FILE
    design = (json.loads(manifest.read_text(encoding="utf-8")).get("design") or {}) if manifest.is_file() else {}
    csv = sens.copy()
    csv.insert(csv.columns.get_loc("parameter") + 1, "parameter_label", csv["parameter"].map(label))
    csv.insert(csv.columns.get_loc("metric") + 1, "metric_label", csv["metric"].map(label))
    for c in ("S1", "ST", "mu_star"):
        if c in csv and f"{c}_conf" in csv:
            csv[f"{c}_ci_low"] = csv[c] - csv[f"{c}_conf"]
            csv[f"{c}_ci_high"] = csv[c] + csv[f"{c}_conf"]
    written = [write_csv(csv, out / "sensitivity.csv")]
    methods = list(dict.fromkeys(sens["method"].astype(str)))
    for method in methods:
        name = "sensitivity.tex" if len(methods) == 1 else f"sensitivity_{method}.tex"
        sub = sens[sens["method"].astype(str) == method].dropna(axis=1, how="all")
        written.append(_sensitivity_tex(sub, method, out / name, sweep_dir, cfg, design))
    return written


def _sensitivity_tex(sens: pd.DataFrame, method: str, path: Path, sweep_dir: Path, cfg: dict, design: dict) -> Path:
    """One booktabs table of Sobol or Morris indices, grouped by metric (and by other swept keys)."""
    extra = [
        c
        for c in sens.columns
        if c not in {"method", "parameter", "metric"}
        and c[:2] not in ("S1", "ST", "S2")
        and c not in ("mu_star", "mu_star_conf", "sigma", "mu")
    ]
    order = [m for m in KEY_METRICS if m in set(sens["metric"])] + [
        m for m in dict.fromkeys(sens["metric"]) if m not in KEY_METRICS
    ]
    if method == "sobol":
        head = ["Parameter & First order $S_1$ & 95\\% CI & Total order $S_T$ & 95\\% CI & $S_T - S_1$"]
        colspec, sort_by = "@{}lrlrlr@{}", "ST"
    else:
        head = ["Parameter & $\\mu^*$ & 95\\% CI & $\\sigma$"]
        colspec, sort_by = "@{}lrlr@{}", "mu_star"
    ncol = colspec.count("l") + colspec.count("r")
    body: list[str] = []
    groups = sens.groupby(extra, sort=False) if extra else [((), sens)]
    for gkey, group in groups:
        gkey = gkey if isinstance(gkey, tuple) else (gkey,)
        gtext = ", ".join(f"{tex_escape(label(e))} = {tex_escape(v)}" for e, v in zip(extra, gkey, strict=True))
        for metric in order:
            sub = group[group["metric"] == metric].sort_values(sort_by, ascending=False)
            if sub.empty:
                continue
            if body:
                body.append(r"\midrule")
            title = tex_escape(label(metric)) + (f" ({gtext})" if gtext else "")
            body.append(rf"\multicolumn{{{ncol}}}{{@{{}}l}}{{\emph{{{title}}}}} \\")
            for _, r in sub.iterrows():
                name = r"\quad " + tex_escape(label(r["parameter"]))
                if method == "sobol":
                    cells = [
                        num(r["S1"], 2),
                        interval(r["S1"] - r["S1_conf"], r["S1"] + r["S1_conf"], 2),
                        num(r["ST"], 2),
                        interval(r["ST"] - r["ST_conf"], r["ST"] + r["ST_conf"], 2),
                        num(r["ST"] - r["S1"], 2),
                    ]
                else:
                    cells = [
                        num(r["mu_star"], 3),
                        interval(r["mu_star"] - r["mu_star_conf"], r["mu_star"] + r["mu_star_conf"], 3),
                        num(r["sigma"], 3),
                    ]
                body.append(" & ".join([name, *cells]) + r" \\")
    points = design.get("points")
    n_base = (cfg.get("sensitivity") or {}).get("n")
    what = (
        f"Sobol indices (Saltelli sampling, {n_base} base samples, {points} design points)"
        if method == "sobol"
        else f"Morris elementary effects ({n_base} trajectories, {points} design points)"
    )
    if method == "sobol":
        tail = (
            "$S_T - S_1$ is the share of variance due to interactions. Indices of a few base samples are "
            "noisy and may fall outside $[0, 1]$."
        )
    else:
        tail = "$\\sigma$ comparable to $\\mu^*$ means interactions or non-linearity."
    return write_tex(
        path,
        source=f"{sweep_dir.name}/{SENSITIVITY_FILE}",
        caption=f"Global sensitivity of the key outcomes to the three fit knobs: {what}; each point is "
        f"the mean over its replicates ({setting(cfg)}); 95\\% bootstrap intervals from SALib. {tail}",
        tab_label=f"tab:sensitivity-{method}",
        colspec=colspec,
        head=head,
        body=body,
        note=HONESTY,
    )


# ----------------------------------------------------------------------------------------------------------

KINDS = {
    "baseline": baseline_tables,
    "counterfactuals": counterfactual_tables,
    "fit_landscape": fit_tables,
    "sensitivity": sensitivity_tables,
}
