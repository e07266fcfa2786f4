"""Stable unit keys for the keyed behavioural draws (issue 16 §4; docs/design/crn.md §2).

A behavioural draw is keyed by the units it concerns (`missionfit.engine.keyed`). For two arms of an experiment
to share a draw, a unit must have the same key in both, whatever was renamed, added or removed elsewhere: so the
key is never the unit's array index (which shifts) nor its id (a renamed unit is the same unit). It is

- for a unit of the scenario as composed (its `extends:` and `patches:` resolved; a generated structure
  expanded): its declaration index there;
- for a unit an intervention adds: `2**32 + (crc32(intervention name) mod 2**20) * 2**10 + ordinal`, the
  ordinal being its place in the intervention's `add_units`.

An intervention that removes units leaves the others' keys as they were.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

#: Keys of units an intervention adds start here, above any declaration index.
PATCH_KEY_BASE = 1 << 32
# SplitMix64's constants, as `missionfit.engine.keyed` uses them (tests/test_keyed.py checks both agree)
_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def declaration_keys(units: list[Mapping[str, Any]]) -> dict[str, int]:
    """Unit id -> key for the units of a composed scenario: their declaration index."""
    return {str(u["id"]): i for i, u in enumerate(units)}


def patch_key(intervention: str, ordinal: int) -> int:
    """The key of the `ordinal`-th unit an intervention named `intervention` adds."""
    return PATCH_KEY_BASE + (zlib.crc32(intervention.encode()) % (1 << 20)) * (1 << 10) + int(ordinal)


def note_added_units(
    keys: dict[str, int], before: Mapping[str, object], units: list[Mapping[str, Any]], intervention: str,
    patch: Mapping[str, Any],
) -> None:
    """Give the units an intervention added their patch keys (`keys` changed in place).

    Args:
        keys: Unit id -> key so far.
        before: Unit id -> the unit's mapping before the intervention was applied (identity tells a unit the
            patch replaced, a removal and an add under the same id, from one it kept).
        units: The units after the intervention.
        intervention: The intervention's name.
        patch: Its operations (`add_units` gives the ordinals).
    """
    ordinal = {str(u.get("id")): i for i, u in enumerate(patch.get("add_units") or [])}
    for u in units:
        uid = str(u["id"])
        if uid in ordinal and before.get(uid) is not u:
            keys[uid] = patch_key(intervention, ordinal[uid])


def mix_np(z: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser on a uint64 array (`missionfit.engine.keyed.mix`)."""
    z = np.asarray(z, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def chain_np(*keys: np.ndarray | int) -> np.ndarray:
    """`missionfit.engine.keyed.link` over `keys` from zero, elementwise: a stable 64-bit hash of a key tuple."""
    z = np.zeros(np.broadcast(*[np.asarray(k) for k in keys]).shape, dtype=np.uint64)
    for k in keys:
        with np.errstate(over="ignore"):
            z = mix_np((z ^ np.asarray(k).astype(np.int64).astype(np.uint64)) + _GAMMA)
    return z


def keyed_arrays(
    unit_keys: list[int] | None, n_units: int, e_src: np.ndarray, e_dst: np.ndarray, e_type: np.ndarray,
    cover_unit: np.ndarray, cover_ordinal: np.ndarray,
) -> dict[str, np.ndarray]:
    """The engine's stable keys: per unit (`unit_key`), per edge (`edge_key`), per coverage entry (`cover_key`).

    An edge's key hashes its ends' unit keys, its type and its ordinal among the edges of that type between the
    same two units (two boards can link the same pair); a coverage entry's key hashes its unit's key and the
    sensor's ordinal among the unit's sensors. None depends on an array index.
    """
    ukey = np.asarray(unit_keys if unit_keys is not None else range(n_units), dtype=np.int64).reshape(-1)
    seen: dict[tuple[int, int, int], int] = {}
    ordinal = np.zeros(e_src.size, dtype=np.int64)
    for k in range(e_src.size):
        pair = (int(e_src[k]), int(e_dst[k]), int(e_type[k]))
        ordinal[k] = seen.get(pair, 0)
        seen[pair] = ordinal[k] + 1
    return {
        "unit_key": ukey.astype(np.uint64),
        "edge_key": chain_np(ukey[e_src], ukey[e_dst], e_type, ordinal) if e_src.size else np.zeros(0, np.uint64),
        "cover_key": chain_np(ukey[cover_unit], cover_ordinal) if cover_unit.size else np.zeros(0, np.uint64),
    }
