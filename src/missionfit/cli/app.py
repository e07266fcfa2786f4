"""`missionfit`: the Hydra app (single runs and sweeps).

`main()` first composes the config itself (Hydra's compose API, honouring `--config-dir`) for a single run, so
that an unknown scenario or intervention, a wrong type or an out-of-range value is reported as one line
(`missionfit: error: <file>: <key> = <value>: <reason>`) with a non-zero exit and no traceback; then it hands
over to the `@hydra.main` function. After a sweep with failed jobs the `missionfit` sweeper lists them and
exits 1.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import hydra
from omegaconf import DictConfig

from missionfit.paths import config_dir
from missionfit.runner.config import register_configs

register_configs()

# configs/hydra/launcher/ray.yaml shadows the Ray plugin's node of the same name (to start a local Ray
# without the dashboard) and is validated against it; Hydra warns about that pattern on every composition.
warnings.filterwarnings("ignore", message=r"(?s).*validated against ConfigStore schema with the same name")

#: Hydra options that print something and exit instead of running.
_INFO_FLAGS = ("help", "hydra_help", "cfg", "info", "shell_completion", "version", "resolve")


@hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")
def hydra_main(cfg: DictConfig) -> object:
    """The Hydra task function: one run, or one job of a sweep.

    Args:
        cfg: The composed config.

    Returns:
        A small result (see `missionfit.runner.task.run_task`).
    """
    # imported here, not at the top: `main` reports bad input before the engine behind the task is loaded
    from missionfit.runner.task import run_task

    return run_task(cfg)


def precompose(argv: Sequence[str]) -> str | None:
    """Compose the config of a single run the way `hydra_main` will, and describe the first error.

    Args:
        argv: Command-line arguments (without the program name).

    Returns:
        None when the config composes and passes the range checks, else one error line (without prefix).
    """
    from hydra import compose, initialize_config_dir
    from hydra._internal.utils import get_args_parser
    from hydra.core.global_hydra import GlobalHydra

    from missionfit.runner import validate

    args = get_args_parser().parse_args(list(argv))
    if args.multirun or any(getattr(args, flag, None) for flag in _INFO_FLAGS):
        return None
    overrides = list(args.overrides)
    if args.config_dir:
        d = Path(args.config_dir).resolve()
        validate.EXTRA_CONFIG_DIRS.append(d)
        quoted = str(d).replace("\\", "\\\\").replace("'", "\\'")
        overrides = [f"hydra.searchpath=['file://{quoted}']", *overrides]
    primary = config_dir()
    if args.config_path:
        primary = Path(args.config_path).resolve()
    config_name = args.config_name or "config"
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(primary), version_base="1.3"):
            # `optional experiment` silently ignores an unknown name: check the group selections first.
            for key, names in validate._group_values(args.overrides):
                if key == "experiment":
                    avail = validate._available("experiment")
                    for name in names:
                        if name not in ("null",) and name not in avail:
                            return validate.unknown_group_option("experiment", name)
            try:
                cfg = compose(config_name=config_name, overrides=overrides, return_hydra_config=True)
            except Exception as err:  # noqa: BLE001 - every composition error becomes one line
                return validate.describe_exception(err, args.overrides)
            try:
                validate.check_config(cfg, args.overrides)
            except validate.ConfigError as err:
                return str(err)
    finally:
        GlobalHydra.instance().clear()
    return None


def _launcher_fallback(argv: list[str]) -> list[str]:
    """Use the basic launcher when the default (joblib) plugin is not installed and none was chosen."""
    import importlib.util

    if any(a.startswith(("hydra/launcher=", "override hydra/launcher")) for a in argv):
        return argv
    if importlib.util.find_spec("hydra_plugins.hydra_joblib_launcher") is None:
        return [*argv, "hydra/launcher=basic"]
    return argv


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `missionfit` console script.

    Args:
        argv: Arguments (default: `sys.argv[1:]`).
    """
    argv = _launcher_fallback(list(sys.argv[1:] if argv is None else argv))
    message = precompose(argv)
    if message is not None:
        print(f"missionfit: error: {message}", file=sys.stderr, flush=True)
        raise SystemExit(2)
    saved = sys.argv
    sys.argv = [saved[0] if saved else "missionfit", *argv]
    try:
        hydra_main()  # a sweep with failed jobs exits 1 from the sweeper, after listing them
    finally:
        sys.argv = saved


if __name__ == "__main__":
    main()
