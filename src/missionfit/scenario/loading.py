"""Load scenarios and interventions by name from the config directory, without Hydra.

For scripts, notebooks, tests and the browser view. The Hydra app composes the same files; this module
reads them directly (YAML), so the model stays free of Hydra.

A scenario file may build on others: `extends:` lists scenario files (by name in the `scenario` group, e.g.
`minusma/structure`) merged in order, then the file's own keys, then its `patches:` (the intervention
language). `compose_scenario` does that for a mapping and a list of config directories; `load` and the Hydra
runner (`missionfit.runner.validate.composed_scenario`) both call it, so both paths see the same scenario.
Hydra's own defaults lists cannot do it: they merge lists by replacing them, and a year is its structure's
units and edges *plus* its contingents, in an order that drives the random draws.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from missionfit.paths import config_dir
from missionfit.scenario import schema
from missionfit.scenario.build import build_scenario
from missionfit.scenario.compiler import CompiledScenario
from missionfit.scenario.errors import Checker, ScenarioError
from missionfit.scenario.patches import apply_patches, merge_scenarios

#: libyaml's loader when available: a MINUSMA file parses in 0.05 s instead of 0.44 s, with the same result.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Keys of a scenario file that `compose_scenario` consumes.
COMPOSITION_KEYS = ("extends", "patches")


def read_config_file(path: Path) -> dict[str, Any]:
    """The mapping of a YAML config file as written (a scenario's `extends` unresolved), without `defaults`."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_LOADER) or {}  # a safe loader (plain data only)
    data.pop("defaults", None)
    return data


def _dirs(root: Path | None) -> list[Path]:
    """The config directories to search, in the order of Hydra's search path: the built-in one, then `root`."""
    return [config_dir(), Path(root)] if root else [config_dir()]


def find_scenario_file(name: str, search_dirs: Sequence[str | Path]) -> Path | None:
    """The first `<dir>/scenario/<name>.yaml` of the search directories, or None."""
    for base in search_dirs:
        path = Path(base) / "scenario" / f"{name}.yaml"
        if path.is_file():
            return path
    return None


def compose_scenario(
    mapping: Mapping[str, Any],
    search_dirs: Sequence[str | Path] | None = None,
    *,
    source: str = "scenario",
    _chain: tuple[Path, ...] = (),
) -> dict[str, Any]:
    """Resolve a scenario mapping's `extends:` and `patches:` into the plain mapping the model builds.

    The files of `extends` are composed first (recursively, each with its own `extends` and `patches`) and
    merged in order with `missionfit.scenario.patches.merge_scenarios`; the mapping's own keys are merged on
    top; then its `patches` are applied in order. A mapping without either key is returned as a copy.

    Args:
        mapping: A scenario file's contents (or `cfg.scenario` as a plain mapping, unset keys left out).
        search_dirs: Config directories whose `scenario/` folders hold the files named in `extends`, searched
            in order (Hydra's: the built-in directory, then a user's `--config-dir`); default the built-in one.
        source: The mapping's file, named in error messages.
        _chain: The files being composed (to report a cycle).

    Returns:
        A new mapping without `extends` and `patches`, its top-level keys in the order of `ScenarioSpec`.

    Raises:
        ScenarioError: An unknown file in `extends`, a cycle, or a patch that does not apply.
    """
    dirs = [Path(d) for d in (search_dirs or [config_dir()])]
    own = {k: v for k, v in mapping.items() if k not in COMPOSITION_KEYS and k != "defaults"}
    extends = mapping.get("extends") or []
    patches = mapping.get("patches") or {}
    if not extends and not patches:
        return copy.deepcopy(own)
    ck = Checker(source)
    if isinstance(extends, str):
        extends = [extends]
    composed: dict[str, Any] = {}
    for i, name in enumerate(extends):
        path = find_scenario_file(str(name), dirs)
        if path is None:
            where = ", ".join(str(d / "scenario") for d in dirs)
            ck.fail(f"extends[{i}]", name, f"no scenario file {name}.yaml in {where}")
        if path.resolve() in _chain:
            ck.fail(f"extends[{i}]", name, "extends itself (a cycle of extends)")
        parent = compose_scenario(read_config_file(path), dirs, source=str(path), _chain=(*_chain, path.resolve()))
        composed = merge_scenarios(composed, parent)
    composed = merge_scenarios(composed, own)
    if patches:
        apply_patches(composed, patches, source)
    order = [f.name for f in dataclasses.fields(schema.ScenarioSpec)]
    return {k: composed[k] for k in sorted(composed, key=lambda k: order.index(k) if k in order else len(order))}


def available(group: str, root: Path | None = None) -> list[str]:
    """Names of the configs in a group (`scenario` or `interventions`)."""
    folder = (root or config_dir()) / group
    return sorted(p.stem for p in folder.glob("*.yaml"))


def scenario_file(name: str, root: Path | None = None) -> Path:
    """Path of a scenario file; raises ScenarioError naming the available ones if it is unknown."""
    path = (root or config_dir()) / "scenario" / f"{name}.yaml"
    if not path.is_file():
        names = ", ".join(available("scenario", root))
        raise ScenarioError("scenario", "scenario", name, f"unknown scenario (available: {names})")
    return path


def read_scenario(name: str, root: Path | None = None) -> dict[str, Any]:
    """The composed mapping of a scenario file (its `extends` and `patches` resolved), ready to build.

    Args:
        name: Scenario name (a file `scenario/<name>.yaml` in the config directory).
        root: Another config directory (as `--config-dir`); files it `extends` are looked up in the built-in
            directory, then there (the order of Hydra's search path).
    """
    return compose_file(scenario_file(name, root), _dirs(root))


def compose_file(path: Path, search_dirs: Sequence[str | Path]) -> dict[str, Any]:
    """The composed mapping of the scenario file at `path`, its `extends` looked up in `search_dirs` in order."""
    return compose_scenario(read_config_file(path), search_dirs, source=str(path), _chain=(path.resolve(),))


def read_intervention(name: str, root: Path | None = None) -> tuple[dict[str, Any], Path]:
    """The patch of an intervention and its file."""
    path = (root or config_dir()) / "interventions" / f"{name}.yaml"
    if not path.is_file():
        raise ScenarioError(
            "interventions", "interventions", name,
            f"unknown intervention (available: {', '.join(available('interventions', root))})",
        )
    data = read_config_file(path)
    return dict(data.get(name, data)), path


def load(
    name: str = "minusma_2015",
    *,
    interventions: Iterable[str] = (),
    fit: Mapping[str, float] | None = None,
    mechanisms: Mapping[str, float] | None = None,
    overrides: Mapping[str, Any] | None = None,
    root: Path | None = None,
) -> CompiledScenario:
    """Build a scenario by name, with interventions, fit knobs and mechanism overrides.

    Args:
        name: Scenario name (a file `scenario/<name>.yaml` in the config directory).
        interventions: Intervention names.
        fit: Fit knobs.
        mechanisms: Mechanism parameter overrides.
        overrides: Top-level scenario keys to replace (e.g. `{"n_units": 2000}`).
        root: Another config directory (as `--config-dir`).
    """
    path = scenario_file(name, root)
    spec = read_scenario(name, root)
    spec.update(dict(overrides or {}))
    patches, sources = {}, {"scenario": str(path)}
    for iv in interventions:
        patches[iv], ipath = read_intervention(iv, root)
        sources[iv] = str(ipath)
    return build_scenario(spec, interventions=patches, fit=fit, mechanisms=mechanisms, sources=sources)
