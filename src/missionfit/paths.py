"""Where missionfit finds its configuration files.

From a source checkout the configs live at the repository root (`configs/`); an installed wheel carries a copy
as the package data directory `missionfit/_configs` (see `[tool.hatch.build.targets.wheel.force-include]`).
"""

from __future__ import annotations

from pathlib import Path


def config_dir() -> Path:
    """Return the absolute path of the primary config directory.

    Returns:
        The repository's `configs/` when running from a source checkout (`src/missionfit/paths.py` two
        levels below the root), else the packaged `missionfit/_configs`.
    """
    here = Path(__file__).resolve()
    checkout = here.parents[2] / "configs"
    if (checkout / "config.yaml").is_file():
        return checkout
    return here.parent / "_configs"


def display_path(path: str | Path) -> str:
    """Return `path` relative to the working directory when it is below it, else absolute.

    Error messages name files this way, so that the Python API and the command line print the same line.

    Args:
        path: A file path.

    Returns:
        The path as shown to a user.
    """
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
