"""Trust priors (issue 16 §1): what one unit expects of another before they interact, without a units x units matrix.

The scenario's `trust:` block gives priors by group pair, a floor between units of the same contributor, and
per-pair overrides (schema.TrustSpec; p. 394: "intelligence is a trust sport, which you only play with those you
trust"). A `TrustPrior` keeps exactly that: a group x group table, the same table floored for units of one
contributor, and the overrides. Both components of a dyad (competence and goodwill, Mayer, Davis & Schoorman
1995) start at this prior. The engine computes a pair's prior when the pair first interacts
(`missionfit.engine.trust.prior`), so nothing is O(units²) (issue 15 §4).

Precedence (as in v1): a pair override > the truster group's row naming the trustee's group > the same group >
the default; units of the same contributor get at least `same_contributor` unless the group row names the
trustee's group; a unit trusts itself fully.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from missionfit.scenario.codes import ECHELON_LEVEL


@dataclass
class TrustPrior:
    """The compact trust prior of a compiled scenario.

    Attributes:
        groups: Group names, in index order.
        group_of: Per unit, the index of its group.
        contributor_of: Per unit, the index of its contributor (country).
        table: `table[0, g, h]`: the prior of a unit of group g in a unit of group h of another contributor;
            `table[1, g, h]`: ... of the same contributor.
        pairs: Per-pair overrides, `(truster index, trustee index) -> value`.
    """

    groups: list[str]
    group_of: np.ndarray
    contributor_of: np.ndarray
    table: np.ndarray
    pairs: dict[tuple[int, int], float] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, units: list[dict[str, Any]], trust: Mapping[str, Any]) -> TrustPrior:
        """Build the prior from resolved units and the scenario's `trust:` block."""
        groups = sorted({str(u["group"]) for u in units})
        contributors = sorted({str(u["contributor"]) for u in units})
        g_index = {g: i for i, g in enumerate(groups)}
        c_index = {c: i for i, c in enumerate(contributors)}
        rows = trust.get("groups") or {}
        n = len(groups)
        table = np.full((2, n, n), float(trust["default"]))
        for a, ga in enumerate(groups):
            row = rows.get(ga, {})
            for b, gb in enumerate(groups):
                if gb in row:
                    table[:, a, b] = row[gb]  # a named group pair: the contributor floor does not apply
                    continue
                if a == b:
                    table[:, a, b] = trust["same_group"]
                table[1, a, b] = max(table[1, a, b], trust["same_contributor"])
        index = {u["id"]: i for i, u in enumerate(units)}
        pairs = {(index[p["source"]], index[p["target"]]): float(p["value"]) for p in trust.get("pairs") or []}
        return cls(
            groups=groups,
            group_of=np.array([g_index[str(u["group"])] for u in units], dtype=np.int64),
            contributor_of=np.array([c_index[str(u["contributor"])] for u in units], dtype=np.int64),
            table=table,
            pairs=pairs,
        )

    def fitted(self, cultural: float, ideal: float) -> TrustPrior:
        """The prior moved a share `cultural` of the way up to `ideal` (values above it stay; fit.py).

        The move is monotone in the value, so applying it to the table and the overrides is the same as applying
        it to every pair's prior.
        """

        def move(p: Any) -> Any:
            return p + cultural * (np.maximum(p, ideal) - p)

        return TrustPrior(
            groups=self.groups,
            group_of=self.group_of,
            contributor_of=self.contributor_of,
            table=move(self.table),
            pairs={k: float(move(v)) for k, v in self.pairs.items()},
        )

    def __getitem__(self, pair: tuple[int, int]) -> float:
        """The prior of unit `pair[0]` in unit `pair[1]` (indices)."""
        i, j = pair
        if i == j:
            return 1.0
        if (i, j) in self.pairs:
            return self.pairs[(i, j)]
        same = int(self.contributor_of[i] == self.contributor_of[j])
        return float(self.table[same, self.group_of[i], self.group_of[j]])

    def of_pairs(self, truster: np.ndarray, trustee: np.ndarray) -> np.ndarray:
        """The priors of many pairs at once (index arrays of one length)."""
        truster = np.asarray(truster, dtype=np.int64)
        trustee = np.asarray(trustee, dtype=np.int64)
        same = (self.contributor_of[truster] == self.contributor_of[trustee]).astype(np.int64)
        out = self.table[same, self.group_of[truster], self.group_of[trustee]].astype(np.float64)
        for k, (i, j) in enumerate(zip(truster.tolist(), trustee.tolist(), strict=True)):
            if (i, j) in self.pairs:
                out[k] = self.pairs[(i, j)]
        out[truster == trustee] = 1.0
        return out

    def dense(self) -> np.ndarray:
        """The full units x units matrix (for small scenarios and tests only: O(units²))."""
        n = self.group_of.size
        i, j = np.divmod(np.arange(n * n), n)
        return self.of_pairs(i, j).reshape(n, n)

    def engine_arrays(self) -> dict[str, np.ndarray]:
        """The arrays the engine's `Net` holds: the table, and the overrides as sorted keys and values."""
        n = self.group_of.size
        keys = np.array(sorted(i * n + j for i, j in self.pairs), dtype=np.int64)
        values = np.array([self.pairs[divmod(int(k), n)] for k in keys], dtype=np.float64)
        return {"trust_table": np.ascontiguousarray(self.table), "trust_pair_keys": keys, "trust_pair_values": values}


def reporting_duty_edges(
    units: list[dict[str, Any]], edges: list[dict[str, Any]], src: np.ndarray, dst: np.ndarray
) -> np.ndarray:
    """Per edge, 1 if it carries a reporting duty (issue 16 §1): a formal line toward a commanding unit.

    An intel or commander-chain edge whose target stands higher in the structure (a lower echelon level:
    leadership, headquarters, sector, unit) than its source. Voluntary ties (informal, liaison, board) never do.
    """
    level = [ECHELON_LEVEL.get(u.get("echelon") or "", -1) for u in units]
    return np.array(
        [e["type"] in ("intel", "commander_chain") and 0 <= level[dst[k]] < level[src[k]] for k, e in enumerate(edges)],
        dtype=np.int64,
    )
