"""Experimental designs over config keys, and the sensitivity analysis of their results.

A design is a matrix X (points × parameters) over dotted config keys with [low, high] bounds. Full-factorial
grids are built here; Latin hypercube, Sobol (Saltelli's scheme) and Morris samples come from SALib, whose
analysers turn the per-point metric means back into indices. Generation is deterministic in the design config,
so a job that evaluates a batch of points regenerates exactly the sweeper's matrix.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

DESIGN_METHODS = ("none", "grid", "lhs", "sobol", "morris")


class DesignError(ValueError):
    """A design config that cannot be sampled (unknown method, bad bounds)."""


@dataclass
class Design:
    """A design matrix.

    Attributes:
        method: grid, lhs, sobol or morris.
        names: Dotted config keys, one per column of `X`.
        bounds: [low, high] per name.
        X: Points × parameters.
        integer: Which columns are integer-valued config keys (rounded).
    """

    method: str
    names: list[str]
    bounds: list[list[float]]
    X: np.ndarray
    integer: list[bool]

    def problem(self) -> dict[str, Any]:
        """Return the SALib problem dict."""
        return {
            "num_vars": len(self.names),
            "names": list(self.names),
            "bounds": [list(b) for b in self.bounds],
        }

    def point(self, i: int) -> dict[str, float | int]:
        """Return design point `i` as {config key: value}."""
        return {
            name: (int(v) if is_int else float(v))
            for name, v, is_int in zip(self.names, self.X[i], self.integer, strict=True)
        }

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serializable description (stored in the sweep's `sweep.json`)."""
        return {
            "method": self.method,
            "names": self.names,
            "bounds": self.bounds,
            "integer": self.integer,
            "X": self.X.tolist(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Design:
        """Rebuild a design stored by `to_dict`."""
        return cls(
            method=data["method"],
            names=list(data["names"]),
            bounds=[list(b) for b in data["bounds"]],
            X=np.asarray(data["X"], dtype=float),
            integer=list(data["integer"]),
        )


def _salib(module: str) -> Any:
    try:
        import importlib

        return importlib.import_module(f"SALib.{module}")
    except ImportError as err:  # pragma: no cover - depends on the optional extra
        raise DesignError("designs lhs/sobol/morris need SALib: pip install 'missionfit[sa]'") from err


def make_design(
    method: str,
    params: Mapping[str, Sequence[float]],
    *,
    n: int = 16,
    levels: int = 5,
    seed: int = 0,
    second_order: bool = False,
    num_levels: int = 4,
    integer_keys: Sequence[str] = (),
) -> Design:
    """Sample a design.

    Args:
        method: grid (full factorial, `levels` per parameter), lhs (`n` points), sobol (Saltelli's scheme
            with `n` base samples: n·(D+2) points, or n·(2D+2) with `second_order`) or morris (`n`
            trajectories on a `num_levels` grid: n·(D+1) points).
        params: Dotted config key -> [low, high].
        n: Sample size (see `method`).
        levels: Grid levels per parameter.
        seed: Sampler seed.
        second_order: Sobol only.
        num_levels: Morris only.
        integer_keys: Keys whose config type is int; their values are rounded.

    Returns:
        The design.

    Raises:
        DesignError: Unknown method, no parameters, or bounds that are not [low, high] with low < high.
    """
    if method not in DESIGN_METHODS or method == "none":
        raise DesignError(f"design.method = {method}: unknown design (available: grid, lhs, sobol, morris)")
    if not params:
        raise DesignError(f"design.params = {{}}: the {method} design needs at least one parameter")
    names = list(params)
    bounds: list[list[float]] = []
    for name in names:
        b = list(params[name])
        if len(b) != 2 or not float(b[0]) < float(b[1]):
            raise DesignError(f"design.params.{name} = {b}: expected [low, high] with low < high")
        bounds.append([float(b[0]), float(b[1])])
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    if method == "grid":
        if levels < 1:
            raise DesignError(f"design.levels = {levels}: must be >= 1")
        axes = [np.linspace(lo, hi, levels) if levels > 1 else np.array([lo]) for lo, hi in bounds]
        X = np.array(list(itertools.product(*axes)), dtype=float)
    elif method == "lhs":
        if n < 1:
            raise DesignError(f"design.n = {n}: must be >= 1")
        X = _salib("sample.latin").sample(problem, n, seed=seed)
    elif method == "sobol":
        if n < 2:
            raise DesignError(f"sensitivity.n = {n}: must be >= 2")
        X = _salib("sample.sobol").sample(problem, n, calc_second_order=second_order, seed=seed)
    else:
        if n < 2:
            raise DesignError(f"sensitivity.n = {n}: must be >= 2")
        X = _salib("sample.morris").sample(problem, n, num_levels=num_levels, seed=seed)
    X = np.asarray(X, dtype=float)
    integer = [name in set(integer_keys) for name in names]
    for j, is_int in enumerate(integer):
        if is_int:
            X[:, j] = np.round(X[:, j])
    return Design(method=method, names=names, bounds=bounds, X=X, integer=integer)


def batch_indices(n_points: int, batch_size: int, batch: int) -> range:
    """Return the design-point indices of one batch.

    Args:
        n_points: Number of design points.
        batch_size: Points per batch.
        batch: Batch number (0-based).

    Returns:
        The indices.
    """
    return range(batch * batch_size, min(n_points, (batch + 1) * batch_size))


def analyze(
    design: Design,
    Y: Mapping[str, np.ndarray],
    *,
    second_order: bool = False,
    num_levels: int = 4,
    seed: int = 0,
) -> pd.DataFrame:
    """Sensitivity indices of each output over a Sobol or Morris design.

    Args:
        design: The design the outputs were evaluated on (rows of `X` in order).
        Y: Output name -> values per design point (same order as `design.X`).
        second_order: Whether the Sobol sample included second-order columns.
        num_levels: Morris grid levels used to sample.
        seed: Bootstrap seed.

    Returns:
        Columns `method, parameter, metric, S1, S1_conf, ST, ST_conf` (Sobol) or
        `method, parameter, metric, mu_star, mu_star_conf, sigma, mu` (Morris).

    Raises:
        DesignError: For other design methods.
    """
    rows = []
    problem = design.problem()
    for metric, y in Y.items():
        y = np.asarray(y, dtype=float)
        if design.method == "sobol":
            if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
                res = {k: np.full(len(design.names), np.nan) for k in ("S1", "S1_conf", "ST", "ST_conf")}
            else:
                # SALib seeds the bootstrap only for a truthy seed (`if seed:`), so seed 0 would draw from the
                # global RNG and the intervals would change from run to run; a Generator seeds it for any seed
                res = _salib("analyze.sobol").analyze(
                    problem, y, calc_second_order=second_order, print_to_console=False,
                    seed=np.random.default_rng(seed),
                )
            for j, name in enumerate(design.names):
                rows.append(
                    {
                        "method": "sobol",
                        "parameter": name,
                        "metric": metric,
                        "S1": float(res["S1"][j]),
                        "S1_conf": float(res["S1_conf"][j]),
                        "ST": float(res["ST"][j]),
                        "ST_conf": float(res["ST_conf"][j]),
                    }
                )
        elif design.method == "morris":
            res = _salib("analyze.morris").analyze(
                problem, design.X, y, num_levels=num_levels, print_to_console=False, seed=seed
            )
            for j, name in enumerate(design.names):
                rows.append(
                    {
                        "method": "morris",
                        "parameter": name,
                        "metric": metric,
                        "mu_star": float(res["mu_star"][j]),
                        "mu_star_conf": float(res["mu_star_conf"][j]),
                        "sigma": float(res["sigma"][j]),
                        "mu": float(res["mu"][j]),
                    }
                )
        else:
            raise DesignError(f"design.method = {design.method}: no sensitivity analysis (use sobol or morris)")
    return pd.DataFrame(rows)
