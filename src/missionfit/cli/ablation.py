"""The ablation ladder of the v2 core (docs/ODD.md §7.12): each mechanism switched off in turn, then all of them.

Every arm is the full v2 core with one mechanism removed, written as an edit of the composed scenario mapping
(the public API's `scenario_spec`) plus mechanism overrides, so that nothing but that mechanism changes. All arms
run the same replicates (common random numbers: replicate r of every arm shares the world stream), and each is
compared with the full core replicate by replicate: the mean paired difference with the t interval of the paired
differences (`missionfit.analysis.stats.mean_ci`).

An arm whose replicates equal the full core's bit for bit is flagged (`identical`): the switch then acts on
nothing in that scenario, which is a finding, not an error.

Run it as `python -m missionfit.cli.ablation --out DIR` (experiments/ablation/run.sh does).
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import math
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from missionfit.analysis.stats import mean_ci

#: A capacity no consumer can exhaust: at most one action per event, each holding a slot for about a day.
UNLIMITED_CAPACITY = 10_000
#: "Tiny" for the open ranges of the mitigation curve (γ and h must stay > 0): c^γ ≈ 1 and lead/(lead+h) ≈ 1.
TINY = 1e-6

#: Metrics compared, in the order of the tables (dotted names: nested metrics as `replicates.parquet` has them).
METRICS = (
    "goal_realization",
    "goal_realization_by_path.own_sensing",
    "goal_realization_by_path.intel_line",
    "goal_realization_by_path.all_source_fusion",
    "goal_realization_by_path.mission_analysis",
    "goal_realization_by_path.other_analysis",
    "goal_realization_by_path.commander_chain",
    "goal_realization_by_path.baseline",
    "intelligence_share",
    "fc_awareness_rate",
    "asifu_awareness_rate",
    "shared_awareness",
    "false_alarm_rate",
    "capacity_utilisation",
    "duplication",
)

#: Short column names of the markdown tables.
SHORT = {
    "goal_realization": "GR",
    "goal_realization_by_path.own_sensing": "own",
    "goal_realization_by_path.intel_line": "intel line",
    "goal_realization_by_path.all_source_fusion": "ASIFU",
    "goal_realization_by_path.mission_analysis": "JMAC",
    "goal_realization_by_path.other_analysis": "other an.",
    "goal_realization_by_path.commander_chain": "cmd chain",
    "goal_realization_by_path.baseline": "baseline",
    "intelligence_share": "intel share",
    "fc_awareness_rate": "FC aware",
    "asifu_awareness_rate": "ASIFU aware",
    "shared_awareness": "shared aw.",
    "false_alarm_rate": "false alarms",
    "capacity_utilisation": "cap. use",
    "duplication": "duplication",
}


# ------------------------------------------------------------------------------------------------
# the arms: edits of the composed scenario mapping and mechanism overrides


def _profiles(scenario: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The scenario's sensor profiles (the schema's defaults when the file sets none), as an editable mapping."""
    from missionfit.scenario.schema import InformationSpec

    info = scenario.setdefault("information", {})
    if not info.get("sensor_profiles"):
        info["sensor_profiles"] = copy.deepcopy(InformationSpec().sensor_profiles)
    return info["sensor_profiles"]


def all_facets(scenario: dict[str, Any]) -> None:
    """Partial facets off: every sensor profile yields every facet, always."""
    from missionfit.scenario.schema import InformationSpec

    facets = list(scenario.get("information", {}).get("facets") or InformationSpec().facets)
    for prof in _profiles(scenario).values():
        prof["facets"], prof["yield"] = list(facets), 1.0


def no_errors(scenario: dict[str, Any]) -> None:
    """Facet errors off: every profile's error 0 and no sector override."""
    for prof in _profiles(scenario).values():
        prof["error"] = 0.0
    scenario["information"]["sector_error"] = {}


def no_false_events(scenario: dict[str, Any]) -> None:
    """False events off."""
    scenario.setdefault("information", {})["false_event_share"] = 0.0


def _consumer_dicts(scenario: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """Every `consumer:` mapping of the scenario's inheritance layers (group, kind, unit)."""
    layers = [*(scenario.get("group_defaults") or {}).values(), *(scenario.get("kind_defaults") or {}).values()]
    layers += list(scenario.get("units") or [])
    for layer in layers:
        if isinstance(layer, Mapping) and isinstance(layer.get("consumer"), dict):
            yield layer["consumer"]


def unlimited_capacity(scenario: dict[str, Any]) -> None:
    """Capacity unlimited: every consumer that can act gets more slots than it could ever fill.

    A consumer resolves its `consumer:` mapping by merging group, kind and unit layers, so setting the capacity
    in every layer that has one reaches every consumer. Capacity 0 ("never the one who acts") is a role, not a
    limit, and stays.
    """
    for consumer in _consumer_dicts(scenario):
        if consumer.get("capacity", 1) != 0:
            consumer["capacity"] = UNLIMITED_CAPACITY


@dataclass(frozen=True)
class Arm:
    """One rung of the ladder.

    Attributes:
        name: Identifier (file names, CSV).
        label: What is switched off, for the tables.
        edits: Functions editing the composed scenario mapping in place.
        mechanisms: Mechanism overrides.
    """

    name: str
    label: str
    edits: tuple[Callable[[dict[str, Any]], None], ...] = ()
    mechanisms: Mapping[str, float] = field(default_factory=dict)


FLAT_MITIGATION = {
    "mitigation_completeness_exponent": TINY,
    "mitigation_accuracy_weight": 0.0,
    "mitigation_lead_half_days": TINY,
}

#: The single-mechanism arms, in the order of the design (docs/design/v2-core.md §1).
SINGLE_ARMS: tuple[Arm, ...] = (
    Arm("all_facets", "partial facets off (every profile yields all facets, yield 1)", (all_facets,)),
    Arm("no_facet_errors", "facet errors off (error 0, no sector error)", (no_errors,)),
    Arm("no_false_events", "false events off (false_event_share 0)", (no_false_events,)),
    Arm("no_corroboration", "corroboration off (fusion_corroboration 0)", (), {"fusion_corroboration": 0.0}),
    Arm("no_sanitize_strip", "sanitization strip off (sanitize_metadata_strip 0)", (),
        {"sanitize_metadata_strip": 0.0}),
    Arm("no_escalation_loss", "escalation facet loss off (escalation_facet_loss 0)", (),
        {"escalation_facet_loss": 0.0}),
    Arm("unlimited_capacity", f"capacity unlimited (every consumer {UNLIMITED_CAPACITY})", (unlimited_capacity,)),
    Arm("flat_mitigation", "flat mitigation curve (any action mitigates with max_mitigation)", (), FLAT_MITIGATION),
    Arm("no_posture", "posture off (posture_effect 0)", (), {"posture_effect": 0.0}),
    Arm("no_misreading", "misreading on mismatch off (procedure/language_quality_loss 0)", (),
        {"procedure_quality_loss": 0.0, "language_quality_loss": 0.0}),
)


def ladder() -> tuple[Arm, ...]:
    """The full v2 core, each single arm, and all of them together (the "v1-like core")."""
    every = Arm(
        "all_off",
        "all of the above off (v1-like core)",
        tuple(e for a in SINGLE_ARMS for e in a.edits),
        {k: v for a in SINGLE_ARMS for k, v in a.mechanisms.items()},
    )
    return (Arm("full", "full v2 core"), *SINGLE_ARMS, every)


def arm_spec(base: Mapping[str, Any], arm: Arm) -> dict[str, Any]:
    """A copy of a spec (`missionfit.scenario_spec`'s shape) with the arm's scenario edits applied."""
    spec = copy.deepcopy(dict(base))
    for edit in arm.edits:
        edit(spec["scenario"])
    return spec


# ------------------------------------------------------------------------------------------------
# running and comparing


def run_arm(base: Mapping[str, Any], arm: Arm, *, replicates: int, seed: int, days: int) -> pd.DataFrame:
    """The per-replicate metrics of one arm (one row per replicate, nested metrics dotted), with `arm`."""
    from missionfit.api.results import run
    from missionfit.api.spec import build

    scenario = build(arm_spec(base, arm), mechanisms=dict(arm.mechanisms))
    res = run(scenario, replicates=replicates, seed=seed, days=days, events=False)
    return res.replicates.assign(arm=arm.name)


def compare(reps: pd.DataFrame, metrics: Sequence[str] = METRICS, baseline: str = "full") -> pd.DataFrame:
    """Per arm and metric: the full core's and the arm's mean, the mean paired difference and its 95 % t interval.

    `identical` says whether the arm's value of that metric equals the baseline's bit for bit in every replicate;
    `arm_identical` whether that holds for every metric compared (the switch then acts on nothing measured).
    """
    base = reps[reps["arm"] == baseline].set_index("replicate").sort_index()
    metrics = [m for m in metrics if m in reps.columns]
    rows = []
    for arm in dict.fromkeys(reps["arm"]):
        if arm == baseline:
            continue
        other = reps[reps["arm"] == arm].set_index("replicate").sort_index().reindex(base.index)
        same = {m: np.array_equal(other[m].to_numpy(float), base[m].to_numpy(float), equal_nan=True) for m in metrics}
        for m in metrics:
            d = other[m].to_numpy(float) - base[m].to_numpy(float)
            diff, lo, hi, n = mean_ci(d)
            rows.append({
                "arm": arm, "metric": m,
                "full_mean": float(np.nanmean(base[m])), "arm_mean": float(np.nanmean(other[m])),
                "mean_diff": diff, "ci_low": lo, "ci_high": hi, "n": n,
                "identical": same[m], "arm_identical": all(same.values()),
            })
    return pd.DataFrame(rows)


def levels(reps: pd.DataFrame, metrics: Sequence[str] = METRICS) -> pd.DataFrame:
    """Per arm and metric: mean and 95 % t interval over replicates."""
    rows = []
    for arm, df in reps.groupby("arm", sort=False):
        for m in metrics:
            if m in df.columns:
                mean, lo, hi, n = mean_ci(df[m])
                rows.append({"arm": arm, "metric": m, "mean": mean, "ci_low": lo, "ci_high": hi, "n": n})
    return pd.DataFrame(rows)


def _fmt(x: float, digits: int = 1) -> str:
    """A share in percentage points, signed (every metric compared is a share in [0, 1])."""
    return "n/a" if x is None or not math.isfinite(x) else f"{100 * x:+.{digits}f}"


def markdown(
    comp: pd.DataFrame, lev: pd.DataFrame, arms: Sequence[Arm], groups: Sequence[Sequence[str]],
    baseline_label: str = "full v2 core",
) -> str:
    """Markdown tables: the baseline's levels, then per arm Δ (paired mean) [95 % CI], one table per group.

    A metric equal to the full core's bit for bit in every replicate reads "= full"; an arm equal on every metric
    is marked in its label.
    """
    label = {a.name: a.label for a in arms}
    full = lev[lev["arm"] == "full"].set_index("metric")
    out = []
    for cols in groups:
        cols = [c for c in cols if c in full.index]
        out.append("| arm | " + " | ".join(SHORT.get(c, c) for c in cols) + " |")
        out.append("|---|" + "---|" * len(cols))
        levels_row = " | ".join(f"{100 * full.loc[c, 'mean']:.1f}" for c in cols)
        out.append(f"| {baseline_label} (level, %) | {levels_row} |")
        for arm in dict.fromkeys(comp["arm"]):
            df = comp[comp["arm"] == arm].set_index("metric")
            name = label.get(arm, arm) + (" **= full, bit for bit**" if bool(df["arm_identical"].iloc[0]) else "")
            cells = [
                "= full" if bool(df.loc[c, "identical"])
                else f"{_fmt(df.loc[c, 'mean_diff'])} [{_fmt(df.loc[c, 'ci_low'])}, {_fmt(df.loc[c, 'ci_high'])}]"
                for c in cols
            ]
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


#: The two tables of the report: outcomes and their attribution; awareness and operations.
TABLE_GROUPS = (
    METRICS[:9],
    METRICS[9:],
)


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n")


def run_arms(
    runs: Sequence[tuple[str, Callable[[], pd.DataFrame]]], arms_dir: Path, *, resume: bool, tag: str
) -> pd.DataFrame:
    """Run each arm (name, a function returning its per-replicate table) and stack them.

    Each arm's table is written to `arms_dir/<name>.csv` as soon as it is done, so that `resume` (the experiments'
    `--resume`) reads the arms already there and reruns only what is missing. Progress goes to stderr as
    `<tag>: <name>: <seconds> s`.
    """
    frames = []
    for name, run_one in runs:
        path = arms_dir / f"{name}.csv"
        if resume and path.is_file():
            frames.append(pd.read_csv(path))
            continue
        t0 = time.perf_counter()
        df = run_one()
        df.to_csv(path, index=False)
        frames.append(df)
        print(f"{tag}: {name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return pd.concat(frames, ignore_index=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ladder and write replicates.csv, comparison.csv, levels.csv, table.md and provenance.json to `--out`."""
    p = argparse.ArgumentParser(prog="python -m missionfit.cli.ablation", description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--scenario", default="minusma_2015")
    p.add_argument("--replicates", type=int, default=30)
    p.add_argument("--days", type=int, default=180)
    p.add_argument("--seed", type=int, default=2)
    p.add_argument("--resume", action="store_true", help="keep arms already written to OUT/arms/")
    args = p.parse_args(argv)

    from missionfit.api.spec import scenario_spec
    from missionfit.runner.provenance import git_info

    tic = time.perf_counter()
    base = scenario_spec(args.scenario)
    arms = ladder()
    (args.out / "arms").mkdir(parents=True, exist_ok=True)
    git = git_info()
    meta = {
        "scenario": args.scenario, "replicates": args.replicates, "days": args.days, "seed": args.seed,
        "commit": git["commit"], "dirty": git["dirty"], "arms": {a.name: a.label for a in arms},
    }
    # written first, so that an interrupted output directory is recognised as one (experiments/_lib.sh)
    _write_json(args.out / "provenance.json", meta)
    sizes = {"replicates": args.replicates, "seed": args.seed, "days": args.days}
    runs = [(arm.name, functools.partial(run_arm, base, arm, **sizes)) for arm in arms]
    reps = run_arms(runs, args.out / "arms", resume=args.resume, tag="ablation")
    comp, lev = compare(reps), levels(reps)
    reps.to_csv(args.out / "replicates.csv", index=False)
    comp.to_csv(args.out / "comparison.csv", index=False)
    lev.to_csv(args.out / "levels.csv", index=False)
    _write_json(args.out / "provenance.json", {**meta, "seconds": round(time.perf_counter() - tic, 1)})
    head = (
        f"# Ablation ladder: {args.scenario}, {args.days} days, {args.replicates} replicates, seed {args.seed}, "
        f"commit {str(git['commit'])[:7]}{' (dirty)' if git['dirty'] else ''}\n\n"
        "Δ = mean paired difference arm − full v2 core over replicates (common random numbers), in percentage points, "
        "[95 % t interval of the paired differences]; \"= full\": equal to the full core bit for bit in every "
        "replicate. Stylized, uncalibrated defaults.\n\n"
    )
    (args.out / "table.md").write_text(head + markdown(comp, lev, arms, TABLE_GROUPS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
