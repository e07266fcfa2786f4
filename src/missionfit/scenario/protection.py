"""Protection dependencies (issue 16 §3; pp. 400-401): collection outside the compound needs a protecting unit.

pp. 400-401: "The Dutch ISR company often depended on force protection by the SOLTG when they left the compound to
gather intelligence. However, there were many incidents in which ISR personnel did not follow safety orders that
the SOLTG had provided ... These incidents led to great frustrations and SOLTG personnel not wanting to work with
their counterparts". p. 400: the Estonian HUMINT team "depended on Dutch transport and as a result at least one
Dutch soldier was required to join the Estonian patrols. In terms of manpower it had a marginal impact, but the
Dutch respondents considered it as extremely distrustful ... and felt it undermined the cohesion".

A unit's `protection: {by: <unit id>, sensors: [<sensor types>], incident_rate: <p>}` makes its sensors of those
types collect only on days the protecting unit escorts it (`missionfit.engine.protection.escort`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from missionfit.scenario.errors import Checker

#: Keys of a unit's `protection:` mapping.
PROTECTION_KEYS = frozenset({"by", "sensors", "incident_rate"})


def check_protection(key: str, protection: Any, unit_ids: set[str], ck: Checker) -> None:
    """Fail with one line unless `protection` is a valid mapping (a known protector, sensor types, a rate)."""
    if not isinstance(protection, dict) or set(protection) - PROTECTION_KEYS or "by" not in protection:
        ck.fail(key, protection, "must be a mapping {by: unit id, sensors: [types], incident_rate: p}")
    if protection["by"] not in unit_ids:
        ck.fail(f"{key}.by", protection["by"], "unknown unit")
    sensors = protection.get("sensors", [])
    if not isinstance(sensors, list) or not all(isinstance(s, str) for s in sensors):
        ck.fail(f"{key}.sensors", sensors, "must be a list of sensor types")
    ck.unit_interval(f"{key}.incident_rate", protection.get("incident_rate", 0.0))


def protection_arrays(
    units: list[dict[str, Any]], index: dict[str, int], sensor_type: list[str], cover_unit: np.ndarray,
    cover_sensor: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per unit its protector (-1: none) and incident rate; per unit the coverage entries that need its escort."""
    protector = np.full(len(units), -1, dtype=np.int64)
    incident = np.zeros(len(units))
    needs: list[set[str]] = [set() for _ in units]
    for i, u in enumerate(units):
        p = u.get("protection")
        if p:
            protector[i] = index[p["by"]]
            incident[i] = float(p.get("incident_rate", 0.0))
            needs[i] = set(p.get("sensors", []))
    escorted = [j for j in range(cover_unit.size) if sensor_type[cover_sensor[j]] in needs[cover_unit[j]]]
    by_unit = sorted(escorted, key=lambda j: (cover_unit[j], j))
    counts = np.bincount(cover_unit[by_unit].astype(np.int64), minlength=len(units)) if by_unit else np.zeros(
        len(units), dtype=np.int64
    )
    return {
        "protector": protector,
        "incident_rate": incident,
        "escort_ptr": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        "escort_entries": np.array(by_unit, dtype=np.int64),
    }
