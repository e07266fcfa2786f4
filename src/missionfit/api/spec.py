"""Compose a scenario spec from config folders, and build (validate and compile) it.

A spec is the composed scenario as plain, editable data, in the shape of the `scenario` and `interventions`
nodes of the config that `missionfit` composes (and writes to a run directory's `config.yaml`)::

    {
        "scenario": {...},                        # the scenario file's mapping (name, units, edges, ...)
        "interventions": {"jcb_directive": {...}},  # name -> the intervention file's patch, applied when built
        "sources": {"scenario": ".../minusma_2015.yaml", "jcb_directive": ".../jcb_directive.yaml"},
    }

`sources` is optional: it only names the file each part came from in error messages. Edit the spec like any
dict (`spec["scenario"]["rotation_days"] = 0`, `del spec["interventions"]["jcb_directive"]`) and build it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from missionfit.paths import config_dir as primary_config_dir
from missionfit.paths import display_path
from missionfit.scenario.build import build_scenario
from missionfit.scenario.compiler import CompiledScenario
from missionfit.scenario.errors import ScenarioError
from missionfit.scenario.loading import available, compose_file, read_intervention, scenario_file

#: The keys of a spec; `sources` may be left out.
SPEC_KEYS = ("scenario", "interventions", "sources")

#: How a config group names one of its options in an "unknown ..." message.
_KIND = {"scenario": "scenario", "interventions": "intervention"}


def _search_path(config_dir: str | Path | None) -> list[Path]:
    """The config folders searched in order: the user's folder first (as `--config-dir`), then the package's."""
    primary = primary_config_dir()
    return [primary] if config_dir is None else [Path(config_dir).resolve(), primary]


def _first_found(group: str, name: str, roots: list[Path], find: Callable[[str, Path], Any]) -> Any:
    """Call `find(name, root)` on each folder in turn and return the first success.

    Raises:
        ScenarioError: `name` is in none of the folders; the message lists the options of all of them.
    """
    for root in roots:
        try:
            return find(name, root)
        except ScenarioError:
            continue
    names = sorted({option for root in roots for option in available(group, root)})
    raise ScenarioError(group, group, name, f"unknown {_KIND[group]} (available: {', '.join(names)})")


def scenario_spec(
    name: str,
    interventions: Iterable[str] = (),
    config_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Compose a scenario and the patches of its interventions into a plain, editable dict.

    The files are the ones `missionfit scenario=<name> 'interventions=[...]'` composes; nothing is applied or
    checked yet (`build` does that), so the spec can be edited first.

    Args:
        name: Scenario name: a file `scenario/<name>.yaml` in a config folder.
        interventions: Intervention names: files `interventions/<name>.yaml` (a single name may be a string).
        config_dir: A user config folder searched before the package's (like the command line's
            `--config-dir`).

    Returns:
        `{"scenario": mapping, "interventions": {name: patch}, "sources": {part: file}}`, plain Python types.

    Raises:
        ScenarioError: An unknown scenario or intervention (one line listing the available ones).

    Example:
        >>> spec = scenario_spec("minusma_2015", interventions=["jcb_directive"])
        >>> spec["scenario"]["rotation_days"] = 0
    """
    roots = _search_path(config_dir)
    if isinstance(interventions, str):  # "jcb_directive", not the letters j, c, b, ...
        interventions = [interventions]
    path = _first_found("scenario", name, roots, scenario_file)
    # `extends:` and `patches:` resolved as the runner does, with Hydra's search order (built-in, then the user's)
    composed = compose_file(path, roots[::-1])
    spec: dict[str, Any] = {"scenario": composed, "interventions": {}, "sources": {"scenario": str(path)}}
    for iv in dict.fromkeys(interventions):  # a name given twice is one selection, as in the config group
        patch, iv_path = _first_found("interventions", iv, roots, read_intervention)
        spec["interventions"][iv] = patch
        spec["sources"][iv] = str(iv_path)
    return spec


def build(
    spec: Mapping[str, Any],
    fit: Mapping[str, float] | None = None,
    mechanisms: Mapping[str, float] | None = None,
) -> CompiledScenario:
    """Validate a spec, apply its interventions and the fit knobs, and compile it for the engine.

    The same pipeline as a `missionfit` run (`missionfit.scenario.build_scenario`); the spec itself is left
    unchanged, so it can be edited and built again.

    Args:
        spec: A spec from `scenario_spec` (or the same shape written by hand).
        fit: Fit knobs `strategic`, `cultural`, `operational` in [0, 1] (0 = as observed, 1 = ideal fit);
            missing ones are 0.
        mechanisms: Mechanism parameter overrides (see `missionfit.scenario.schema.MechanismSpec`).

    Returns:
        The compiled scenario, ready for `run`.

    Raises:
        ScenarioError: An invalid scenario, patch, knob or parameter, with the one line `missionfit` prints:
            `<file>: <key> = <value>: <reason>`.
    """
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise ScenarioError("spec", unknown[0], spec[unknown[0]], f"unknown spec key (expected {', '.join(SPEC_KEYS)})")
    if "scenario" not in spec:
        raise ScenarioError("spec", "scenario", None, "a spec needs the scenario mapping")
    sources = {part: display_path(path) for part, path in (spec.get("sources") or {}).items()}
    sources.setdefault("config", "config")
    # build_scenario copies what it patches today; the deep copy keeps the caller's spec intact whatever it does
    return build_scenario(
        copy.deepcopy(dict(spec["scenario"])),
        interventions=copy.deepcopy(dict(spec.get("interventions") or {})),
        fit=fit,
        mechanisms=mechanisms,
        sources=sources,
    )
