"""Provenance of a run: versions, git commit, seeds, host and wall time."""

from __future__ import annotations

import functools
import platform
import socket
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

#: Distributions whose versions are recorded.
KEY_PACKAGES = (
    "missionfit",
    "mesa",
    "numpy",
    "numba",
    "pandas",
    "pyarrow",
    "hydra-core",
    "omegaconf",
    "networkx",
)


def package_version(dist: str) -> str | None:
    """Return the installed version of a distribution, or None."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


@functools.cache
def git_info() -> dict[str, Any]:
    """Return the git commit of the source checkout the package runs from, if any.

    Returns:
        `{"commit": sha or None, "dirty": bool or None}`.
    """
    root = Path(__file__).resolve().parents[3]
    if not (root / ".git").exists():
        return {"commit": None, "dirty": None}
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5
        )
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    sha = commit.stdout.strip() if commit.returncode == 0 else None
    return {"commit": sha or None, "dirty": bool(status.stdout.strip()) if status.returncode == 0 else None}


@functools.cache
def environment() -> dict[str, Any]:
    """Return the static part of provenance: versions, git, host."""
    git = git_info()
    return {
        "package": "missionfit",
        "package_version": package_version("missionfit"),
        "git_commit": git["commit"],
        "git_dirty": git["dirty"],
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "hostname": socket.gethostname(),
        "packages": {name: package_version(name) for name in KEY_PACKAGES},
    }


def seed_record(seq: Any) -> dict[str, Any]:
    """Describe a numpy SeedSequence (entropy and spawn key) so it can be recreated.

    Args:
        seq: A `numpy.random.SeedSequence` (anything else is recorded by `repr`).

    Returns:
        `{"entropy": int, "spawn_key": [int, ...]}`.
    """
    entropy = getattr(seq, "entropy", None)
    spawn_key = getattr(seq, "spawn_key", None)
    if entropy is None and spawn_key is None:
        return {"repr": repr(seq)}
    return {
        "entropy": entropy if isinstance(entropy, int) else repr(entropy),
        "spawn_key": list(spawn_key or ()),
    }
