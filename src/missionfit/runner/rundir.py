"""Atomic writing of run-directory files.

Every file is written to a temporary name in the same directory and renamed into place (`os.replace` is atomic
on POSIX), and `metrics.json` is written last: a directory holding `metrics.json` is complete. Resume and
`missionfit-collect` rely on this.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from missionfit.contract import METRICS_FILE  # the file names are the output contract's (missionfit.contract)

__all__ = ["METRICS_FILE", "is_complete", "to_jsonable", "write_json", "write_parquet", "write_text"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, _MODE)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays and non-finite floats to plain JSON values (NaN/inf -> null).

    Args:
        value: Any nested structure of dicts, lists, numbers and strings.

    Returns:
        The same structure with plain Python values.
    """
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        v = float(value)
        return v if math.isfinite(v) else None
    return value


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically.

    Args:
        path: Target file.
        data: JSON-serializable data (numpy values and NaN are converted).
    """

    def _write(tmp: Path) -> None:
        tmp.write_text(json.dumps(to_jsonable(data), indent=2, sort_keys=False) + "\n", encoding="utf-8")

    _atomic(path, _write)


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically."""
    _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    """Write a DataFrame as Parquet atomically (without the index)."""
    _atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))


def is_complete(run_dir: Path) -> bool:
    """Return whether a run directory is complete (holds `metrics.json`)."""
    return (Path(run_dir) / METRICS_FILE).is_file()
