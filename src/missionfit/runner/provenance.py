"""Provenance of a run: versions, the output contract's version, the scenario's content hash, git, seeds, host."""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import socket
import subprocess
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from missionfit.contract import CONTRACT_VERSION

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
        "contract_version": CONTRACT_VERSION,
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


def canonical_json(data: Any) -> str:
    """The canonical JSON text of plain data: keys sorted, no whitespace, UTF-8 characters kept.

    Lists keep their order (the order of units, edges and coverage entries is part of a scenario: it drives the
    order of random draws), while the key order of a mapping carries no meaning and is normalised away.

    Raises:
        TypeError: `data` holds something JSON cannot represent (only plain config data is hashed).
    """
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def scenario_hash(scenario: Mapping[str, Any], interventions: Mapping[str, Any] | None = None) -> str:
    """Content hash of a composed scenario: SHA-256 of the canonical JSON of the scenario and its interventions.

    Args:
        scenario: The scenario mapping as passed to `build_scenario` (e.g. the resolved `cfg.scenario`).
        interventions: The selected interventions' patches by name, as passed to `build_scenario`.

    Returns:
        `"sha256:<64 hex digits>"`; equal for two runs exactly when they simulated the same scenario text
        (the run settings, fit knobs and mechanism overrides are in the config, not in this hash).
    """
    text = canonical_json({"scenario": dict(scenario), "interventions": dict(interventions or {})})
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
