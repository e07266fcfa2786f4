"""The information block of a scenario as arrays (docs/design/v2-core.md §2): facets, sensor profiles, consumers.

The compiler (`missionfit.scenario.compiler`) calls these; the world generator reads the event types' facet
masks (`type_facet_masks`) through `WorldTables`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from missionfit.scenario import schema
from missionfit.scenario.codes import DOMAIN_CODE, HORIZON_CODE, LINE_CODE
from missionfit.scenario.codes import mask as _mask


def _information(information: Mapping[str, Any] | None) -> dict[str, Any]:
    """An information block with the schema's defaults filled in."""
    base = dataclasses.asdict(schema.InformationSpec())
    return {**base, **dict(information or {})}


def type_facet_masks(event_types: list[dict], information: Mapping[str, Any] | None = None) -> np.ndarray:
    """Per event type, the bit mask of its facets (bit f = `information.facets[f]`; `facets: None` = all)."""
    facets = _information(information)["facets"]
    code = {f: i for i, f in enumerate(facets)}
    return np.array(
        [_mask(facets if t.get("facets") is None else t["facets"], code) for t in event_types], dtype=np.int64
    )


def _information_arrays(
    sc: Any, a: dict[str, Any], sensor_type: list[str], report_quality: np.ndarray
) -> dict[str, Any]:
    """The information block (docs/design/v2-core.md §2.1-2.2) as arrays for the v2 engine.

    Per coverage entry (aligned with `cover_unit`, `cover_prob`): the facets its sensor's profile yields, the
    chance of yielding each, and its error, the profile's (or the sector's override) scaled by the unit's
    report quality (report-writing skill raised by formats, `compile_arrays`; issue 16 §3),
    `error * (1 + error_skill * (0.5 - report_quality))`, clipped to [0, 0.95]. Per
    unit: the consumer's capacity (0 for a unit that is no consumer), action threshold, planning flag and
    whether it weighs conflicting reports (`weighs_reports`).
    The v1 engine reads none of these.
    """
    info = _information(sc.information)
    facets = list(info["facets"])
    code = {f: i for i, f in enumerate(facets)}
    profiles = info["sensor_profiles"]
    n_dom = len(DOMAIN_CODE)
    out: dict[str, Any] = {
        "n_facets": len(facets),
        "facet_is_meta": np.array([f in info["metadata_facets"] for f in facets], dtype=np.int8),
        "values_per_facet": int(info["values_per_facet"]),
        "facets_needed": np.array([int(info["facets_needed"][h]) for h in schema.HORIZONS], dtype=np.int64),
        "type_facet_mask": type_facet_masks(sc.event_types, info),
        "false_event_share": float(info["false_event_share"]),
    }
    # the entries of cell c = sector * n_domains + domain lie in cover_ptr[c]:cover_ptr[c + 1]
    entry_sector = np.repeat(np.arange(a["cover_ptr"].size - 1), np.diff(a["cover_ptr"])) // n_dom
    sector_ids = [s["id"] for s in sc.sectors]
    override = info.get("sector_error") or {}
    types = [sensor_type[k] for k in a["cover_sensor"].tolist()]
    out["cover_yield_mask"] = np.array([_mask(profiles[t]["facets"], code) for t in types], dtype=np.int64)
    out["cover_yield_prob"] = np.array([float(profiles[t]["yield"]) for t in types], dtype=np.float64)
    base = np.array(
        [
            float(override.get(sector_ids[sec], {}).get(t, profiles[t]["error"]))
            for t, sec in zip(types, entry_sector.tolist(), strict=True)
        ],
        dtype=np.float64,
    )
    skill = 1.0 + float(info["error_skill"]) * (0.5 - report_quality[a["cover_unit"]])
    out["cover_error"] = np.clip(base * skill, 0.0, 0.95)
    consumer = [u["consumer"] for u in sc.units]
    is_consumer = a["is_consumer"]
    out["consumer_capacity"] = np.array(
        [int(c["capacity"]) if ok else 0 for c, ok in zip(consumer, is_consumer, strict=True)], dtype=np.int64
    )
    out["consumer_action_threshold"] = np.array(
        [float(c["action_threshold"]) if ok else 1.0 for c, ok in zip(consumer, is_consumer, strict=True)],
        dtype=np.float64,
    )
    out["consumer_planning"] = np.array(
        [bool(c["planning"]) if ok else False for c, ok in zip(consumer, is_consumer, strict=True)], dtype=np.int8
    )
    out["consumer_weighs"] = np.array(
        [bool(c["weighs_reports"]) if ok else False for c, ok in zip(consumer, is_consumer, strict=True)],
        dtype=np.int8,
    )
    # each consumer's first slot in the engine's `busy_until` (consumers' slots side by side)
    out["capacity_start"] = np.concatenate([[0], np.cumsum(out["consumer_capacity"])[:-1]]).astype(np.int64)
    return out


class WorldTables(NamedTuple):
    """What the world generator needs of a scenario, as arrays (per sector, per event type)."""

    rates: np.ndarray  # events per day, per sector
    kind_cdf: np.ndarray  # cumulative event-type shares, normalised as `Generator.choice` does
    severity_lo: np.ndarray
    severity_hi: np.ndarray
    warning_lo: np.ndarray
    warning_hi: np.ndarray
    indicators: np.ndarray
    line: np.ndarray
    domain: np.ndarray
    horizon: np.ndarray
    # v2 core (docs/design/v2-core.md §3), not read by the v1 world generator
    false_rates: np.ndarray  # false events per day, per sector: false_event_share x event_rate
    type_facet_mask: np.ndarray  # per event type, bit f set if the type has facet f
    values_per_facet: int


def world_tables(
    sectors: list[dict], event_types: list[dict], information: Mapping[str, Any] | None = None
) -> WorldTables:
    """The arrays of `WorldTables` for a scenario's sectors, event types and information block.

    Args:
        sectors: Sector specs (`event_rate`).
        event_types: Event type specs.
        information: The `information:` block (`schema.InformationSpec`); `None` takes the schema's defaults.

    Returns:
        The tables.
    """
    info = _information(information)
    rates = np.array([float(s["event_rate"]) for s in sectors])
    shares = np.array([float(t["share"]) for t in event_types])
    cdf = (shares / shares.sum()).cumsum()
    cdf /= cdf[-1]
    return WorldTables(
        rates=rates,
        kind_cdf=cdf,
        severity_lo=np.array([t["severity"][0] for t in event_types], dtype=float),
        severity_hi=np.array([t["severity"][1] for t in event_types], dtype=float),
        warning_lo=np.array([t["warning_days"][0] for t in event_types], dtype=float),
        warning_hi=np.array([t["warning_days"][1] for t in event_types], dtype=float),
        indicators=np.array([int(t["indicators"]) for t in event_types], dtype=np.int64),
        line=np.array([LINE_CODE[t["line"]] for t in event_types], dtype=np.int64),
        domain=np.array([DOMAIN_CODE[t["domain"]] for t in event_types], dtype=np.int64),
        horizon=np.array([HORIZON_CODE[t["horizon"]] for t in event_types], dtype=np.int64),
        false_rates=float(info["false_event_share"]) * rates,
        type_facet_mask=type_facet_masks(event_types, info),
        values_per_facet=int(info["values_per_facet"]),
    )
