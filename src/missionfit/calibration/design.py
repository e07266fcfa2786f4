"""The sampled design: Latin-hypercube points over a prior space, with the paper's orderings kept.

validation.md §10 (R-order): a point whose values would reverse an ordering the paper reports is discarded, and the
hypercube is drawn larger to make up for it; the discarded share is reported. The points kept are the first `n`
valid ones, in the hypercube's row order, so a design is a pure function of the prior file, `n` and the seed.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from missionfit.calibration.priors import PriorSpace, apply_point, latin_hypercube, move, places, point_values

#: The largest hypercube drawn to make up for discarded points, as a multiple of the points asked for.
MAX_OVERSAMPLE = 1000


def unit_column(name: str) -> str:
    """The ensemble column holding a parameter's unit-cube coordinate."""
    return f"u_{name}"


def point_spec(
    space: PriorSpace, base: Mapping[str, Any], values: Mapping[str, Any], *, strict: bool = True
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A copy of the base spec moved to one point, and the point's mechanism parameters (`apply_point`)."""
    return apply_point(space, copy.deepcopy(dict(base)), values, strict=strict)


def valid(space: PriorSpace, base: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Whether a point keeps every ordering constraint of its prior space (on a moved copy of the spec)."""
    spec, mech = point_spec(space, base, values)
    return all(c.holds(spec, mech) for c in space.constraints)


class ConstraintCheck:
    """`valid` without copying the spec: the constrained values computed from the base by the priors that move them.

    Each side of each constraint is resolved once on the base spec; for each place it names, the priors whose
    targets include that place are applied in file order, as `apply_point` does (normalisation never touches a
    constrained value, which `tests/test_calibration.py` checks against `valid`).
    """

    def __init__(self, space: PriorSpace, base: Mapping[str, Any]):
        mech: dict[str, Any] = {}
        moved: dict[tuple[int, Any], list[Any]] = {}
        for prior in space.parameters:
            for selector in prior.targets:
                for c, k in places(base, mech, selector):
                    moved.setdefault((id(c), k), []).append(prior)
        self._sides = []
        for con in space.constraints:
            sides = []
            for selector in (con.lower, con.upper):
                sides.append([(c[k], moved.get((id(c), k), [])) for c, k in places(base, mech, selector)])
            self._sides.append((sides[0], sides[1], con.strict))

    def __call__(self, values: Mapping[str, Any]) -> bool:
        """Whether the point keeps every constraint."""
        for lower, upper, strict in self._sides:
            lo = max(self._value(v, priors, values) for v, priors in lower)
            hi = min(self._value(v, priors, values) for v, priors in upper)
            if not (lo < hi if strict else lo <= hi):
                return False
        return True

    @staticmethod
    def _value(base: Any, priors: list[Any], values: Mapping[str, Any]) -> Any:
        for prior in priors:
            base = move(prior, base, values[prior.name])
        return base


def draw(space: PriorSpace, base: Mapping[str, Any], n: int, design_seed: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """`n` valid points of a Latin hypercube over the prior space, and how many were drawn to get them.

    Returns:
        The design (columns `point`, `design_seed`, one `u_<name>` and one `<name>` per parameter) and a summary:
        `drawn` (the hypercube's size), `discarded` (points that broke a constraint among those examined) and
        `discarded_share`.

    Raises:
        RuntimeError: Fewer than `n` valid points in a hypercube `MAX_OVERSAMPLE` times larger (constraints that
            almost no point meets: a defect of the prior file).
    """
    check = ConstraintCheck(space, base)
    size = n
    while True:
        unit = latin_hypercube(space, size, design_seed)
        kept, examined = [], 0
        for row in unit:
            examined += 1
            values = point_values(space, row)
            if check(values):
                kept.append((row, values))
                if len(kept) == n:
                    break
        if len(kept) == n:
            break
        if size >= MAX_OVERSAMPLE * n:
            raise RuntimeError(f"{space.path}: only {len(kept)} of {size} points keep the constraints")
        share = max(len(kept) / examined, 1.0 / MAX_OVERSAMPLE)
        size = min(max(size + 1, math.ceil(1.1 * n / share)), MAX_OVERSAMPLE * n)
    rows = []
    for i, (u, values) in enumerate(kept):
        row: dict[str, Any] = {"point": i, "design_seed": design_seed}
        row.update({unit_column(p.name): float(x) for p, x in zip(space.parameters, u, strict=True)})
        row.update(values)
        rows.append(row)
    discarded = examined - n
    summary = {"drawn": size, "examined": examined, "discarded": discarded, "discarded_share": discarded / examined}
    return pd.DataFrame(rows), summary


def as_values(space: PriorSpace, row: Mapping[str, Any]) -> dict[str, Any]:
    """A point's parameter values from an ensemble row (integers and choices back to their Python types)."""
    out = {}
    for p in space.parameters:
        v = row[p.name]
        out[p.name] = int(v) if p.integer or (p.choices and all(isinstance(c, int) for c in p.choices)) else float(v)
    return out


def unit_matrix(space: PriorSpace, table: pd.DataFrame) -> np.ndarray:
    """The unit-cube coordinates of an ensemble's rows (rows × parameters)."""
    return table[[unit_column(p.name) for p in space.parameters]].to_numpy(dtype=float)
