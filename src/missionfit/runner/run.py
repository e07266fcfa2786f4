"""Run one configuration: build the scenario, loop over replicates, write the run directory.

Files (MODEL.md §4): `replicates.parquet`, `timeseries.parquet`, `flows.parquet`, `units.parquet`,
`fc_latency.parquet`, `config.yaml`, `provenance.json` and, last, `metrics.json`. Each is written atomically,
so a directory holding `metrics.json` is a complete run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from missionfit.runner import provenance as prov
from missionfit.runner.rundir import METRICS_FILE, write_json, write_parquet, write_text
from missionfit.runner.stats import mean_ci95
from missionfit.runner.validate import check_config, composed_scenario, config_file_of

#: Edge columns of `flows.parquet` and the counters summed over replicates.
FLOW_KEYS = ("source", "target", "type")
FLOW_COUNTS = ("hops", "delivered", "withheld", "sanitized", "lost")


def flatten_metrics(metrics: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """Flatten nested metric dicts with dotted names (`fit_index.strategic`).

    Args:
        metrics: The metrics of one replicate.
        prefix: Prefix of the keys (used in recursion).

    Returns:
        A flat mapping of name to number.
    """
    flat: dict[str, float] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten_metrics(value, prefix=f"{name}."))
        else:
            flat[name] = value
    return flat


def summarize(metrics: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Means and 95% t-intervals over replicates, keeping the nesting of the metrics.

    Args:
        metrics: One metrics mapping per replicate (same keys).

    Returns:
        `(means, ci95)`; `ci95` mirrors `means` with `[low, high]` leaves (null with one replicate).
    """
    means: dict[str, Any] = {}
    cis: dict[str, Any] = {}
    first = metrics[0]
    for key, value in first.items():
        if isinstance(value, Mapping):
            means[key], cis[key] = summarize([m[key] for m in metrics])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            mean, low, high = mean_ci95([float(m[key]) for m in metrics])
            means[key] = mean
            cis[key] = [low, high]
    return means, cis


def _sources(cfg: DictConfig) -> dict[str, str]:
    choices: Mapping[str, Any] = {}
    try:
        from hydra.core.hydra_config import HydraConfig

        if HydraConfig.initialized():
            choices = HydraConfig.get().runtime.choices
    except Exception:  # noqa: BLE001
        choices = {}
    scenario_choice = choices.get("scenario") or cfg.scenario.get("name", "scenario")
    sources = {"scenario": config_file_of(cfg, "scenario", str(scenario_choice)), "config": "config"}
    for name in cfg.interventions:
        sources[str(name)] = config_file_of(cfg, "interventions", str(name))
    return sources


def execute_run(
    cfg: DictConfig,
    out_dir: Path,
    *,
    overrides: Sequence[str] = (),
    params: Mapping[str, Any] | None = None,
    job: Mapping[str, Any] | None = None,
    progress_desc: str | None = None,
) -> dict[str, Any]:
    """Run every replicate of one configuration and write its run directory.

    Args:
        cfg: The composed config (the `hydra` node is ignored).
        out_dir: The run directory.
        overrides: The overrides that produced `cfg` (recorded, and used to name the origin of bad values).
        params: Swept keys of this run and their values (in provenance; columns of `summary.parquet`).
        job: Job identity within a sweep (`job`, `job_num`, `design_point`), recorded in provenance.
        progress_desc: Label of the progress bar.

    Returns:
        A small result (`run_dir`, `wall_seconds`, `replicates`, `goal_realization`).

    Raises:
        ConfigError: A run setting out of range.
        ScenarioError: An invalid scenario or intervention (raised by `build_scenario`).
    """
    from tqdm.auto import tqdm

    from missionfit.model.replicate import replicate_seed_sequence, run_replicate
    from missionfit.scenario import build_scenario

    started = datetime.now(UTC)
    tic = time.perf_counter()
    scenario = composed_scenario(cfg)  # `extends:` and `patches:` resolved on the config search path
    check_config(cfg, overrides, scenario=scenario)
    plain = OmegaConf.to_container(cfg, resolve=True)
    assert isinstance(plain, dict)
    plain.pop("hydra", None)
    plain["scenario"] = scenario  # config.yaml records the scenario as run, not the file's unresolved keys
    compiled = build_scenario(
        plain["scenario"],
        interventions=plain["interventions"],
        fit=plain["fit"],
        mechanisms=plain["mechanisms"],
        sources=_sources(cfg),
    )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    seed, days, n_rep = int(cfg.seed), int(cfg.sim.days), int(cfg.sim.replicates)

    rows: list[dict[str, Any]] = []
    per_rep: list[dict[str, Any]] = []
    series: list[pd.DataFrame] = []
    flows: list[pd.DataFrame] = []
    latency: list[pd.DataFrame] = []
    seeds: list[dict[str, Any]] = []
    bar = tqdm(
        range(n_rep),
        desc=progress_desc or "replicates",
        unit="rep",
        file=sys.stderr,
        disable=not bool(cfg.sim.progress),
        leave=False,
        dynamic_ncols=True,
    )
    for r in bar:
        res = run_replicate(compiled, seed=seed, replicate=r, days=days)
        seq = replicate_seed_sequence(seed, r)
        seeds.append({"replicate": r, **prov.seed_record(seq)})
        per_rep.append(res.metrics)
        rows.append({"replicate": r, "seed": seed, **flatten_metrics(res.metrics)})
        series.append(res.timeseries)
        flows.append(res.flows)
        latency.append(res.fc_latency)
    bar.close()

    replicates = pd.DataFrame(rows)
    timeseries = _stack_replicates(series)
    fc_latency = _stack_replicates(latency)
    flows_all = pd.concat(flows, ignore_index=True)
    counts = [c for c in flows_all.columns if c not in FLOW_KEYS]
    flows_sum = flows_all.groupby(list(FLOW_KEYS), sort=True, dropna=False)[counts].sum().reset_index()
    flows_sum["replicates"] = n_rep

    write_parquet(out_dir / "replicates.parquet", replicates)
    write_parquet(out_dir / "timeseries.parquet", timeseries)
    write_parquet(out_dir / "flows.parquet", flows_sum)
    write_parquet(out_dir / "units.parquet", compiled.units_table())
    write_parquet(out_dir / "fc_latency.parquet", fc_latency)
    write_text(out_dir / "config.yaml", _yaml(plain))

    means, cis = summarize(per_rep)
    wall = time.perf_counter() - tic
    provenance = {
        **prov.environment(),
        "scenario": compiled.name,
        "interventions": list(plain["interventions"]),
        "seed": seed,
        "days": days,
        "replicates": n_rep,
        "replicate_seeds": seeds,
        "overrides": list(overrides),
        "params": dict(params or {}),
        "job": dict(job or {}),
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "wall_seconds": wall,
    }
    write_json(out_dir / "provenance.json", provenance)
    metrics = {**means, "ci95": cis, "replicates": n_rep, "wall_seconds": wall}
    write_json(out_dir / METRICS_FILE, metrics)
    return {
        "run_dir": str(out_dir),
        "wall_seconds": wall,
        "replicates": n_rep,
        "goal_realization": means.get("goal_realization"),
    }


def _yaml(data: Any) -> str:
    """Dump plain data as YAML (libyaml when available: a scenario has thousands of lines)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _stack_replicates(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The replicates' tables one under the other, with a leading `replicate` column (0, 1, ...).

    The column is added once to the stack rather than to each replicate's table: per replicate it would
    cost pandas about as much as running the replicate's model.
    """
    stacked = pd.concat(frames, ignore_index=True)
    stacked.insert(0, "replicate", np.repeat(np.arange(len(frames)), [len(f) for f in frames]))
    return stacked
