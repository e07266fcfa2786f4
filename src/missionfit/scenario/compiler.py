"""Turn a resolved scenario into the flat arrays the engine runs on.

Everything that does not change during a run is computed here once: channel latency, reliability and
quality factors per edge (from tech level, language and procedure match), sharing multipliers (rivalry,
the civil-military distance), sensor detection probabilities per sector, and role masks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from missionfit.contract import UNITS
from missionfit.scenario import schema
from missionfit.scenario.codes import (
    DOMAIN_CODE,
    EDGE_TYPE_CODE,
    G2_ECHELON,
    HORIZON_CODE,
    LINE_CODE,
    PROCEDURE_CODE,
    S2_ECHELON,
    U2_ECHELON,
    has_role,
    is_peer_analysis,
    lane_mask,
)
from missionfit.scenario.codes import (
    mask as _mask,
)
from missionfit.scenario.information import _information_arrays, world_tables
from missionfit.scenario.keys import keyed_arrays
from missionfit.scenario.protection import protection_arrays
from missionfit.scenario.rivalry import edge_share
from missionfit.scenario.trust import TrustPrior, reporting_duty_edges


@dataclass
class CompiledScenario:
    """A validated, patched, fit-adjusted scenario, with the arrays the engine runs on.

    Attributes:
        name: Scenario name.
        units: Resolved unit attributes after interventions and fit (one dict per unit).
        edges: Compiled edges (board memberships expanded into member-to-member `board` edges).
        sectors: Sector specs.
        event_types: Event type specs.
        mandate_weights: Weight per mandate line (normalised to sum 1 over `schema.MANDATE_LINES`).
        mechanisms: Mechanism parameters after interventions and fit.
        fit: Fit knobs used.
        interventions: Names of the interventions applied.
        trust_prior: The trust prior (`missionfit.scenario.trust.TrustPrior`; `trust_prior[i, j]` = unit i's
            prior in unit j, both components).
        rivalry: Rivalry matrix in [0, 1].
        rotation_days: Days between contingent rotations (0 = none during the run).
        information: The scenario's `information:` block (`schema.InformationSpec` as a mapping; v2 core).
        days: The scenario's default run length (`schema.ScenarioSpec.days`, else `schema.DEFAULT_DAYS`).
        civmil_shares: Where the civil-military distance applies (`schema.ScenarioSpec.civmil_shares`).
        arrays: Per-unit, per-sensor and per-edge arrays for the engine.
        engine_net: The same arrays packed into the engine's layout (set on first use).
        unit_keys: Per unit, its stable key for the keyed behavioural draws (`missionfit.scenario.keys`); None
            means the declaration index.
    """

    name: str
    units: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    sectors: list[dict[str, Any]]
    event_types: list[dict[str, Any]]
    mandate_weights: np.ndarray
    mechanisms: dict[str, float]
    fit: dict[str, float]
    interventions: list[str]
    trust_prior: TrustPrior
    rivalry: np.ndarray
    rotation_days: int = 180
    information: dict[str, Any] = field(default_factory=lambda: dataclasses.asdict(schema.InformationSpec()))
    days: int = schema.DEFAULT_DAYS
    civmil_shares: list[dict[str, Any]] = field(default_factory=lambda: list(schema.DEFAULT_CIVMIL_SHARES))
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    #: The scenario's part of the engine's `Net`, packed by `missionfit.engine.pack_net` when the first
    #: replicate is built and shared read-only by every later one.
    engine_net: dict[str, np.ndarray] | None = None
    #: Per unit, its stable key for the keyed behavioural draws (`missionfit.scenario.keys`); None: the index.
    unit_keys: list[int] | None = None

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.units)

    def index_of(self, unit_id: str) -> int:
        """Array index of a unit id."""
        return self.arrays["_index"][unit_id]

    @cached_property
    def labels(self) -> dict[str, Any]:
        """Unit ids and kinds, and edge sources, targets and types, as pandas string arrays.

        Built once per compiled scenario for the tables every replicate makes (`missionfit.model.metrics`):
        converting Python strings to pandas' strings per replicate costs about as much as a table.
        `edge_type` has one more entry, "none", for a message that crossed no edge (index -1).
        """

        def strings(values: list[str]) -> Any:
            return pd.array(values, dtype="str")

        return {
            "unit_id": strings([u["id"] for u in self.units]),
            "unit_kind": strings([u["kind"] for u in self.units]),
            "edge_source": strings([e["source"] for e in self.edges]),
            "edge_target": strings([e["target"] for e in self.edges]),
            "edge_type": strings([e["type"] for e in self.edges] + ["none"]),
            "message_kind": strings(["report", "assessment"]),  # by kind code: RAW, ASSESSMENT
            # for `events.parquet` (`missionfit.model.awareness.events_table`): "" at the end, for no actor
            "sector_id": strings([s["id"] for s in self.sectors]),
            "actor_id": strings([u["id"] for u in self.units] + [""]),
        }

    @cached_property
    def is_external(self) -> np.ndarray:
        """Per unit, whether it acts outside the mission (component `external`); built once, as `labels` is."""
        return np.array([u.get("component") == "external" for u in self.units], dtype=bool)

    def units_of_kind(self, *kinds: str) -> list[int]:
        """Indices of the units of the given kinds."""
        return [i for i, u in enumerate(self.units) if u["kind"] in kinds]

    def units_with_role(self, role: str, echelon: str | None = None) -> list[int]:
        """Indices of the units holding `role` (at `echelon`, if given), in declaration order."""
        return [i for i, u in enumerate(self.units) if has_role(u, role, echelon)]

    def units_table(self) -> pd.DataFrame:
        """The units as run: identity, placement and every attribute (nested ones flattened)."""
        rows = []
        for u in self.units:
            nested = ("sensors", "consumer", "board", "reporting_culture", "focus")
            row = {k: v for k, v in u.items() if k not in nested}
            row["languages"] = ",".join(u["languages"])
            row["rivals"] = ",".join(u["rivals"])
            row["roles"] = ",".join(u["roles"])
            for k, v in u["reporting_culture"].items():
                row[f"reporting_culture.{k}"] = v
            row["focus.horizon"] = u["focus"]["horizon"]
            row["focus.domains"] = ",".join(u["focus"]["domains"])
            row["sensors"] = ";".join(f"{s['type']}:{s['coverage']:.3f}@{s['available_day']}" for s in u["sensors"])
            c = u["consumer"]
            row["consumer.lines"] = ",".join(c["lines"]) if c else ""
            row["consumer.horizons"] = ",".join(c["horizons"]) if c else ""
            row["consumer.lead_days"] = c["lead_days"] if c else np.nan
            row["board.period_days"] = u["board"]["period_days"] if u["board"] else np.nan
            rows.append(row)
        df = pd.DataFrame(rows)
        front = list(UNITS.names)  # the contract's leading columns, in its order
        return df[front + [c for c in df.columns if c not in front]]


def _task_groups(
    cover_ptr: np.ndarray, cover_unit: np.ndarray, covered_by: list[list[int]]
) -> tuple[np.ndarray, np.ndarray]:
    """The task-expiry groups of tasking (`missionfit.engine.tasking.task`) and collection.

    Entries of the same unit in the same (sector, domain) cell share one task-expiry slot, a "group":
    `cover_group[entry]` is the entry's group, the index into `State.task_until` that collection
    (`missionfit.engine.collection.next_detection`) reads. A task on (the k-th sector a unit covers, domain d)
    raises the detection of the unit's entries in that cell: `unit_cell_group[(unit_sector_ptr[unit] + k) *
    n_domains + d]` is their group, or -1 if it has none there. Groups are numbered in entry order.
    """
    n_dom = len(DOMAIN_CODE)
    cell_of = np.repeat(np.arange(len(cover_ptr) - 1), np.diff(cover_ptr))
    pairs: dict[tuple[int, int], int] = {}
    cells_units = zip(cell_of.tolist(), cover_unit.tolist(), strict=True)
    cover_group = np.array([pairs.setdefault(cu, len(pairs)) for cu in cells_units], dtype=np.int64)
    unit_cell_group = np.array(
        [pairs.get((sec * n_dom + d, i), -1) for i, c in enumerate(covered_by) for sec in c for d in range(n_dom)],
        dtype=np.int64,
    )
    return cover_group, unit_cell_group


def _send_factors(
    e: dict[str, Any], min_tech: float, no_common_language: float, procedure_mismatch: float, mech: dict[str, float]
) -> tuple[float, float, float]:
    """An edge's latency, chance that the channel works, and quality factor (filter 3 of transmission).

    Serves `missionfit.engine.transmission.send` (rows `E_LATENCY`, `E_OK`, `E_QUALITY` of `Net.ef`): from
    the lower tech level of the edge's ends, a missing common language and a procedure mismatch (pp. 398-400).
    The sharing multiplier (filter 1) is `missionfit.scenario.rivalry.edge_share`.
    """
    latency = (
        e["latency_days"] * (1.0 + mech["tech_delay"] * (1.0 - min_tech))
        + no_common_language * mech["language_delay_days"]
    )
    ok = (
        e["reliability"]
        * (1.0 - mech["tech_loss"] * (1.0 - min_tech))
        * (1.0 - mech["language_loss"] * no_common_language)
        * (1.0 - mech["procedure_loss"] * procedure_mismatch)
    )
    quality = (1.0 - mech["language_quality_loss"] * no_common_language) * (
        1.0 - mech["procedure_quality_loss"] * procedure_mismatch
    )
    return latency, ok, quality


def _collect_coverage(a: dict[str, Any], ptr: list[int], members: list[int], prob: list[float]) -> dict[str, Any]:
    """Per (sector, PMESII domain): the sensors covering it that see that domain, in sector-list order.

    Serves collection (`missionfit.engine.collection.collect`, the `cover_*` arrays of its `Static`), which
    walks only these, so it meets the same sensors in the same order as a walk over the whole sector list
    that skips the other domains (same draws), at a fraction of the checks.
    Each entry also carries the unit's observer slot in the sector (its rank among the sector's distinct
    covering units), so that "this unit already observed this event" is one bit of a per-event word
    (`engine.State.observed`).
    """
    n_dom = len(DOMAIN_CODE)
    n_sectors = len(ptr) - 1
    units, doms = a["sensor_unit"], a["sensor_domains"]
    cover_ptr, cover_sensor, cover_prob, cover_slot = [0], [], [], []
    max_slots = 1
    for sec in range(n_sectors):
        slot_of: dict[int, int] = {}
        for j in range(ptr[sec], ptr[sec + 1]):
            slot_of.setdefault(int(units[members[j]]), len(slot_of))
        max_slots = max(max_slots, len(slot_of))
        for d in range(n_dom):
            for j in range(ptr[sec], ptr[sec + 1]):
                k = members[j]
                if (int(doms[k]) >> d) & 1:
                    cover_sensor.append(k)
                    cover_prob.append(prob[j])
                    cover_slot.append(slot_of[int(units[k])])
            cover_ptr.append(len(cover_sensor))
    return {
        "cover_ptr": np.array(cover_ptr, dtype=np.int64),
        "cover_sensor": np.array(cover_sensor, dtype=np.int64),
        "cover_prob": np.array(cover_prob, dtype=np.float64),
        "cover_slot": np.array(cover_slot, dtype=np.int64),
        "max_observers": max_slots,
    }


def _first_with_role(units: list[dict[str, Any]], role: str, echelon: str | None = None) -> int:
    """Index of the first unit (declaration order) holding `role` at `echelon`, or -1 if there is none."""
    return next((i for i, u in enumerate(units) if has_role(u, role, echelon)), -1)


def compile_arrays(sc: CompiledScenario) -> dict[str, Any]:
    """Arrays for the engine (see `missionfit.engine.Static` for what each one means)."""
    units, edges, mech = sc.units, sc.edges, sc.mechanisms
    n = len(units)
    index = {u["id"]: i for i, u in enumerate(units)}
    sector_ids = [s["id"] for s in sc.sectors]
    sector_code = {s: i for i, s in enumerate(sector_ids)}
    languages = sorted(
        {lang for u in units for lang in u["languages"]} | {lang for s in sc.sectors for lang in s.get("languages", [])}
    )
    lang_code = {lang: i for i, lang in enumerate(languages[:63])}

    def lang_mask(names: list[str]) -> int:
        return _mask([x for x in names if x in lang_code], lang_code)

    a: dict[str, Any] = {"_index": index}
    a["sector"] = np.array([sector_code.get(u["sector"], -1) for u in units], dtype=np.int64)
    a["tech"] = np.array([u["tech_level"] for u in units], dtype=np.float64)
    a["trust_group"] = sc.trust_prior.group_of
    a["trust_contributor"] = sc.trust_prior.contributor_of
    a.update(sc.trust_prior.engine_arrays())
    a["security"] = np.array([u["security_level"] for u in units], dtype=np.int64)
    a["analysts"] = np.array([u["analysts"] for u in units], dtype=np.float64)
    a["proactive"] = np.array([u["reporting_culture"]["proactive"] for u in units], dtype=np.float64)
    a["responsive"] = np.array([u["reporting_culture"]["responsive"] for u in units], dtype=np.float64)
    a["bypass"] = np.array([u["reporting_culture"]["bypass"] for u in units], dtype=np.float64)
    a["threshold"] = np.array([u["trust_threshold"] for u in units], dtype=np.float64)
    a["focus_horizon"] = np.array([u["focus"]["horizon"] for u in units], dtype=np.float64)
    a["focus_domains"] = np.array([_mask(u["focus"]["domains"], DOMAIN_CODE) for u in units], dtype=np.int64)
    a["lane_mask"] = np.array([lane_mask(u["lane"]) for u in units], dtype=np.int64)
    a["tasking_rate"] = np.array([u["tasking_rate"] for u in units], dtype=np.float64)
    a["strength"] = np.array([u["strength"] or 0 for u in units], dtype=np.float64)
    # report quality: report-writing skill, raised by formats where the unit has procedures to use them (p. 400),
    # and by one more step of `format_boost` where it was given intelligence formats (p. 400: the riverine unit
    # "asked us for [intelligence] formats ... this improved the quality of the incoming information")
    writing = np.array([u["report_writing"] for u in units], dtype=np.float64)
    has_formats = np.array([u["procedures"] != "none" for u in units], dtype=np.float64)
    reach = has_formats + (1.0 - has_formats) * mech.get("format_reach", 0.0)
    quality = writing + mech["format_boost"] * reach * (1.0 - writing)
    given = np.array([bool(u["intelligence_formats"]) for u in units], dtype=np.float64)
    a["report_quality"] = quality + mech["format_boost"] * given * (1.0 - quality)
    # collection effort: mandate drift (p. 395) and escort needs (p. 400) divert capacity
    a["effort"] = np.array([u["mandate_fidelity"] * (1.0 - u["escort_cost"]) for u in units], dtype=np.float64)
    rot = [u["rotation_day"] for u in units]
    a["rotation_day"] = np.array([-1 if r is None else int(r) for r in rot], dtype=np.int64)
    a["rotation_period"] = int(max(1, sc.rotation_days))

    consumer = [u["consumer"] for u in units]
    a["is_consumer"] = np.array([c is not None and len(c["lines"]) > 0 for c in consumer], dtype=np.bool_)
    a["consumer_lines"] = np.array([_mask(c["lines"], LINE_CODE) if c else 0 for c in consumer], dtype=np.int64)
    a["consumer_horizons"] = np.array(
        [_mask(c["horizons"], HORIZON_CODE) if c else 0 for c in consumer], dtype=np.int64
    )
    a["consumer_lead"] = np.array([c["lead_days"] if c else 0.0 for c in consumer], dtype=np.float64)
    a["consumer_scoped"] = np.array([bool(c and c["sector_scoped"]) for c in consumer], dtype=np.bool_)

    # the engine's role slots and masks, found by role (codes.ROLES), never by a kind or id string
    a["is_peer"] = np.array([is_peer_analysis(u) for u in units], dtype=np.bool_)
    a["is_sf_isr"] = np.array([has_role(u, "isr") for u in units], dtype=np.bool_)
    is_s2 = [has_role(u, "military_intelligence", S2_ECHELON) for u in units]
    a["is_s2"] = np.array(is_s2, dtype=np.bool_)
    a["fc"] = _first_with_role(units, "force_commander")
    a["asifu"] = _first_with_role(units, "all_source_fusion")
    a["jmac"] = _first_with_role(units, "mission_analysis")
    a["u2"] = _first_with_role(units, "military_intelligence", U2_ECHELON)
    # a sector's G2 is its last military intelligence branch at the sector echelon (one per sector in practice)
    g2_of_sector = {u["sector"]: i for i, u in enumerate(units) if has_role(u, "military_intelligence", G2_ECHELON)}
    a["g2_of"] = np.array(
        [g2_of_sector.get(u["sector"], -1) if s2 else -1 for u, s2 in zip(units, is_s2, strict=True)], dtype=np.int64
    )

    # v2: which path a fusion unit's assessments count as (docs/design/v2-core.md §6.1; engine.layout FR_*)
    def fusion_role(u: dict) -> int:
        if float(u.get("analysts") or 0) <= 0:
            return 0
        if has_role(u, "all_source_fusion"):
            return 2
        if has_role(u, "mission_analysis"):
            return 3
        if has_role(u, "military_intelligence"):
            return 1
        return 4

    a["fusion_role"] = np.array([fusion_role(u) for u in units], dtype=np.int64)
    branches = np.flatnonzero(a["analysts"] > 0)
    a["branch_slot"] = np.full(n, -1, dtype=np.int64)
    a["branch_slot"][branches] = np.arange(branches.size)
    a["n_branches"] = int(branches.size)

    # sensors, and per sector the sensors that cover it with their detection probability at full effort
    s_unit, s_cov, s_dom, s_avail, s_lang, s_sectors, s_type = [], [], [], [], [], [], []
    for i, u in enumerate(units):
        for s in u["sensors"]:
            if s["coverage"] <= 0:
                continue
            covered = s["sectors"] or ([u["sector"]] if u["sector"] is not None else [])
            s_unit.append(i)
            s_cov.append(s["coverage"])
            s_dom.append(_mask(s["domains"], DOMAIN_CODE))
            s_avail.append(s["available_day"])
            s_lang.append(bool(s["needs_language"]))
            s_sectors.append([sector_code[x] for x in covered])
            s_type.append(s["type"])
    n_sectors = len(sector_ids)
    sector_lang = [lang_mask(s.get("languages", [])) for s in sc.sectors]
    unit_lang = [lang_mask(u["languages"]) for u in units]
    ptr, members, prob = [0], [], []
    for sec in range(n_sectors):
        for k in range(len(s_unit)):
            if sec in s_sectors[k]:
                u = units[s_unit[k]]
                p = s_cov[k] * a["effort"][s_unit[k]]
                if s_lang[k]:
                    # HUMINT needs the local languages and context (p. 398)
                    speaks = (unit_lang[s_unit[k]] & sector_lang[sec]) != 0 or sector_lang[sec] == 0
                    access = 1.0 if speaks else mech["humint_language_access"]
                    floor = float(mech["humint_local_knowledge_floor"])
                    p *= access * (floor + (1.0 - floor) * u["local_knowledge"])
                members.append(k)
                prob.append(min(p, 1.0))
        ptr.append(len(members))
    a["sensor_unit"] = np.array(s_unit, dtype=np.int64)
    a["sensor_domains"] = np.array(s_dom, dtype=np.int64)
    a["sensor_available"] = np.array(s_avail, dtype=np.int64)
    a["sector_ptr"] = np.array(ptr, dtype=np.int64)
    a["sector_sensor"] = np.array(members, dtype=np.int64)
    a["sector_prob"] = np.array(prob, dtype=np.float64)
    a["n_sectors"] = n_sectors
    a.update(_collect_coverage(a, ptr, members, prob))
    # per coverage entry: its unit, the day it becomes available (a float, as compared) and its tasked probability
    a["cover_unit"] = a["sensor_unit"][a["cover_sensor"]]
    a["cover_available"] = a["sensor_available"][a["cover_sensor"]].astype(np.float64)
    a.update(protection_arrays(units, index, s_type, a["cover_unit"], a["cover_sensor"]))
    a["cover_prob_tasked"] = np.minimum(
        float(mech["tasked_detection_cap"]), a["cover_prob"] * (1.0 + float(mech["tasking_boost"]))
    )
    # the sectors each unit's sensors cover, ascending (tasking picks one of them)
    covered: list[set[int]] = [set() for _ in range(n)]
    for k, i in enumerate(s_unit):
        covered[i].update(s_sectors[k])
    covered_by = [sorted(c) for c in covered]
    cover_group, unit_cell_group = _task_groups(a["cover_ptr"], a["cover_unit"], covered_by)
    a["cover_group"] = cover_group
    a["unit_sector_count"] = np.array([len(c) for c in covered_by], dtype=np.int64)
    a["unit_sector_ptr"] = np.concatenate([[0], np.cumsum(a["unit_sector_count"])]).astype(np.int64)
    a["unit_sectors"] = np.array([sec for c in covered_by for sec in c], dtype=np.int64)
    a["unit_cell_group"] = unit_cell_group

    # what the world generator needs of the sectors and event types
    a["world_tables"] = world_tables(sc.sectors, sc.event_types, sc.information)
    a.update(_information_arrays(sc, a, s_type, a["report_quality"]))  # facet errors fall with report quality

    # edges, sorted by (type, source) for a CSR adjacency per type
    order = sorted(range(len(edges)), key=lambda k: (EDGE_TYPE_CODE[edges[k]["type"]], index[edges[k]["source"]]))
    edges[:] = [edges[k] for k in order]
    m = len(edges)
    e_src = np.array([index[e["source"]] for e in edges], dtype=np.int64)
    e_dst = np.array([index[e["target"]] for e in edges], dtype=np.int64)
    e_type = np.array([EDGE_TYPE_CODE[e["type"]] for e in edges], dtype=np.int64)
    lat, pok, qf, share, auth, period = (np.zeros(m) for _ in range(6))
    procs = [PROCEDURE_CODE[u["procedures"]] for u in units]
    boards = {u["id"]: u["board"] for u in units if u["board"] is not None}
    for k, e in enumerate(edges):
        i, j = e_src[k], e_dst[k]
        min_tech = min(units[i]["tech_level"], units[j]["tech_level"])
        no_common_language = 0.0 if unit_lang[i] & unit_lang[j] else 1.0
        procedure_mismatch = 1.0 if procs[i] != procs[j] else 0.0
        lat[k], pok[k], qf[k] = _send_factors(e, min_tech, no_common_language, procedure_mismatch, mech)
        share[k] = edge_share(sc.rivalry[i, j], mech["civmil_distance"], units[i], units[j], sc.civmil_shares)
        if e["type"] == "board":  # only a directive board mandates; no knob overrides trust (issue 16 §3)
            auth[k] = 1.0 if e.get("directive") else 0.0
            period[k] = boards[e["board"]]["period_days"]
    a.update(
        edge_duty=reporting_duty_edges(units, edges, e_src, e_dst),
        edge_src=e_src,
        edge_dst=e_dst,
        edge_type=e_type,
        edge_latency=lat,
        edge_ok=pok,
        edge_quality=qf,
        edge_share=share,
        edge_authority=auth,
        edge_board_period=period.astype(np.int64),
        edge_directive=np.array([bool(e.get("directive")) for e in edges], dtype=np.bool_),
    )
    n_types = len(schema.EDGE_TYPES)
    adj_ptr = np.zeros((n_types, n + 1), dtype=np.int64)
    for t in range(n_types):
        sel = e_type == t
        counts = np.bincount(e_src[sel], minlength=n)
        adj_ptr[t, 1:] = np.cumsum(counts)
    type_start = np.searchsorted(e_type, np.arange(n_types))
    adj_ptr += type_start[:, None]
    a["adj_ptr"] = adj_ptr
    # the stable keys of the keyed behavioural draws (issue 16 §4): per unit, edge and coverage entry
    first_sensor = np.searchsorted(a["sensor_unit"], np.arange(n)) if a["sensor_unit"].size else np.zeros(n, int)
    a.update(keyed_arrays(
        sc.unit_keys, n, e_src, e_dst, e_type, a["cover_unit"], a["cover_sensor"] - first_sensor[a["cover_unit"]]
    ))
    return a
