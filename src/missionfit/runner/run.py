"""Run one configuration: build the scenario and run its replicates (`missionfit.api`), write the run directory.

Files (docs/contract.md): `replicates.parquet`, `timeseries.parquet`, `flows.parquet`, `units.parquet`,
`fc_latency.parquet`, `config.yaml`, `provenance.json` and, last, `metrics.json`. Each is written atomically,
so a directory holding `metrics.json` is a complete run.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from missionfit.api.results import flatten_metrics, run, summarize
from missionfit.api.spec import build
from missionfit.contract import CONFIG_FILE, METRICS_FILE, PROVENANCE_FILE
from missionfit.model.replicate import replicate_seed_sequence
from missionfit.runner import provenance as prov
from missionfit.runner.rundir import write_json, write_parquet, write_text
from missionfit.runner.validate import check_config, composed_scenario, config_file_of, run_days

#: `flatten_metrics` and `summarize` moved to `missionfit.api.results` (the API's replicate loop); the names
#: stay importable from here.
__all__ = ["execute_run", "flatten_metrics", "summarize"]


def _sources(cfg: DictConfig) -> dict[str, str]:
    choices: Mapping[str, Any] = HydraConfig.get().runtime.choices if HydraConfig.initialized() else {}
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
        ScenarioError: An invalid scenario or intervention (raised by `missionfit.api.build`).
    """
    started = datetime.now(UTC)
    tic = time.perf_counter()
    scenario = composed_scenario(cfg)  # `extends:` and `patches:` resolved on the config search path
    check_config(cfg, overrides, scenario=scenario)
    plain = OmegaConf.to_container(cfg, resolve=True)
    assert isinstance(plain, dict)
    plain.pop("hydra", None)
    plain["scenario"] = scenario  # config.yaml records the scenario as run, not the file's unresolved keys
    plain["sim"]["days"] = run_days(cfg.sim.days, scenario)  # and the days as run (`sim.days: null`: the scenario's)
    # the composed config's `scenario` and `interventions` nodes are an API spec (missionfit.api.spec)
    spec = {"scenario": plain["scenario"], "interventions": plain["interventions"], "sources": _sources(cfg)}
    compiled = build(spec, fit=plain["fit"], mechanisms=plain["mechanisms"])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    seed, days, n_rep = int(cfg.seed), int(plain["sim"]["days"]), int(cfg.sim.replicates)
    results = run(
        compiled, n_rep, seed, days, progress=bool(cfg.sim.progress), label=progress_desc or "replicates",
        events=bool(cfg.sim.get("events_table", True)),
        trust=bool(cfg.sim.get("trust_table", True)),
    )

    for file_name, table in results.tables().items():
        write_parquet(out_dir / file_name, table)
    write_text(out_dir / CONFIG_FILE, _yaml(plain))

    wall = time.perf_counter() - tic  # the whole run: checks and build too, not only the replicates
    seeds = [{"replicate": r, **prov.seed_record(replicate_seed_sequence(seed, r))} for r in range(n_rep)]
    provenance = {
        **prov.environment(),
        "scenario": compiled.name,
        "scenario_hash": prov.scenario_hash(plain["scenario"], plain["interventions"]),
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
    write_json(out_dir / PROVENANCE_FILE, provenance)
    metrics = {**results.metrics, "wall_seconds": wall}
    write_json(out_dir / METRICS_FILE, metrics)
    return {
        "run_dir": str(out_dir),
        "wall_seconds": wall,
        "replicates": n_rep,
        "goal_realization": metrics.get("goal_realization"),
    }


def _yaml(data: Any) -> str:
    """Dump plain data as YAML (libyaml when available: a scenario has thousands of lines)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)
