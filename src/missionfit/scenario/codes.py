"""The code maps of the scenario vocabulary (edge types, horizons, lines, domains, procedures) and the roles.

Every compiled array stores these as integer codes in the order of the schema's tuples; the engine's
constants (`missionfit.engine`) follow the same order.

Roles and echelons are the mission vocabulary the code relies on: a scenario's `kind_defaults` (or a unit)
declares them, and the compiler, metrics and analysis find the Force Commander, ASIFU, JMAC, the U2 and the
others by role, never by a kind or id string, so that any other mission can be written as data.
"""

from __future__ import annotations

from missionfit.scenario import schema

EDGE_TYPE_CODE = {t: i for i, t in enumerate(schema.EDGE_TYPES)}
HORIZON_CODE = {h: i for i, h in enumerate(schema.HORIZONS)}
LINE_CODE = {line: i for i, line in enumerate(schema.MANDATE_LINES)}
DOMAIN_CODE = {d: i for i, d in enumerate(schema.DOMAINS)}
PROCEDURE_CODE = {p: i for i, p in enumerate(schema.PROCEDURES)}

#: The roles a unit may hold (`roles:` of a unit or of its kind), with their meaning. The roles marked (model)
#: are what the compiler and the metrics look for; the others describe the unit for readers and figures.
ROLES: dict[str, str] = {
    "mission_leadership": "the head of mission and their office (SRSG): decides on the political lines",
    "force_commander": "(model) the Force Commander: the FC of fc_current_warning_rate, asifu_use_rate_fc and "
    "fc_latency (the first unit with the role)",
    "sector_commander": "commands the units of one sector (a sector HQ)",
    "military_intelligence": "(model) a military intelligence branch; its echelon says which: headquarters = the "
    "U2 (first such unit), sector = the G2 of its sector, unit = a battalion S2 (g2_receipt_from_s2)",
    "all_source_fusion": "(model) the all-source fusion unit (ASIFU): asifu_current_warning_rate, asifu_use_rate_fc "
    "(the first unit with the role); counts in duplication",
    "mission_analysis": "(model) the mission analysis centre (JMAC): jmac_receipt_from_sf_isr (the first unit with "
    "the role); counts in duplication",
    "operations_centre": "follows the situation and the immediate future for the mission (JOC)",
    "staff_branch": "a staff branch of a headquarters other than intelligence (e.g. U3 operations)",
    "isr": "(model) a special reconnaissance or ISR asset (special forces, ISR units, helicopters, HUMINT teams): "
    "the units whose reports jmac_receipt_from_sf_isr and u2_asifu_receipt_from_sf_isr follow",
    "collector": "a troop contingent whose patrols and contacts collect (battalions)",
    "police": "police component units and their command",
    "security_service": "the mission's safety and security service (UNDSS)",
    "civilian_section": "a substantive civilian section (e.g. civil affairs)",
    "external_actor": "an actor outside the mission (humanitarian organisations)",
    "coordination_board": "(model) a venue, not an actor: members exchange at its meetings (its `board:` spec "
    "defaults to a weekly meeting); figures draw no coherence row for it",
    "liaison": "a liaison officer or team that relays between the units it links",
}

#: Echelons, top first; the index is the layer of the network figure's layered layout (0 = top).
ECHELONS: dict[str, str] = {
    "leadership": "the mission's top: head of mission, Force Commander",
    "headquarters": "mission and force headquarters staff and the mission-level cells (U2, ASIFU HQ, JMAC, JOC)",
    "sector": "sector headquarters and the units attached to a sector (G2, ISR companies)",
    "unit": "troop contingents and their cells (battalions, S2); unlabelled in large network figures",
}
ECHELON_LEVEL = {e: i for i, e in enumerate(ECHELONS)}

#: Roles whose units are the mission-level analysis cells: their independent work on the same event counts as
#: duplication (p. 396: "great duplication of effort" between ASIFU, JMAC and the U2), with the military
#: intelligence branch at the headquarters echelon (the U2).
PEER_ANALYSIS_ROLES = ("all_source_fusion", "mission_analysis")
#: Echelon of the military intelligence branch that is the U2 (and a peer analysis cell), of the G2s, of the S2s.
U2_ECHELON, G2_ECHELON, S2_ECHELON = "headquarters", "sector", "unit"


def has_role(unit: dict, role: str, echelon: str | None = None) -> bool:
    """Whether a resolved unit holds `role` (at `echelon`, if given)."""
    return role in (unit.get("roles") or ()) and (echelon is None or unit.get("echelon") == echelon)


def is_peer_analysis(unit: dict) -> bool:
    """Whether a resolved unit is a mission-level analysis cell (U2, ASIFU, JMAC: see `PEER_ANALYSIS_ROLES`)."""
    return any(has_role(unit, r) for r in PEER_ANALYSIS_ROLES) or has_role(unit, "military_intelligence", U2_ECHELON)


def lane_mask(lane: dict[str, list[str]] | None) -> int:
    """A peer cell's lane as bits `horizon * n_domains + domain` (issue 16 §2); 0 for no lane."""
    if not lane:
        return 0
    cells = {HORIZON_CODE[h] * len(DOMAIN_CODE) + DOMAIN_CODE[d] for h in lane.get("horizons", [])
             for d in lane.get("domains", [])}
    return sum(1 << c for c in cells)


def mask(names: list[str], code: dict[str, int]) -> int:
    """A bit mask with the bit of each name's code set."""
    out = 0
    for n in names:
        out |= 1 << code[n]
    return out
