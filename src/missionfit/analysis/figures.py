"""Which figures apply to a run or sweep directory, and drawing them all into `DIR/figures/`.

Each figure declares the files it needs; a missing file skips that figure with a one-line note, an
unreadable one marks it failed. Nothing here imports the model, Mesa or Hydra.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from missionfit.analysis import io
from missionfit.analysis.attribution import path_columns, plot_path_decomposition
from missionfit.analysis.awareness import imminent_threats, plot_awareness_curve
from missionfit.analysis.coherence import coherence_table, plot_coherence_matrix
from missionfit.analysis.forest import KEY_METRICS, plot_forest
from missionfit.analysis.landscape import plot_fit_landscape, swept_knobs
from missionfit.analysis.latency import plot_fc_latency
from missionfit.analysis.network import plot_network
from missionfit.analysis.outcomes import goal_table, plot_goal_by_line
from missionfit.analysis.sensitivity import plot_sensitivity, sensitivity_methods
from missionfit.analysis.stats import paired_differences
from missionfit.analysis.style import save_figure
from missionfit.analysis.timeseries import plot_timeseries
from missionfit.contract import (
    COMPARISON_FILE,
    EVENTS_FILE,
    FC_LATENCY_FILE,
    FLOWS_FILE,
    METRICS_FILE,
    REPLICATES_FILE,
    SENSITIVITY_FILE,
    SUMMARY_FILE,
    SWEEP_MANIFEST_FILE,
    TIMESERIES_FILE,
    UNITS_FILE,
    arm_key,
    is_metric,
    parse_arm,
)

#: Figure stems and what they show (used for captions in report.md and docs/figures.md).
CAPTIONS = {
    "network": "Command structure with realised report flows (edge width: reports delivered).",
    "coherence": "Coherence between actor blocks on de Coning & Friis's (2011) six-level scale, derived from "
    "realised flows.",
    "goal_by_line": "Goal realization overall and per mandate line (mean and 95% CI over replicates).",
    "timeseries": "Time series over the rotation (mean over replicates, band: 2.5-97.5% of replicates).",
    "fc_latency": "Latency of reports reaching the Force Commander, by source (empirical CDF).",
    "forest": "Paired difference of each intervention from the baseline (mean and 95% CI).",
    "fit_landscape": "Goal realization over pairs of fit knobs (mean over replicates).",
    "sensitivity_sobol": "Sobol indices (first-order and total) with 95% confidence intervals.",
    "sensitivity_morris": "Morris elementary effects (μ* with 95% CI, and σ).",
    "timeseries_by_arm": "Time series over the rotation per intervention arm (band: 95% CI of the mean).",
    "path_decomposition": "Goal realization decomposed by the path through which the acting consumer's picture "
    "became actionable (mean over replicates; segments sum to goal realization).",
    "awareness_curve": "Share of imminent security threats the Force Commander was aware of at least x days "
    "before the event (pooled over replicates; legend: never-aware share).",
}

#: Most arms drawn as separate lines in `timeseries_by_arm`.
MAX_ARMS_IN_TIMESERIES = 6


@dataclass
class FigureResult:
    """What happened to one figure.

    Attributes:
        name: Figure stem (file name without extension).
        status: `written`, `skipped` (inputs missing or not applicable) or `failed` (inputs unreadable).
        note: One line: the files written, or why not.
        paths: Files written.
    """

    name: str
    status: str
    note: str = ""
    paths: list[Path] = field(default_factory=list)

    def line(self) -> str:
        """The one-line summary printed by `missionfit-figures`."""
        if self.status == "written":
            return f"wrote   {self.name}: " + ", ".join(p.name for p in self.paths)
        return f"{self.status:<7} {self.name}: {self.note}"


class _Skip(Exception):
    """Inputs for a figure are missing or do not apply."""


def render(path: str | Path, outdir: str | Path | None = None) -> tuple[str | None, list[FigureResult]]:
    """Draw every applicable figure of a run or sweep directory.

    Args:
        path: A run directory or a sweep directory.
        outdir: Where to write (default: `path/figures`).

    Returns:
        `(kind, results)`; kind is `run`, `sweep` or `None` (not a run/sweep directory: nothing drawn).
    """
    kind = io.dir_kind(path)
    if kind == "run":
        return kind, render_run(path, outdir)
    if kind == "sweep":
        return kind, render_sweep(path, outdir)
    return None, []


def render_run(run_dir: str | Path, outdir: str | Path | None = None) -> list[FigureResult]:
    """Draw the figures of a run directory.

    network, coherence, goal_by_line, timeseries, fc_latency, and the v2 core's path_decomposition (from the
    `goal_realization_by_path` columns of replicates.parquet) and awareness_curve (from events.parquet).
    """
    run_dir = Path(run_dir)
    out = Path(outdir) if outdir is not None else run_dir / "figures"
    cache = _Cache(run_dir)
    jobs: list[tuple[str, Callable]] = [
        ("network", lambda: plot_network(cache.need(UNITS_FILE), cache.need(FLOWS_FILE))),
        ("coherence", lambda: _coherence(cache)),
        ("goal_by_line", lambda: _goal_by_line(cache)),
        ("timeseries", lambda: plot_timeseries(cache.need(TIMESERIES_FILE))),
        ("fc_latency", lambda: _latency(cache)),
        ("path_decomposition", lambda: _path_decomposition(cache.need(REPLICATES_FILE), REPLICATES_FILE)),
        ("awareness_curve", lambda: _awareness(cache.need(EVENTS_FILE))),
    ]
    return [_draw(name, fn, out) for name, fn in jobs]


def render_sweep(sweep_dir: str | Path, outdir: str | Path | None = None) -> list[FigureResult]:
    """Draw the figures of a sweep directory.

    forest, fit_landscape, sensitivity_*, timeseries_by_arm, and per intervention arm the v2 core's
    path_decomposition (summary.parquet) and awareness_curve (the jobs' events.parquet).
    """
    sweep_dir = Path(sweep_dir)
    out = Path(outdir) if outdir is not None else sweep_dir / "figures"
    cache = _Cache(sweep_dir)
    results = [
        _draw("forest", lambda: plot_forest(sweep_comparison(cache)), out),
        _draw("fit_landscape", lambda: _landscape(cache), out),
    ]
    sens = _try_table(cache, SENSITIVITY_FILE)
    methods = sensitivity_methods(sens) if isinstance(sens, pd.DataFrame) else []
    for method in ("sobol", "morris"):
        if method in methods:
            results.append(_draw(f"sensitivity_{method}", lambda m=method: plot_sensitivity(sens, m), out))
        elif isinstance(sens, FigureResult):
            results.append(FigureResult(f"sensitivity_{method}", sens.status, sens.note))
        else:
            note = "no sensitivity.parquet" if sens is None else f"sensitivity.parquet has no {method} rows"
            results.append(FigureResult(f"sensitivity_{method}", "skipped", note))
    results.append(_draw("timeseries_by_arm", lambda: _timeseries_by_arm(cache), out))
    results.append(_draw("path_decomposition", lambda: _sweep_path_decomposition(cache), out))
    results.append(_draw("awareness_curve", lambda: _sweep_awareness(cache), out))
    return results


def sweep_comparison(cache: _Cache | str | Path) -> pd.DataFrame:
    """`comparison.parquet` if present, else paired differences computed from `summary.parquet`.

    The computed comparison pairs each intervention arm with the baseline arm (`interventions=[]`) on the
    replicate index and every other swept column.

    Raises:
        _Skip: No comparison table and no interventions sweep with a baseline arm.
    """
    cache = cache if isinstance(cache, _Cache) else _Cache(Path(cache))
    comp = cache.get(COMPARISON_FILE)
    if comp is not None and len(comp):
        return comp
    summary = cache.need(SUMMARY_FILE)
    if "interventions" not in summary.columns:
        raise _Skip("no comparison.parquet, and the sweep does not vary 'interventions'")
    arms = set(summary["interventions"].map(arm_key))
    if "[]" not in arms or len(arms) < 2:
        raise _Skip("no comparison.parquet, and the interventions sweep has no baseline arm '[]' to compare with")
    metrics = [m for m in KEY_METRICS if m in summary.columns]
    other = [c for c in swept_columns(summary, cache.root) if c not in ("interventions", "arm")]
    comp = paired_differences(summary, metrics, "interventions", "[]", ("replicate", *other))
    if comp.empty:
        raise _Skip("summary.parquet has no replicate column to pair arms on")
    return comp


def swept_columns(summary: pd.DataFrame, sweep_dir: str | Path | None = None) -> list[str]:
    """Columns of a summary that are swept keys.

    Override-style names (dotted, or `interventions`, `scenario`, `seed`) that vary across jobs and are
    constant within a job, plus the keys the sweep's manifest (`sweep.json`, `swept`) names.
    """
    listed: list[str] = []
    if sweep_dir is not None:
        try:
            manifest = io.read_json(Path(sweep_dir) / SWEEP_MANIFEST_FILE) or {}
        except io.InputError:
            manifest = {}
        listed = [k for k in manifest.get("swept") or [] if isinstance(k, str) and k in summary.columns]
    if "job" not in summary.columns:
        return listed
    per_job = summary.groupby("job").first()
    out = []
    for c in per_job.columns:
        if c in ("replicate", "seed"):
            continue
        is_key = (
            "." in c
            and not is_metric(c)  # goal_realization_by_line.*, fit_index.*, the v2 core's nested metrics
            or c
            in (
                "interventions",
                "scenario",
                "seed",
            )
        )
        if is_key and summary.groupby("job")[c].nunique(dropna=False).max() <= 1:
            if per_job[c].map(_hashable).nunique(dropna=False) > 1:
                out.append(c)
    out = list(dict.fromkeys([*listed, *out]))
    first = ["interventions", "scenario", "fit.strategic", "fit.cultural", "fit.operational"]
    return sorted(out, key=lambda c: (first.index(c) if c in first else len(first), c))


def _hashable(v: object) -> object:
    if hasattr(v, "tolist"):
        v = v.tolist()
    return tuple(v) if isinstance(v, list) else v


class _Cache:
    """Reads each input file once; remembers unreadable files."""

    def __init__(self, root: Path):
        self.root = root
        self._tables: dict[str, object] = {}

    def get(self, name: str):
        if name not in self._tables:
            path = self.root / name
            self._tables[name] = io.read_json(path) if name.endswith(".json") else io.read_table(path)
        return self._tables[name]

    def need(self, name: str):
        value = self.get(name)
        if value is None:
            raise _Skip(f"no {name}")
        return value


def _try_table(cache: _Cache, name: str):
    try:
        return cache.get(name)
    except io.InputError as exc:
        return FigureResult(name, "failed", str(exc))


def _draw(name: str, fn: Callable, out: Path) -> FigureResult:
    try:
        fig, _ = fn()
    except _Skip as exc:
        return FigureResult(name, "skipped", str(exc))
    except io.InputError as exc:
        return FigureResult(name, "failed", str(exc))
    except (KeyError, ValueError, TypeError) as exc:
        return FigureResult(name, "failed", f"inputs not as expected: {_one_line(exc)}")
    return FigureResult(name, "written", paths=save_figure(fig, out, name))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:200]


def _coherence(cache: _Cache):
    units, flows = cache.need(UNITS_FILE), cache.need(FLOWS_FILE)
    board_edges, boards_directive = _board_config(cache)
    table = coherence_table(units, flows, board_edges=board_edges, boards_directive=boards_directive)
    if table.empty:
        raise _Skip("no flows between known units")
    return plot_coherence_matrix(table)


def _board_config(cache: _Cache) -> tuple[pd.DataFrame | None, bool]:
    """Board membership edges of the resolved config's scenario, and whether an intervention makes them directive.

    The resolved config holds the scenario before interventions, so an intervention that makes every board edge
    directive (`jcb_directive`) is read from the patches under `interventions`.
    """
    cfg = io.read_config(cache.root) or {}
    edges = [e for e in io.get(cfg, "scenario.edges", []) or [] if isinstance(e, dict) and e.get("type") == "board"]
    table = (
        pd.DataFrame(
            [
                {
                    "source": str(e.get("source")),
                    "target": str(e.get("target")),
                    "directive": bool(e.get("directive")),
                }
                for e in edges
            ]
        )
        if edges
        else None
    )
    return table, _makes_boards_directive(io.get(cfg, "interventions"))


def _makes_boards_directive(interventions: object) -> bool:
    """Whether an applied intervention sets every board edge `directive: true` (as `jcb_directive` does).

    Read from the patches in the resolved config; a run directory that lists only names falls back on the name.
    """
    if not isinstance(interventions, dict):
        return "jcb_directive" in parse_arm(interventions)
    for patch in interventions.values():
        if not isinstance(patch, dict):
            continue
        for op in patch.get("set_edges") or []:
            types = (op.get("select") or {}).get("type")
            if "board" in (types if isinstance(types, list) else [types]) and (op.get("set") or {}).get("directive"):
                return True
    return False


def _goal_by_line(cache: _Cache):
    metrics = cache.get(METRICS_FILE)
    reps = cache.get(REPLICATES_FILE)
    if metrics is None and reps is None:
        raise _Skip("no metrics.json or replicates.parquet")
    table = goal_table(metrics, reps)
    if table.empty:
        raise _Skip("no goal_realization values in metrics.json or replicates.parquet")
    return plot_goal_by_line(table)


def _latency(cache: _Cache):
    lat = cache.need(FC_LATENCY_FILE)
    if lat.empty:
        raise _Skip("fc_latency.parquet has no rows")
    units = cache.get(UNITS_FILE)
    names = (
        dict(zip(units["id"].astype(str), units["name"].astype(str), strict=True))
        if units is not None and {"id", "name"} <= set(units.columns)
        else None
    )
    kind_names = (
        dict(units.dropna(subset=["kind_label"]).groupby("kind")["kind_label"].first())
        if units is not None and {"kind", "kind_label"} <= set(units.columns)
        else None
    )
    return plot_fc_latency(lat, names=names, kind_names=kind_names)


def _landscape(cache: _Cache):
    summary = cache.need(SUMMARY_FILE)
    knobs = swept_knobs(summary)
    if len(knobs) < 2:
        raise _Skip("fewer than two fit knobs (fit.strategic, fit.cultural, fit.operational) vary in the sweep")
    method = _design_method(cache.root)
    if method in ("sobol", "morris", "lhs"):
        raise _Skip(f"the sweep's design is {method}, not a grid: cell means would not be balanced")
    if not _full_factorial(summary, knobs):
        raise _Skip("the fit knobs were not swept as a full grid (some level combinations are missing)")
    if "goal_realization" not in summary.columns:
        raise _Skip("summary.parquet has no goal_realization column")
    return plot_fit_landscape(summary, "goal_realization", knobs)


def _design_method(sweep_dir: Path) -> str | None:
    """The design method recorded in `sweep.json` (`grid`, `lhs`, `sobol`, `morris`), if any."""
    try:
        manifest = io.read_json(Path(sweep_dir) / SWEEP_MANIFEST_FILE) or {}
    except io.InputError:
        return None
    method = io.get(manifest, "design.method")
    return str(method).lower() if method else None


def _full_factorial(summary: pd.DataFrame, knobs: list[str], max_levels: int = 12) -> bool:
    levels = [summary[k].nunique(dropna=True) for k in knobs]
    if any(n > max_levels for n in levels):
        return False
    combos = summary[knobs].drop_duplicates().shape[0]
    return combos == int(np.prod(levels))


def _timeseries_by_arm(cache: _Cache):
    summary = cache.need(SUMMARY_FILE)
    if "interventions" not in summary.columns:
        raise _Skip("the sweep does not vary 'interventions'")
    arms = summary.groupby("job")["interventions"].first().map(arm_key) if "job" in summary else None
    if arms is None or arms.nunique() < 1:
        raise _Skip("summary.parquet has no job column")
    others = [c for c in swept_columns(summary, cache.root) if c not in ("interventions", "arm")]
    if others:
        raise _Skip("the sweep also varies " + ", ".join(others) + "; arms would pool over them")
    if arms.nunique() > MAX_ARMS_IN_TIMESERIES:
        raise _Skip(f"more than {MAX_ARMS_IN_TIMESERIES} arms")
    frames = []
    for job, arm in arms.items():
        path = cache.root / str(job) / TIMESERIES_FILE
        ts = io.read_table(path)
        if ts is None:
            continue
        ts = ts.copy()
        if "replicate" in ts.columns:
            ts["replicate"] = ts["replicate"].astype(str) + f"@{job}"
        ts["arm"] = arm
        frames.append(ts)
    if not frames:
        raise _Skip("no job directory holds timeseries.parquet")
    data = pd.concat(frames, ignore_index=True)
    order = sorted(set(data["arm"]), key=lambda a: (a != "[]", a))
    data["arm"] = pd.Categorical(data["arm"], categories=order, ordered=True)
    data = data.sort_values(["arm", "day"])
    data["arm"] = data["arm"].astype(str)
    return plot_timeseries(data, group="arm")


def _path_decomposition(table: pd.DataFrame, file: str):
    if not path_columns(table):
        raise _Skip(f"{file} has no goal_realization_by_path columns (a v1 run)")
    return plot_path_decomposition(table)


def _awareness(events: pd.DataFrame):
    if events.empty:
        raise _Skip("events.parquet has no rows")
    if imminent_threats(events).empty:
        raise _Skip("events.parquet has no imminent true security threats")
    return plot_awareness_curve(events)


def _arms_of_sweep(cache: _Cache) -> pd.Series:
    """The arm key of each job of an interventions sweep (job -> arm).

    Raises:
        _Skip: The sweep does not vary 'interventions' alone.
    """
    summary = cache.need(SUMMARY_FILE)
    if "interventions" not in summary.columns:
        raise _Skip("the sweep does not vary 'interventions'")
    if "job" not in summary.columns:
        raise _Skip("summary.parquet has no job column")
    others = [c for c in swept_columns(summary, cache.root) if c not in ("interventions", "arm")]
    if others:
        raise _Skip("the sweep also varies " + ", ".join(others) + "; arms would pool over them")
    return summary.groupby("job")["interventions"].first().map(arm_key)


def _sweep_path_decomposition(cache: _Cache):
    summary = cache.need(SUMMARY_FILE)
    if not path_columns(summary):
        raise _Skip("summary.parquet has no goal_realization_by_path columns (a v1 sweep)")
    arms = _arms_of_sweep(cache)
    return plot_path_decomposition(summary.assign(arm=summary["job"].map(arms)))


def _sweep_awareness(cache: _Cache):
    arms = _arms_of_sweep(cache)
    frames = []
    for job, arm in arms.items():
        events = io.read_table(cache.root / str(job) / EVENTS_FILE)
        if events is not None and len(events):
            frames.append(events.assign(arm=arm))
    if not frames:
        raise _Skip("no job directory holds events.parquet (sim.events_table is off in designs)")
    return _awareness(pd.concat(frames, ignore_index=True))
