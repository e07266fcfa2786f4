"""The `missionfit` Hydra sweeper (`hydra/sweeper=missionfit`, the default of `configs/hydra/default.yaml`).

It extends Hydra's BasicSweeper (cartesian products of `key=a,b,c` and `hydra.sweeper.params`) with:

* designs: when the task config's `design.method` is grid, lhs, sobol or morris, every grid job is crossed
  with the design points (`design.batch_size` points per job, so Hydra's per-job overhead is amortized);
* one-line errors: a job whose config cannot be composed is reported as `missionfit: error: ...` before
  any job runs;
* aggregation after the last job, whatever happened to single jobs (the task function records failures in
  `errors/`, it never raises): `summary.parquet`, plus `comparison.parquet` for sweeps over `interventions`
  and `sensitivity.parquet` for Sobol/Morris designs. `missionfit-collect DIR` rebuilds them at any time.
* the exit code: when jobs failed, the sweeper lists them (job, overrides, message) and exits 1.

Launchers are untouched: basic, joblib, submitit (Slurm/local) and Ray all receive ordinary override lists.
"""

import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import OmegaConf

log = logging.getLogger(__name__)

# The runner is imported inside the methods: Hydra imports every plugin module whenever it scans for plugins
# (any Hydra app, `--help` included), and the runner pulls in pandas and numpy. Only a sweep needs it.


@dataclass
class MissionfitSweeperConf:
    """Config of the sweeper.

    Attributes:
        max_batch_size: Jobs handed to the launcher at once (None = all).
        params: Sweep parameters as in BasicSweeper, e.g. `{interventions: "[],[jcb_directive]"}`.
    """

    _target_: str = "hydra_plugins.missionfit_sweeper.missionfit_sweeper.MissionfitSweeper"
    # No `from __future__ import annotations` here: Hydra executes plugin modules outside sys.modules.
    max_batch_size: int | None = None
    params: dict[str, str] | None = None


ConfigStore.instance().store(
    group="hydra/sweeper", name="missionfit", node=MissionfitSweeperConf, provider="missionfit"
)


class MissionfitSweeper(BasicSweeper):
    """BasicSweeper plus designs, one-line composition errors and aggregation."""

    def __init__(self, max_batch_size: int | None = None, params: dict[str, str] | None = None) -> None:
        super().__init__(max_batch_size=max_batch_size, params=dict(params or {}))

    def _job_overrides(self, arguments: list[str]) -> tuple[list[list[str]], list[str], dict[str, Any] | None]:
        from missionfit.runner.sweep.plan import design_job_overrides, expand_each_and_all

        assert self.config is not None and self.hydra_context is not None
        params_conf = self._parse_config()
        params_conf.extend(arguments)
        loader = self.hydra_context.config_loader
        params_conf = expand_each_and_all(params_conf, loader.get_group_options("interventions"))
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        overrides = parser.parse_overrides(params_conf)
        swept = [o.get_key_element() for o in overrides if o.is_sweep_override()]
        grid = self.split_arguments(overrides, None)[0]
        jobs, design = design_job_overrides(self.config, grid)
        return jobs, swept, design

    def sweep(self, arguments: list[str]) -> Any:
        """Run the sweep; see the module docstring.

        Raises:
            SystemExit: 2 when a job's config does not compose (one line); 1 after the sweep when jobs failed.
        """
        from missionfit.runner.sweep.collect import finish_sweep
        from missionfit.runner.sweep.layout import fail_line, record_launcher_failures, report
        from missionfit.runner.sweep.plan import check_sweep_overrides, write_sweep_manifest
        from missionfit.runner.validate import ConfigError, describe_exception

        assert self.config is not None and self.launcher is not None and self.hydra_context is not None
        try:
            jobs, swept, design = self._job_overrides(arguments)
        except ConfigError as err:
            raise SystemExit(fail_line(str(err))) from None
        sweep_dir = Path(str(self.config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        write_sweep_manifest(sweep_dir, self.config, jobs=jobs, swept=swept, design=design)

        # Check every job's overrides before launching: an unknown intervention or a wrong type is one clear
        # line, not a traceback from inside a launcher. Composing a large scenario costs about a second, so
        # the first job is composed in full and the other values are checked against its config.
        try:
            check_sweep_overrides(self.hydra_context.config_loader, self.config, jobs)
        except ConfigError as err:
            raise SystemExit(fail_line(str(err))) from None
        except Exception as err:  # noqa: BLE001 - every composition error becomes one line
            raise SystemExit(fail_line(describe_exception(err, list(jobs[0])))) from None

        chunks = list(self.split_overrides_to_chunks(jobs, self.max_batch_size))
        total = len(jobs)
        returns = []
        start = 0
        tic = time.perf_counter()
        report(f"sweep of {total} jobs into {sweep_dir}")
        for chunk in chunks:
            results = self.launcher.launch(chunk, initial_job_idx=start)
            record_launcher_failures(sweep_dir, results, chunk, start)
            start += len(chunk)
            returns.append(results)
            report(f"jobs done {start}/{total} ({time.perf_counter() - tic:.1f} s)")
        outcome = finish_sweep(sweep_dir)
        failed = outcome.failure_report()
        if failed is not None:
            # Hydra drops the sweeper's return value, so the exit code is set here, where the outcome is known.
            print(failed, file=sys.stderr, flush=True)
            raise SystemExit(1)
        return returns
