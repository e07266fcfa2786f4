"""Range checks of the run settings, and one-line descriptions of config errors.

Every message has the shape of `missionfit.scenario.ScenarioError`: `<file>: <key> = <value>: <reason>`, where
`<file>` is the config file the value came from, or `command line` for an override.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from missionfit.paths import config_dir, display_path

#: Config groups whose selection a user types on the command line.
GROUPS = ("scenario", "interventions", "experiment")

#: Further config directories on the search path (`--config-dir`), consulted for messages.
EXTRA_CONFIG_DIRS: list[Path] = []


class ConfigError(ValueError):
    """A config value outside its allowed range; `str()` is one line `<file>: <key> = <value>: <reason>`."""


def primary_config_file() -> str:
    """Return the displayed path of the primary config file (`configs/config.yaml`)."""
    return display_path(config_dir() / "config.yaml")


def _override_keys(overrides: Iterable[str]) -> set[str]:
    keys = set()
    for o in overrides:
        key = o.split("=", 1)[0].lstrip("+~")
        keys.add(key.split("@", 1)[0])
    return keys


def _origin(key: str, overrides: Iterable[str]) -> str:
    return "command line" if key in _override_keys(overrides) else primary_config_file()


def run_days(sim_days: int | None, scenario: dict[str, Any]) -> int:
    """The days a run simulates: `sim.days` if set, else the scenario's `days:`, else `DEFAULT_DAYS` (180).

    Args:
        sim_days: The config's `sim.days` (`None`: not set).
        scenario: The composed scenario (`composed_scenario`).
    """
    from missionfit.scenario.schema import DEFAULT_DAYS

    if sim_days is not None:
        return int(sim_days)
    return int(scenario.get("days") or DEFAULT_DAYS)


def check_config(
    cfg: DictConfig, overrides: Sequence[str] = (), scenario: dict[str, Any] | None = None
) -> None:
    """Check the run settings a scenario check does not cover.

    Args:
        cfg: The composed config.
        overrides: The command-line overrides (to name where a bad value came from).
        scenario: The composed scenario (`composed_scenario`), if already at hand.

    Raises:
        ConfigError: sim.days ≤ 0, sim.replicates ≤ 0, a fit knob outside [0, 1], a bad design batch size.
    """

    def fail(key: str, value: Any, reason: str) -> None:
        raise ConfigError(f"{_origin(key, overrides)}: {key} = {value}: {reason}")

    days = cfg.sim.days
    if days is None:
        days = run_days(None, scenario if scenario is not None else composed_scenario(cfg))
    if days <= 0:
        fail("sim.days", days, "must be a positive number of days")
    if cfg.sim.replicates <= 0:
        fail("sim.replicates", cfg.sim.replicates, "must be at least 1")
    for knob in ("strategic", "cultural", "operational"):
        value = cfg.fit[knob]
        if not 0.0 <= value <= 1.0:
            fail(f"fit.{knob}", value, "fit knobs must lie in [0, 1] (0 = as observed, 1 = ideal fit)")
    if cfg.design.batch_size < 1:
        fail("design.batch_size", cfg.design.batch_size, "must be at least 1")
    check_entries(cfg, scenario=scenario)


def _type_error(value: Any, tp: Any, path: str) -> str | None:
    """Return `<path> = <value>: <reason>` if `value` does not fit the annotation `tp`, else None."""
    import dataclasses
    import types
    import typing

    if tp is Any or value == "???":
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        errors = [_type_error(value, a, path) for a in args if a is not type(None)]
        return None if any(e is None for e in errors) else errors[0]
    if value is None:
        return f"{path} = null: may not be null"
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            return f"{path} = {value}: wrong type: expected a mapping ({tp.__name__})"
        hints = typing.get_type_hints(tp)
        for key, item in value.items():
            if key not in hints:
                return f"{path}.{key} = {item}: unknown key (not a field of {tp.__name__})"
            err = _type_error(item, hints[key], f"{path}.{key}")
            if err:
                return err
        return None
    if origin is list:
        if not isinstance(value, list):
            return f"{path} = {value}: wrong type: expected a list, got {type(value).__name__}"
        (arg,) = typing.get_args(tp) or (Any,)
        for i, item in enumerate(value):
            err = _type_error(item, arg, f"{path}[{i}]")
            if err:
                return err
        return None
    if origin is dict:
        if not isinstance(value, dict):
            return f"{path} = {value}: wrong type: expected a mapping, got {type(value).__name__}"
        _, arg = typing.get_args(tp) or (str, Any)
        for key, item in value.items():
            err = _type_error(item, arg, f"{path}.{key}")
            if err:
                return err
        return None
    ok = {
        float: isinstance(value, int | float) and not isinstance(value, bool),
        int: isinstance(value, int) and not isinstance(value, bool),
        bool: isinstance(value, bool),
        str: isinstance(value, str),
    }.get(tp, True)
    if not ok:
        return f"{path} = {value}: wrong type: expected {tp.__name__}, got {type(value).__name__}"
    return None


def check_entries(
    cfg: DictConfig, scenario_file: str | None = None, scenario: dict[str, Any] | None = None
) -> None:
    """Check the scenario's units and edges against `UnitSpec` / `EdgeSpec` (types and unknown keys).

    They are composed untyped for speed (see `missionfit.runner.config.FAST_LISTS`); this is their schema check,
    run at load time by `missionfit` (before a run) and by the sweeper (before the first job). It checks the
    composed scenario (`composed_scenario`), so units and edges of the files a scenario `extends` are checked too.

    Args:
        cfg: The composed config.
        scenario_file: Displayed path of the scenario file (found on the search path when omitted).
        scenario: The composed scenario mapping, if already at hand (else composed from `cfg`).

    Raises:
        ConfigError: `<file>: units[i].<key> = <value>: <reason>`.
    """
    from missionfit.scenario.schema import EdgeSpec, UnitSpec

    if scenario is None:
        scenario = composed_scenario(cfg)
    for key, spec in (("units", UnitSpec), ("edges", EdgeSpec)):
        for i, entry in enumerate(scenario.get(key) or []):
            err = _type_error(entry, spec, f"{key}[{i}]")
            if err:
                origin = _entry_origin(cfg, key, entry) if scenario_file is None else None
                if origin is not None:
                    raise ConfigError(f"{display_path(origin[0])}: {key}[{origin[1]}]{err[len(f'{key}[{i}]'):]}")
                if scenario_file is None:
                    scenario_file = config_file_of(cfg, "scenario", _scenario_choice(cfg))
                raise ConfigError(f"{scenario_file}: {err}")


def _entry_origin(cfg: DictConfig, key: str, entry: dict[str, Any]) -> tuple[Path, int] | None:
    """The file and index that define a composed unit or edge: the selected scenario file or one it `extends`.

    Only for error messages: the first file, depth first from the selected one, whose `key` list has an entry with
    the same identity (unit id; edge source, target, type). None if none has (e.g. a command-line override).
    """
    from missionfit.scenario.loading import find_scenario_file, read_config_file
    from missionfit.scenario.patches import KEYED_LISTS

    def ident(e: Any) -> Any:
        try:
            return KEYED_LISTS[key](e)
        except (KeyError, TypeError, AttributeError):
            return None

    want = ident(entry)
    dirs = config_search_dirs(cfg)
    stack = [find_scenario_file(_scenario_choice(cfg), dirs)]
    seen: set[Path] = set()
    while stack:
        path = stack.pop(0)
        if path is None or path in seen:
            continue
        seen.add(path)
        raw = read_config_file(path)
        for j, e in enumerate(raw.get(key) or []):
            if want is not None and isinstance(e, dict) and ident(e) == want:
                return path, j
        stack[:0] = [find_scenario_file(str(n), dirs) for n in raw.get("extends") or []]
    return None


def _explicit(value: Any) -> Any:
    """`value` without the `None`s of mappings: the keys a config file left unset (`config.ScenarioNode`)."""
    if isinstance(value, dict):
        return {k: _explicit(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_explicit(v) for v in value]
    return value


def composed_scenario(cfg: DictConfig) -> dict[str, Any]:
    """The scenario of a composed config as the plain mapping the model builds: `extends:` and `patches:` resolved.

    Hydra composes only the selected scenario file (and command-line overrides of `scenario.*`); the files it
    `extends` are merged here, looked up on the config search path (a user's `--config-dir` included), by
    `missionfit.scenario.loading.compose_scenario`, the function `missionfit.scenario.load` uses.

    Args:
        cfg: The composed config (with or without the `hydra` node).

    Returns:
        The composed scenario mapping.

    Raises:
        ConfigError: A file in `extends` is missing, or a patch does not apply (one line).
    """
    from missionfit.scenario.errors import ScenarioError
    from missionfit.scenario.loading import compose_scenario

    raw = OmegaConf.to_container(cfg.scenario, resolve=True)
    assert isinstance(raw, dict)
    # Units, edges and patches are the user's entries, kept verbatim (`strength: null` means "size unknown").
    # An empty mapping (an unset `trust` or `generator` node) merges as nothing: leave it out.
    own = {k: (v if k in ("units", "edges", "patches") else _explicit(v)) for k, v in raw.items() if v is not None}
    own = {k: v for k, v in own.items() if v != {}}
    source = config_file_of(cfg, "scenario", _scenario_choice(cfg))
    try:
        return compose_scenario(own, config_search_dirs(cfg), source=source)
    except ScenarioError as err:
        raise ConfigError(str(err)) from err


def _scenario_choice(cfg: DictConfig) -> str:
    try:
        from hydra.core.hydra_config import HydraConfig

        if HydraConfig.initialized():
            choice = HydraConfig.get().runtime.choices.get("scenario")
            if choice:
                return str(choice)
    except Exception:  # noqa: BLE001
        pass
    choice = OmegaConf.select(cfg, "hydra.runtime.choices.scenario", default=None)
    return str(choice or cfg.scenario.get("name", "scenario"))


def _available(group: str, text: str = "") -> list[str]:
    m = re.search(rf"Available options in '{re.escape(group)}':\n((?:\t.*\n?)+)", text)
    if m:
        return sorted(line.strip() for line in m.group(1).splitlines() if line.strip())
    try:
        from hydra.core.global_hydra import GlobalHydra
        from hydra.core.object_type import ObjectType

        loader = GlobalHydra.instance().config_loader()
        options = set(loader.get_group_options(group, results_filter=ObjectType.CONFIG))
    except Exception:  # noqa: BLE001 - best effort, only for the message
        options = set()
    for base in [*EXTRA_CONFIG_DIRS, config_dir()]:
        options.update(p.stem for p in (Path(base) / group).glob("*.yaml"))
    return sorted(options)


def _group_values(overrides: Sequence[str]) -> list[tuple[str, list[str]]]:
    out = []
    for o in overrides:
        if "=" not in o:
            continue
        key, value = o.split("=", 1)
        key = key.lstrip("+~").split("@", 1)[0]
        if key in GROUPS or key.startswith("hydra/"):
            names = [v.strip() for v in value.strip("[]").split(",") if v.strip()]
            out.append((key, names))
    return out


def _first_line(text: str) -> str:
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return str(text).strip()


def _full_key(text: str) -> str | None:
    m = re.search(r"full_key: (\S+)", text)
    return m.group(1) if m else None


def _reason(message: str) -> tuple[str, str | None]:
    """Return (reason, offending value) from an OmegaConf message."""
    line = _first_line(message)
    m = re.match(r"Value '(.*)' of type '(\w+)' could not be converted to (\w+)", line)
    if m:
        return f"wrong type: expected {m.group(3).lower()}, got {m.group(2)}", m.group(1)
    m = re.match(r"Key '([^']+)' not in '([^']+)'", line)
    if m:
        return f"unknown key (not a field of {m.group(2)})", None
    m = re.match(r"Non optional field cannot be assigned None", line)
    if m:
        return "may not be null", "null"
    return line, None


def describe_value_error(key: str, value: Any, err: BaseException) -> str:
    """Return `<key> = <value>: <reason>` for a value rejected by the typed config."""
    reason, _ = _reason(str(err))
    return f"{key} = {value}: {reason}"


def unknown_group_option(group: str, name: str, text: str = "") -> str:
    """Return the one-line message for an unknown option of a config group."""
    avail = ", ".join(_available(group, text)) or "none"
    kind = {"interventions": "intervention"}.get(group, group)
    return f"{primary_config_file()}: {group} = {name}: unknown {kind} (available: {avail})"


def describe_exception(err: BaseException, overrides: Sequence[str] = ()) -> str:
    """Turn a Hydra/OmegaConf composition error into one line naming file, key and value.

    Args:
        err: MissingConfigException, ConfigCompositionException, OmegaConf ValidationError or another error.
        overrides: The overrides that were being composed.

    Returns:
        One line, without the `missionfit: error:` prefix.
    """
    text = str(err)
    missing = re.search(r"Could not (?:find|load) '([^']+)'", text)
    if missing:
        group, _, name = missing.group(1).rpartition("/")
        if group:
            return unknown_group_option(group, name, text)
        return f"{primary_config_file()}: {_first_line(text)}"

    cause = err.__cause__ or err.__context__
    cause_text = str(cause) if cause is not None else ""
    m = re.match(r"In '([^']+)': \w+ raised while composing config:\n(.*)", text, re.S)
    if m:
        origin = _find_config_file(m.group(1)) or m.group(1)
        inner = m.group(2)
        reason, value = _reason(inner)
        key = _full_key(inner) or "?"
        if value is None:
            value = _value_in_file(origin, key)
        return f"{origin}: {key} = {value}: {reason}"
    m = re.match(r"Error merging override (\S+?)=(.*)", _first_line(text))
    if m:
        reason, value = _reason(cause_text or text)
        key = _full_key(cause_text) or m.group(1)
        return f"command line: {key} = {value if value is not None else m.group(2)}: {reason}"
    m = re.match(r"Could not override '([^']+)'", _first_line(text))
    if m:
        value = next((o.split("=", 1)[1] for o in overrides if o.split("=", 1)[0] == m.group(1)), "?")
        return f"command line: {m.group(1)} = {value}: unknown key (to add a new key use +{m.group(1)}=...)"
    m = re.match(r"Error merging '([^']+)'", _first_line(text))
    origin = (_find_config_file(m.group(1)) or m.group(1)) if m else "command line"
    if cause_text:
        reason, value = _reason(cause_text)
        return f"{origin}: {_full_key(cause_text) or '?'} = {value if value is not None else '?'}: {reason}"
    reason, value = _reason(text)
    key = _full_key(text)
    if key:
        return f"{origin}: {key} = {value if value is not None else '?'}: {reason}"
    return f"{origin}: {reason}"


def _value_in_file(path: str, key: str) -> str:
    """Return the value at the last component of `key` in a YAML file, for messages (best effort)."""
    try:
        import yaml

        leaf = key.rsplit(".", 1)[-1]
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if leaf in node:
                    return str(node[leaf])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    except Exception:  # noqa: BLE001
        pass
    return "?"


def _find_config_file(name: str) -> str | None:
    """Return the displayed path of a config file `group/name` on the search path, if found."""
    candidates = []
    try:
        from hydra.core.hydra_config import HydraConfig

        if HydraConfig.initialized():
            for src in HydraConfig.get().runtime.config_sources:
                if src.schema == "file":
                    candidates.append(Path(src.path))
    except Exception:  # noqa: BLE001
        pass
    candidates.extend([*EXTRA_CONFIG_DIRS, config_dir()])
    for base in candidates:
        p = Path(base) / f"{name}.yaml"
        if p.is_file():
            return display_path(p)
    return None


def config_search_dirs(cfg: DictConfig | None = None) -> list[Path]:
    """The config directories on the search path, in Hydra's order, then `--config-dir`s and the built-in one.

    Args:
        cfg: The composed config; its `hydra.runtime.config_sources` and `hydra.searchpath` are read when present
            (a sweep's job config carries them before Hydra is initialized for the job).

    Returns:
        Existing directories, each once.
    """
    dirs: list[Path] = []
    sources: list[Any] = []
    try:
        from hydra.core.hydra_config import HydraConfig

        if HydraConfig.initialized():
            sources.extend(HydraConfig.get().runtime.config_sources)
    except Exception:  # noqa: BLE001
        pass
    if cfg is not None and "hydra" in cfg:
        sources.extend(OmegaConf.select(cfg, "hydra.runtime.config_sources", default=None) or [])
    for src in sources:
        if src.get("schema") == "file":
            dirs.append(Path(src["path"]))
    sp = OmegaConf.select(cfg, "hydra.searchpath", default=None) if cfg is not None and "hydra" in cfg else None
    for entry in sp or []:
        if str(entry).startswith("file://"):
            dirs.append(Path(str(entry)[7:]))
    dirs.extend([*EXTRA_CONFIG_DIRS, config_dir()])
    out: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in {o.resolve() for o in out}:
            out.append(d)
    return out


def config_file_of(cfg: DictConfig, group: str, name: str) -> str:
    """Return the displayed path of the file a group selection came from (for error messages).

    Args:
        cfg: The composed config (with or without the `hydra` node).
        group: Config group, e.g. `scenario`.
        name: Selected option.

    Returns:
        The path, or `group/name.yaml` when it cannot be located.
    """
    dirs = config_search_dirs(cfg)
    for base in dirs:
        p = base / group / f"{name}.yaml"
        if p.is_file():
            return display_path(p)
    return f"{group}/{name}.yaml"
