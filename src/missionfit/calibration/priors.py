"""The prior space of a calibration: which stylized values it samples, over which ranges, and how each acts.

A prior file (`configs/calibration/<scenario>.yaml`) is data: it transcribes docs/validation.md §10's rows. Each
parameter draws one coordinate of a Latin hypercube and moves every place its selectors name
(`missionfit.calibration.selectors`) by one operation:

- `set`: the drawn value replaces each target (a mechanism parameter, or one scenario value);
- `scale`: each target is multiplied by the drawn factor (R-×2 rows over many values, e.g. every battalion's patrol
  coverage);
- `logit_shift`: each target p becomes expit(logit(p) + d) for the drawn offset d (R-logit and R-order rows: one
  shared offset moves a cluster of group values together, "tied"; 0 and 1 stay where they are);
- `shift`: each target is moved by the drawn offset and clipped to [0, 1].

Draws are uniform on `range`, on the log scale with `log: true`, integers with `integer: true` (inclusive range), or
one of `choices`. `constraints` keep the orderings the paper reports (`less: [A, B]`: every value A names stays
below every value B names); a point that breaks one is discarded and reported (validation.md §10, R-order).
`normalize` rescales the values a selector names to sum to 1 after every parameter acted (event-type shares).
Selectors under `mechanisms.` name `MechanismSpec` fields; the others name values of the composed scenario.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from missionfit.calibration.selectors import SelectorError, parse, resolve
from missionfit.scenario.errors import ScenarioError
from missionfit.scenario.schema import MechanismSpec

#: The operations a parameter may apply to its targets.
OPERATIONS = ("set", "scale", "logit_shift", "shift")
#: Keys of one parameter entry.
PARAMETER_KEYS = {*OPERATIONS, "name", "range", "choices", "log", "integer", "clip", "rule", "source", "fit", "note"}
#: Keys of a prior file.
FILE_KEYS = {"scenario", "days", "replicates", "seed", "design_seed", "sets", "min_accepted", "max_rounds",
             "parameters", "constraints", "normalize", "description"}  # fmt: skip
MECHANISMS = "mechanisms."
_MECHANISM_DEFAULTS = {f.name: f.default for f in dataclasses.fields(MechanismSpec)}


@dataclass(frozen=True)
class Prior:
    """One sampled coordinate: its range, how it is drawn, and what it moves.

    Attributes:
        name: The coordinate's name (a column of the ensemble table).
        operation: One of `OPERATIONS`.
        targets: The selectors it moves.
        low, high: The range (for `choices`, 0 and len − 1 of the choices' indices).
        log: Drawn uniformly on the log scale.
        integer: Drawn as an integer of the inclusive range.
        choices: The discrete values, if the coordinate is one of them.
        clip: Bounds each moved value is clipped to, if any.
        rule, source, fit: docs/validation.md §10's rule, source and fit dimension (documentation).
        line: Line of the entry in its file (for error messages).
    """

    name: str
    operation: str
    targets: tuple[str, ...]
    low: float
    high: float
    log: bool = False
    integer: bool = False
    choices: tuple[Any, ...] = ()
    clip: tuple[float, float] | None = None
    rule: str = ""
    source: str = ""
    fit: str = ""
    line: int = 0

    def value(self, u: float) -> Any:
        """The coordinate's value at the unit-cube coordinate `u` in [0, 1)."""
        if self.choices:
            return self.choices[min(int(u * len(self.choices)), len(self.choices) - 1)]
        if self.integer:
            return int(min(self.low + math.floor(u * (self.high - self.low + 1)), self.high))
        if self.log:
            return float(math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low))))
        return float(self.low + u * (self.high - self.low))

    def rank(self, value: Any) -> float:
        """The position of a value in the prior range, in [0, 1] (the inverse of `value`, for the figures).

        A choice or an integer is placed at the centre of the interval of unit coordinates that draws it.
        """
        if self.choices:
            return (self.choices.index(value) + 0.5) / len(self.choices)
        if self.integer:
            return (int(value) - self.low + 0.5) / (self.high - self.low + 1)
        if self.log:
            return (math.log(value) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
        return (float(value) - self.low) / (self.high - self.low)


@dataclass(frozen=True)
class Constraint:
    """An ordering the sample keeps: every value `lower` names stays below (or at, if not strict) every `upper` one."""

    lower: str
    upper: str
    strict: bool = True
    line: int = 0

    def holds(self, spec: Mapping[str, Any], mechanisms: Mapping[str, Any]) -> bool:
        """Whether the ordering holds in a spec and mechanism set."""
        lo, hi = target_values(spec, mechanisms, self.lower), target_values(spec, mechanisms, self.upper)
        return max(lo) < min(hi) if self.strict else max(lo) <= min(hi)


@dataclass(frozen=True)
class PriorSpace:
    """A prior file: the calibration's settings, its parameters, constraints and normalisations."""

    path: Path
    scenario: str
    parameters: tuple[Prior, ...]
    constraints: tuple[Constraint, ...] = ()
    normalize: tuple[str, ...] = ()
    days: int = 180
    replicates: int = 20
    seed: int = 0
    design_seed: int = 0
    sets: int = 1000
    min_accepted: int = 50
    max_rounds: int = 5
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """The coordinates' names, in file order."""
        return [p.name for p in self.parameters]


# ------------------------------------------------------------------------------------------------------------------
# reading and checking a prior file


def _lines(text: str) -> dict[tuple[str, int], int]:
    """Line numbers (1-based) of the entries of the file's `parameters` and `constraints` lists."""
    out: dict[tuple[str, int], int] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return out
    if isinstance(root, yaml.MappingNode):
        for key, node in root.value:
            if key.value in ("parameters", "constraints") and isinstance(node, yaml.SequenceNode):
                for i, item in enumerate(node.value):
                    out[(key.value, i)] = item.start_mark.line + 1
    return out


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _prior(entry: Any, where: str, line: int, names: set[str]) -> Prior:
    """Check one parameter entry and build its `Prior` (errors name file, line, key and value)."""

    def fail(key: str, value: Any, reason: str) -> None:
        raise ScenarioError(where, key, value, reason)

    if not isinstance(entry, dict):
        fail("parameters[]", entry, "each parameter is a mapping")
    name = entry.get("name")
    if not isinstance(name, str) or not name.isidentifier():
        fail("name", name, "each parameter needs a name that is an identifier (a column of the ensemble)")
    if name in names:
        fail("name", name, "a parameter name may appear once")
    unknown = sorted(set(entry) - PARAMETER_KEYS)
    if unknown:
        fail(f"{name}.{unknown[0]}", entry[unknown[0]], f"unknown key (expected {', '.join(sorted(PARAMETER_KEYS))})")
    ops = [op for op in OPERATIONS if op in entry]
    if len(ops) != 1:
        fail(name, sorted(entry), f"exactly one operation of {', '.join(OPERATIONS)} is needed")
    op = ops[0]
    targets = entry[op] if isinstance(entry[op], list) else [entry[op]]
    for t in targets:
        try:
            parse(t)
        except SelectorError as exc:
            fail(f"{name}.{op}", t, str(exc))
    if not entry.get("rule") or not entry.get("source"):
        fail(name, entry.get("rule"), "each parameter names its rule and source (docs/validation.md §10)")
    choices = tuple(entry.get("choices") or ())
    log, integer = bool(entry.get("log", False)), bool(entry.get("integer", False))
    if choices:
        if "range" in entry:
            fail(f"{name}.range", entry["range"], "give either range or choices")
        if op != "set" or not all(_number(c) for c in choices) or len(set(choices)) != len(choices):
            fail(f"{name}.choices", list(choices), "choices are distinct numbers, with the operation set")
        low, high = 0.0, float(len(choices) - 1)
    else:
        rng = entry.get("range")
        if not (isinstance(rng, list) and len(rng) == 2 and all(_number(x) for x in rng) and rng[0] < rng[1]):
            fail(f"{name}.range", rng, "must be [low, high] with finite numbers, low < high")
        low, high = float(rng[0]), float(rng[1])
        if log and low <= 0:
            fail(f"{name}.range", rng, "a log-scale range must be positive")
        if integer and (low != int(low) or high != int(high)):
            fail(f"{name}.range", rng, "an integer range has integer ends")
        if op == "scale" and low <= 0:
            fail(f"{name}.range", rng, "a scale factor must be positive")
    clip = entry.get("clip")
    if clip is not None and not (isinstance(clip, list) and len(clip) == 2 and all(_number(x) for x in clip)
                                 and clip[0] < clip[1]):  # fmt: skip
        fail(f"{name}.clip", clip, "must be [low, high] with low < high")
    return Prior(
        name=name, operation=op, targets=tuple(targets), low=low, high=high, log=log, integer=integer,
        choices=choices, clip=tuple(clip) if clip else None, rule=str(entry["rule"]), source=str(entry["source"]),
        fit=str(entry.get("fit", "")), line=line,
    )  # fmt: skip


def load_priors(path: str | Path) -> PriorSpace:
    """Read and check a prior file.

    Raises:
        ScenarioError: A missing or unreadable file, or any bad entry: one line naming file (and line), key and value.
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(str(path), "priors", str(path), "no such prior file")
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ScenarioError(where, "yaml", None, str(getattr(exc, "problem", exc))) from None
    if not isinstance(data, dict):
        raise ScenarioError(str(path), "priors", type(data).__name__, "a prior file is a mapping")
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise ScenarioError(
            str(path), unknown[0], data[unknown[0]], f"unknown key (expected {', '.join(sorted(FILE_KEYS))})"
        )
    lines = _lines(text)
    if not isinstance(data.get("scenario"), str):
        raise ScenarioError(str(path), "scenario", data.get("scenario"), "name the scenario to calibrate")
    settings = {}
    for key, low in (("days", 1), ("replicates", 2), ("seed", 0), ("design_seed", 0), ("sets", 1),
                     ("min_accepted", 1), ("max_rounds", 1)):  # fmt: skip
        if key in data:
            v = data[key]
            if not isinstance(v, int) or isinstance(v, bool) or v < low:
                raise ScenarioError(str(path), key, v, f"must be an integer >= {low}")
            settings[key] = v
    entries = data.get("parameters")
    if not isinstance(entries, list) or not entries:
        raise ScenarioError(str(path), "parameters", entries, "a prior file lists at least one parameter")
    names: set[str] = set()
    priors = []
    for i, entry in enumerate(entries):
        line = lines.get(("parameters", i), 0)
        prior = _prior(entry, f"{path}:{line}" if line else str(path), line, names)
        names.add(prior.name)
        priors.append(prior)
    constraints = []
    for i, entry in enumerate(data.get("constraints") or []):
        line = lines.get(("constraints", i), 0)
        where = f"{path}:{line}" if line else str(path)
        kinds = [k for k in ("less", "less_equal") if isinstance(entry, dict) and k in entry]
        pair = entry.get(kinds[0]) if len(kinds) == 1 else None
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)):
            raise ScenarioError(where, "constraints[]", entry, "a constraint is {less: [A, B]} or {less_equal: [A, B]}")
        for s in pair:
            try:
                parse(s)
            except SelectorError as exc:
                raise ScenarioError(where, kinds[0], s, str(exc)) from None
        constraints.append(Constraint(pair[0], pair[1], strict=kinds[0] == "less", line=line))
    normalize = data.get("normalize") or []
    if not isinstance(normalize, list) or not all(isinstance(s, str) for s in normalize):
        raise ScenarioError(str(path), "normalize", normalize, "a list of selectors")
    return PriorSpace(
        path=path, scenario=data["scenario"], parameters=tuple(priors), constraints=tuple(constraints),
        normalize=tuple(normalize), settings=settings, **settings,
    )  # fmt: skip


# ------------------------------------------------------------------------------------------------------------------
# applying a point


def places(spec: Mapping[str, Any], mechanisms: dict[str, Any], selector: str) -> list[tuple[Any, Any]]:
    """The places a selector names: a mechanism parameter (filled with its default first), or scenario values."""
    if selector.startswith(MECHANISMS):
        key = selector[len(MECHANISMS) :]
        if key not in _MECHANISM_DEFAULTS:
            return []
        mechanisms.setdefault(key, _MECHANISM_DEFAULTS[key])
        return [(mechanisms, key)]
    return resolve(spec["scenario"], selector)


def target_values(spec: Mapping[str, Any], mechanisms: Mapping[str, Any], selector: str) -> list[Any]:
    """The current values a selector names in a spec and mechanism set (mechanism defaults where not set)."""
    return [c[k] for c, k in places(spec, dict(mechanisms), selector)]


def move(prior: Prior, old: Any, value: Any) -> Any:
    """A target's new value when `prior` acts on it with the drawn `value`."""
    if prior.operation == "set":
        new = value
    elif prior.operation == "scale":
        new = old * value
    elif prior.operation == "shift":
        new = min(max(old + value, 0.0), 1.0)
    elif old <= 0.0 or old >= 1.0:  # logit_shift: the ends are fixed points of expit(logit(p) + d)
        new = old
    else:
        new = 1.0 / (1.0 + math.exp(-(math.log(old / (1.0 - old)) + value)))
    if prior.clip is not None and not isinstance(new, bool):
        new = min(max(new, prior.clip[0]), prior.clip[1])
    return new


def apply_point(
    space: PriorSpace,
    spec: dict[str, Any],
    point: Mapping[str, Any],
    mechanisms: Mapping[str, Any] | None = None,
    *,
    strict: bool = True,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Move a spec (edited in place and returned) and a mechanism set by the values of one point.

    Args:
        space: The prior space.
        spec: A spec of `missionfit.scenario_spec`'s shape.
        point: The parameter values.
        mechanisms: Mechanism overrides to start from.
        strict: Refuse a selector that names nothing (the calibrated scenario itself). With `strict=False` such a
            selector is skipped: the same point applied to another year, which lacks a unit the prior names (2014
            has no Estonian HUMINT team, 2018 no riverine unit).

    Raises:
        ScenarioError: With `strict`, a selector that names nothing in this spec (a prior that would act on nothing).
    """
    mech = dict(mechanisms or {})
    for prior in space.parameters:
        for selector in prior.targets:
            found = places(spec, mech, selector)
            if not found and not strict:
                continue
            if not found:
                where = f"{space.path}:{prior.line}" if prior.line else str(space.path)
                raise ScenarioError(
                    where,
                    f"{prior.name}.{prior.operation}",
                    selector,
                    f"names no value of scenario {space.scenario!r} (a prior must act on something)",
                )
            for container, key in found:
                container[key] = move(prior, container[key], point[prior.name])
    for selector in space.normalize:
        shares = resolve(spec["scenario"], selector)
        total = sum(c[k] for c, k in shares)
        for c, k in shares:
            c[k] = c[k] / total
    return spec, mech


def point_values(space: PriorSpace, unit: Sequence[float]) -> dict[str, Any]:
    """The parameter values at one point of the unit cube (one coordinate per parameter, in file order)."""
    return {p.name: p.value(float(u)) for p, u in zip(space.parameters, unit, strict=True)}


def latin_hypercube(space: PriorSpace, n: int, design_seed: int) -> np.ndarray:
    """An `n` × d Latin hypercube on [0, 1)^d (`scipy.stats.qmc.LatinHypercube`, scrambled, seeded)."""
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=len(space.parameters), rng=np.random.default_rng(design_seed)).random(n)
