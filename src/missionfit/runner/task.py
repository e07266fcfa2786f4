"""The Hydra task function's body: a single run, or one job of a sweep."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from missionfit.runner.designs import DesignError
from missionfit.runner.run import execute_run
from missionfit.runner.sweep.job import params_of, run_job
from missionfit.runner.validate import ConfigError
from missionfit.scenario.errors import ScenarioError


def run_task(cfg: DictConfig) -> Any:
    """Execute the composed config.

    A single run (`missionfit ...`) writes its run directory and exits with one error line on bad input. A
    sweep job (`missionfit -m ...`) never raises: failures are recorded in the sweep's `errors/` and the sweep
    goes on.

    Args:
        cfg: The config composed by Hydra.

    Returns:
        A small picklable result.
    """
    hc = HydraConfig.get()
    if hc.mode == RunMode.MULTIRUN:
        return run_job(cfg)
    overrides = list(hc.overrides.task)
    out = Path(str(hc.runtime.output_dir))
    try:
        result = execute_run(cfg, out, overrides=overrides, params=params_of(cfg, overrides, dict(hc.runtime.choices)))
    except (ConfigError, ScenarioError, DesignError) as err:
        print(f"missionfit: error: {err}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    print(f"missionfit: wrote {out}", file=sys.stderr, flush=True)
    return result
