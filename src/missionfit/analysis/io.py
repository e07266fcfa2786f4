"""Reading run and sweep directories (docs/contract.md) defensively, without importing the model.

A missing file is `None`, never an exception; an unreadable file raises `InputError` with one line that
names the file, so that a caller can skip the figure that needed it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from missionfit.contract import (
    CI_KEY,
    CONFIG_FILE,
    METRICS_FILE,
    MULTIRUN_FILE,
    OPTIONAL_RUN_TABLES,
    RUN_TABLES,
    SUMMARY_FILE,
)

#: Files whose presence makes a directory a run directory (its results; config and provenance are not enough).
RUN_OUTPUT_FILES = (METRICS_FILE, *RUN_TABLES, *OPTIONAL_RUN_TABLES)


class InputError(Exception):
    """An input file exists but cannot be read; the message is one line naming the file."""


def dir_kind(path: str | Path) -> str | None:
    """`"sweep"` if `path` holds `summary.parquet`, `"run"` if it holds any run file, else `None`."""
    path = Path(path)
    if not path.is_dir():
        return None
    if (path / SUMMARY_FILE).is_file():
        return "sweep"
    if any((path / f).is_file() for f in RUN_OUTPUT_FILES):
        return "run"
    return None


def read_table(path: str | Path) -> pd.DataFrame | None:
    """Read a parquet table; `None` if the file is missing.

    Raises:
        InputError: The file exists but is not a readable parquet table.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types
        raise InputError(f"cannot read {path.name}: {_one_line(exc)}") from exc


def read_json(path: str | Path) -> dict[str, Any] | None:
    """Read a JSON object; `None` if missing.

    Raises:
        InputError: The file exists but is not a JSON object.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path.name}: {_one_line(exc)}") from exc
    if not isinstance(data, dict):
        raise InputError(f"cannot read {path.name}: expected a JSON object")
    return data


def read_config(run_dir: str | Path) -> dict[str, Any] | None:
    """The resolved config of a run (`.hydra/config.yaml`, else `config.yaml`), as plain data; else `None`."""
    run_dir = Path(run_dir)
    for rel in (".hydra/config.yaml", CONFIG_FILE):
        data = _read_yaml(run_dir / rel)
        if isinstance(data, dict):
            return data
    return None


def read_sweep_config(sweep_dir: str | Path) -> dict[str, Any] | None:
    """The sweep-level config (`multirun.yaml` written by Hydra, else `config.yaml`), else `None`."""
    sweep_dir = Path(sweep_dir)
    for rel in (MULTIRUN_FILE, CONFIG_FILE, ".hydra/config.yaml"):
        data = _read_yaml(sweep_dir / rel)
        if isinstance(data, dict):
            return data
    return None


def job_dirs(sweep_dir: str | Path) -> list[Path]:
    """Job subdirectories `0/`, `1/`, ... of a sweep, in numeric order."""
    sweep_dir = Path(sweep_dir)
    if not sweep_dir.is_dir():
        return []
    jobs = [p for p in sweep_dir.iterdir() if p.is_dir() and p.name.isdigit()]
    return sorted(jobs, key=lambda p: int(p.name))


def get(data: Any, dotted: str, default: Any = None) -> Any:
    """`data["a"]["b"]` for `dotted="a.b"`, or `default` when any level is missing."""
    cur = data
    for part in dotted.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return default
    return cur


def metric_value(metrics: dict[str, Any] | None, name: str) -> tuple[float, float, float]:
    """`(mean, ci_low, ci_high)` of a metric from `metrics.json`, read defensively (NaN when absent).

    Accepts `{"mean", "ci_low", "ci_high"}` objects, `{"mean", "ci": [lo, hi]}`, or bare numbers with the
    interval in a parallel `ci95` tree (`{"x": 0.3, "ci95": {"x": [0.2, 0.4]}}`, as the runner writes it), and
    dotted names for nested metrics (`goal_realization_by_line.security`).
    """
    nan = float("nan")
    value = get(metrics or {}, name)
    if value is None and metrics and name in metrics:
        value = metrics[name]
    if isinstance(value, int | float) and not isinstance(value, bool):
        ci = get(metrics or {}, f"{CI_KEY}.{name}")
        if isinstance(ci, list | tuple) and len(ci) == 2 and all(isinstance(v, int | float) for v in ci):
            return float(value), float(ci[0]), float(ci[1])
        return float(value), nan, nan
    if isinstance(value, dict):
        mean = value.get("mean", value.get("value"))
        lo, hi = value.get("ci_low"), value.get("ci_high")
        ci = value.get("ci")
        if (lo is None or hi is None) and isinstance(ci, list | tuple) and len(ci) == 2:
            lo, hi = ci
        return tuple(float(v) if isinstance(v, int | float) else nan for v in (mean, lo, hi))  # type: ignore[return-value]
    return nan, nan, nan


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]
