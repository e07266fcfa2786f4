"""Plan a sweep: the experimental design, the job list, a cheap check that every job composes, the manifest.

Run by the `missionfit` sweeper (`hydra_plugins.missionfit_sweeper`) before the first job; `design_from_cfg` is
also run by each job of a batched design, and gives every job the same design as the sweeper.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hydra.core.object_type import ObjectType
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf

from missionfit.runner.designs import Design, DesignError, make_design
from missionfit.runner.rundir import write_json
from missionfit.runner.sweep.layout import MANIFEST
from missionfit.runner.validate import (
    GROUPS,
    ConfigError,
    check_entries,
    describe_exception,
    describe_value_error,
    unknown_group_option,
)

#: A value of `interventions` in a sweep that stands for the baseline, each intervention alone, and all combined,
#: from whatever the `interventions` config group holds (a user's `--config-dir` included): a new intervention is
#: then one new YAML file, with no list to update (`configs/experiment/counterfactuals.yaml`).
EACH_AND_ALL = "each_and_all"


def expand_each_and_all(params: Sequence[str], options: Sequence[str]) -> list[str]:
    """Replace `interventions=each_and_all` in sweep parameters by the arms it stands for.

    Args:
        params: Sweep parameters as `key=value` strings (`hydra.sweeper.params` and the command line's).
        options: The names of the `interventions` config group, in any order.

    Returns:
        The parameters, with `interventions=[],[a],[b],...,[a,b,...]` in place of the token (names sorted; no
        combined arm when there is only one intervention).
    """
    names = sorted(options)
    arms = ["[]", *(f"[{n}]" for n in names)] + ([f"[{','.join(names)}]"] if len(names) > 1 else [])
    out = []
    for param in params:
        key, sep, value = param.partition("=")
        if sep and key.strip() == "interventions" and value.strip() == EACH_AND_ALL:
            param = f"{key}={','.join(arms)}"
        out.append(param)
    return out


def design_from_cfg(cfg: DictConfig) -> Design:
    """Build the design of a config's `design` node (deterministic: the sweeper and every job agree).

    Args:
        cfg: The composed config.

    Returns:
        The design.

    Raises:
        DesignError: Unknown method or parameter, bad bounds.
    """
    d = cfg.design
    params = {str(k): list(v) for k, v in d.params.items()}
    integer = []
    for key in params:
        if key.startswith("design.") or key.startswith("hydra."):
            raise DesignError(f"design.params.{key}: cannot vary the design itself")
        value = OmegaConf.select(cfg, key, default="__missing__")
        if isinstance(value, str) and value == "__missing__":
            raise DesignError(f"design.params.{key} = {params[key]}: unknown config key")
        if isinstance(value, int) and not isinstance(value, bool):
            integer.append(key)
    s = cfg.sensitivity
    sens = d.method in ("sobol", "morris")
    return make_design(
        str(d.method),
        params,
        n=int(s.n if sens else d.n),
        levels=int(d.levels),
        seed=int(d.seed),
        second_order=bool(s.second_order),
        num_levels=int(s.num_levels),
        integer_keys=integer,
    )


def _fmt(value: float | int) -> str:
    """A design value as an override's text (`repr`, so that a float survives the round trip exactly)."""
    return repr(int(value)) if isinstance(value, int) else repr(float(value))


def design_job_overrides(config: DictConfig, grid: list[list[str]]) -> tuple[list[list[str]], dict[str, Any] | None]:
    """Cross the grid jobs with the design points of `config.design`.

    Args:
        config: The sweep's config (task keys and `hydra`).
        grid: Override lists of the grid jobs (from the command line and `hydra.sweeper.params`).

    Returns:
        `(jobs, design)`: override lists, and the design as stored in the manifest (None without a design).

    Raises:
        ConfigError: An invalid design.
    """
    method = str(OmegaConf.select(config, "design.method", default="none"))
    if method == "none":
        return grid, None
    try:
        design = design_from_cfg(config)
    except DesignError as err:
        raise ConfigError(f"configs: {err}") from None
    bs = int(config.design.batch_size)
    if bs < 1:
        raise ConfigError(f"configs: design.batch_size = {bs}: must be at least 1")
    n = design.X.shape[0]
    jobs: list[list[str]] = []
    for g in grid:
        if bs == 1:
            for i in range(n):
                point = [f"{k}={_fmt(v)}" for k, v in design.point(i).items()]
                jobs.append([*g, *point, f"design.point={i}"])
        else:
            for b in range(math.ceil(n / bs)):
                jobs.append([*g, f"design.batch={b}"])
    return jobs, {**design.to_dict(), "batch_size": bs, "points": n}


def check_sweep_overrides(config_loader: Any, config: DictConfig, jobs: Sequence[Sequence[str]]) -> None:
    """Check that every job of a sweep will compose, cheaply.

    The first job is composed in full. For the other jobs, each distinct override is checked on its own: a
    config group selection must name existing options, a value must be assignable to the typed first config.
    Overrides that add, delete or re-package keys are composed in full. Design values are not re-checked:
    they are numbers inside the design's validated bounds, and the first job checks their types.

    Args:
        config_loader: Hydra's config loader.
        config: The sweep's config.
        jobs: Override lists of every job.

    Raises:
        ConfigError: An unknown group option or a value of the wrong type (one line).
        Exception: Hydra's composition errors of a job composed in full.
    """
    if not jobs:
        return
    first = config_loader.load_sweep_config(config, list(jobs[0]))
    check_entries(first)
    choices = dict(first.hydra.runtime.choices)
    checked = set(jobs[0])
    parser = OverridesParser.create(config_loader=config_loader)
    options: dict[str, set[str]] = {}
    probe = OmegaConf.masked_copy(first, [k for k in first if k != "hydra"])
    OmegaConf.set_struct(probe, True)
    for job in jobs[1:]:
        for text in job:
            if text in checked or text.startswith("design."):
                continue
            checked.add(text)
            o = parser.parse_override(text)
            key = o.key_or_group
            if o.is_add() or o.is_delete() or o.package is not None:
                try:
                    config_loader.load_sweep_config(config, list(job))
                except Exception as err:  # noqa: BLE001
                    raise ConfigError(describe_exception(err, list(job))) from None
                continue
            if key in choices or key in GROUPS or "/" in key:
                if key not in options:
                    options[key] = set(config_loader.get_group_options(key, results_filter=ObjectType.CONFIG))
                value = o.value()
                names = value if isinstance(value, list) else [value]
                for name in names:
                    if name is not None and str(name) not in options[key]:
                        raise ConfigError(unknown_group_option(key, str(name)))
                continue
            try:
                OmegaConf.update(probe, key, o.value(), merge=True)
            except Exception as err:  # noqa: BLE001
                raise ConfigError(f"command line: {describe_value_error(key, o.value(), err)}") from None


def write_sweep_manifest(
    sweep_dir: Path,
    config: DictConfig,
    *,
    jobs: list[list[str]],
    swept: list[str],
    design: dict[str, Any] | None,
) -> None:
    """Write `sweep.json` (before the first job).

    Args:
        sweep_dir: The sweep directory.
        config: The sweep's config.
        jobs: Override lists of every job, by job number.
        swept: Keys swept on the command line or in `hydra.sweeper.params`.
        design: The design (see `design_job_overrides`) or None.
    """
    swept_keys = list(dict.fromkeys([*swept, *((design or {}).get("names", []))]))
    write_json(
        Path(sweep_dir) / MANIFEST,
        {
            "created": datetime.now(UTC).isoformat(),
            "experiment_name": str(OmegaConf.select(config, "experiment_name", default="sweep")),
            "total": len(jobs),
            "swept": swept_keys,
            "jobs": jobs,
            "design": design,
            "sensitivity": OmegaConf.to_container(config.sensitivity, resolve=True)
            if "sensitivity" in config
            else None,
            "comparison": OmegaConf.to_container(config.comparison, resolve=True) if "comparison" in config else None,
            "launcher": str(OmegaConf.select(config, "hydra.launcher._target_", default="")),
        },
    )
