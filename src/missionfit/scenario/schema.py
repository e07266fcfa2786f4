"""Typed schemas of everything a user can configure: scenarios, interventions, fit knobs, mechanisms.

These are plain dataclasses. The experiment runner registers them in Hydra's ConfigStore so that a wrong
type or an unknown key fails when the config is loaded; the model side (`missionfit.scenario`) then checks
ranges and references (probabilities in [0, 1], edges to known units, no command cycles) and raises a
`ScenarioError` with one line naming the file, key and value. The model never imports Hydra.

Attributes left `None` on a unit inherit, in this order of precedence: the unit itself, then
`kind_defaults[kind]`, then `group_defaults[group]`, then the defaults of `UnitDefaults` below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from missionfit.scenario.defaults import DEFAULT_CIVMIL_SHARES, _default_sensor_profiles
from missionfit.scenario.defaults import DEFAULT_DAYS as DEFAULT_DAYS  # re-exported: schema.DEFAULT_DAYS

#: The mandate lines of MINUSMA's integrated strategy (Rietjens & Ruffa 2019, p. 392: "security and
#: stabilization, the re-establishment of state authority, cultural preservation as well as humanitarian
#: assistance"; protection of civilians, p. 390; the political process, p. 390).
MANDATE_LINES = ("security", "protection_of_civilians", "political_process", "state_authority", "humanitarian")

#: X-PMESII domains (p. 393: "Political, Military, Economic, Social, Infrastructure and Information").
DOMAINS = ("political", "military", "economic", "social", "infrastructure", "information")

#: Time horizons of events and of intelligence products.
HORIZONS = ("imminent", "mid", "long")

#: Relation types of the command structure (docs/ODD.md §2).
EDGE_TYPES = ("command", "intel", "commander_chain", "liaison", "informal", "board")

#: Components of a mission.
COMPONENTS = ("military", "police", "civilian", "external")

#: Known procedure families; a mismatch between two ends of an edge costs quality and reliability.
PROCEDURES = ("nato", "un", "none")

#: Most facets an event may have (the engine keeps a facet set in one small bit mask; docs/design/v2-core.md §2.1).
MAX_FACETS = 6


@dataclass
class ReportingCultureSpec:
    """How a unit decides to report (p. 397, West-African command culture; p. 398, Nigerbat).

    Attributes:
        proactive: Probability of reporting an observation without being asked.
        responsive: Probability of reporting an observation that answers an open tasking.
        bypass: Probability that a report goes up the commander chain instead of the intelligence line
            (p. 399: "As soon as a patrol discovers something, they immediately tell their chief").
    """

    proactive: float | None = None
    responsive: float | None = None
    bypass: float | None = None


@dataclass
class FocusSpec:
    """What a unit's analysis looks at.

    p. 394: ASIFU "largely maintained its original focus on comprehensive intelligence on the mid- and long-term".

    Attributes:
        horizon: 0 = current intelligence only, 1 = long-term X-PMESII only.
        domains: PMESII domains the unit covers (names from `DOMAINS`).
    """

    horizon: float | None = None
    domains: list[str] | None = None


@dataclass
class SensorSpec:
    """A means of collection.

    Attributes:
        type: patrol, humint, uav, helicopter, sigint, riverine, ... (open list).
        coverage: Daily probability of detecting one indicator in a covered sector at full effort.
        domains: PMESII domains it can sense.
        sectors: Sectors it covers; empty means the unit's own sector.
        available_day: First simulated day it may be used (UAV accreditation, p. 401).
        needs_language: Whether detection depends on speaking the sector's local languages (HUMINT).
    """

    type: str = "patrol"
    coverage: float = 0.0
    domains: list[str] = field(default_factory=lambda: ["military"])
    sectors: list[str] = field(default_factory=list)
    available_day: int = 0
    needs_language: bool = False


@dataclass
class ConsumerSpec:
    """A decision-maker responsible for mandate lines (docs/ODD.md §2, consumers and mandate lines).

    Attributes:
        lines: Mandate lines it is responsible for.
        horizons: Product horizons it can use (imminent = current intelligence).
        lead_days: Action lead time: a warning must arrive this long before the event to be usable.
        sector_scoped: Only responsible for events in its own sector (sector commanders).
        capacity: Simultaneous actions (v2 core): a sector's quick-reaction force, the force reserve, ...;
            an integer >= 0, where 0 means the consumer never acts (it can still be aware).
        action_threshold: Confidence at which a facet counts toward an actionable picture (v2 core), in (0.5, 1).
        planning: A planning consumer turns a mid- or long-horizon actionable picture into posture (v2 core).
        weighs_reports: The consumer weighs conflicting reports against each other, through the fusion of
            docs/ODD.md §7.5 (trust-weighted, each origin once), instead of taking each facet's most confident
            report (issue 16 §3; p. 399, the Force Commander: "no way, because I heard this and that").
    """

    lines: list[str] = field(default_factory=list)
    horizons: list[str] = field(default_factory=lambda: ["imminent"])
    lead_days: float = 0.5
    sector_scoped: bool = False
    capacity: int = 1
    action_threshold: float = 0.75
    planning: bool = False
    weighs_reports: bool = False


@dataclass
class BoardSpec:
    """A coordination body such as the Joint Coordination Board (p. 396): `period_days` between meetings."""

    period_days: int = 7


@dataclass
class UnitSpec:
    """One organizational unit. `None` attributes inherit from kind, then group defaults.

    The vocabulary attributes, usually declared once per kind in `kind_defaults` (docs/scenarios.md, "Roles"):

    Attributes:
        roles: What the unit is to the model and to readers, names from `missionfit.scenario.codes.ROLES`
            (e.g. `force_commander`, `military_intelligence`); code finds units by role, never by kind or id.
        echelon: Level in the structure, a name from `missionfit.scenario.codes.ECHELONS` (`leadership`,
            `headquarters`, `sector`, `unit`): the layer of the network figure, and which military intelligence
            branch a unit is (U2, G2 or S2).
        actor_block: The row of the coherence matrix the unit belongs to (e.g. "U2/G2/S2 line").
        kind_label: Display name of the unit's kind in figures (e.g. "Battalion S2").
        lane: The analysis a peer cell leads under a directive board, `{horizons: [...], domains: [...]}` (issue 16
            §2; docs/ODD.md §7.6): its role, not its size, decides who defers.
    """

    id: str = "???"
    name: str | None = None
    kind: str = "???"
    roles: list[str] | None = None
    echelon: str | None = None
    actor_block: str | None = None
    kind_label: str | None = None
    component: str | None = None
    contributor: str | None = None
    group: str | None = None
    location: str | None = None
    sector: str | None = None
    strength: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    # operational
    tech_level: float | None = None
    security_level: int | None = None
    procedures: str | None = None
    intelligence_formats: bool | None = None  # ASIFU's intelligence formats (p. 400), on top of its procedures'
    analysts: float | None = None
    sensors: list[SensorSpec] | None = None
    escort_cost: float | None = None
    protection: dict[str, Any] | None = None  # {by, sensors, incident_rate}: scenario/protection.py (pp. 400-401)
    # cultural
    reporting_culture: ReportingCultureSpec | None = None
    report_writing: float | None = None
    languages: list[str] | None = None
    local_knowledge: float | None = None
    trust_threshold: float | None = None
    # strategic
    focus: FocusSpec | None = None
    lane: dict[str, list[str]] | None = None
    mandate_fidelity: float | None = None
    rivals: list[str] | None = None
    # roles
    consumer: ConsumerSpec | None = None
    tasking_rate: float | None = None
    board: BoardSpec | None = None
    rotation_day: int | None = None
    source: str | None = None


@dataclass
class EdgeSpec:
    """A typed, directed relation between two units.

    Attributes:
        source: Sending unit id (for `command`: the unit holding authority).
        target: Receiving unit id.
        type: One of `EDGE_TYPES`.
        latency_days: Base transmission latency.
        reliability: Probability the channel works, before tech, language and procedure penalties.
        directive: For `board` edges: the board may mandate sharing and deconflict (p. 396).
    """

    source: str = "???"
    target: str = "???"
    type: str = "intel"
    latency_days: float = 0.25
    reliability: float = 0.95
    directive: bool = False


@dataclass
class SectorSpec:
    """A sector of the area of operations.

    Attributes:
        id: Sector id used by units.
        name: Display name.
        event_rate: Mean events per day in the sector (ground truth).
        languages: Local languages; HUMINT needs one of them.
    """

    id: str = "???"
    name: str | None = None
    event_rate: float = 1.0
    languages: list[str] = field(default_factory=list)


@dataclass
class EventTypeSpec:
    """A class of ground-truth events.

    Attributes:
        id: Name.
        line: Mandate line it matters to.
        domain: PMESII domain.
        horizon: imminent, mid or long.
        share: Relative frequency among events.
        severity: Uniform range [low, high].
        warning_days: Range of how long before the event its indicators appear.
        indicators: Observable indicators emitted before it materializes.
        facets: The facets of the information block it has (a subset of `InformationSpec.facets`, v2 core);
            `None` means all of them.
    """

    id: str = "???"
    line: str = "security"
    domain: str = "military"
    horizon: str = "imminent"
    share: float = 1.0
    severity: list[float] = field(default_factory=lambda: [1.0, 1.0])
    warning_days: list[float] = field(default_factory=lambda: [0.5, 2.0])
    indicators: int = 2
    facets: list[str] | None = None


@dataclass
class InformationSpec:
    """What an event is made of and how sensors see it: facets, false events, errors (v2 core).

    docs/design/v2-core.md §2.1. No fit knob moves these (`error_skill` acts through `report_writing`, which
    the cultural knob moves). Prior ranges: docs/validation.md §10.4.

    Attributes:
        facets: Facet names, 1..`MAX_FACETS`; their order is the engine's facet index.
        metadata_facets: Facets stripped by sanitization (p. 400 "(e.g. time, location)").
        values_per_facet: Categorical values per facet (an integer >= 2).
        facets_needed: Facets an actionable picture needs, per event horizon (integers >= 1).
        false_event_share: False events per true event, per sector (>= 0).
        error_skill: `s` in `error * (1 + s * (0.5 - report_writing))`, in [0, 1.5].
        sensor_profiles: Per sensor type, `{facets, yield, error}`: the facets it yields, the chance of
            yielding each (in [0, 1]) and the chance that a yielded value is wrong (in [0, 1)).
        sector_error: Optional `{sector: {sensor type: error}}` overriding a profile's error in a sector.
    """

    facets: list[str] = field(default_factory=lambda: ["who", "what", "where", "when"])
    metadata_facets: list[str] = field(default_factory=lambda: ["where", "when"])
    values_per_facet: int = 4
    facets_needed: dict[str, int] = field(default_factory=lambda: {"imminent": 3, "mid": 2, "long": 1})
    false_event_share: float = 0.15
    error_skill: float = 0.5
    sensor_profiles: dict[str, dict[str, Any]] = field(default_factory=_default_sensor_profiles)
    sector_error: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class TrustPairSpec:
    """A per-pair override of the trust prior (truster `source` in `target`)."""

    source: str = "???"
    target: str = "???"
    value: float = 0.5


@dataclass
class TrustSpec:
    """Trust priors between contributor groups ("intelligence is a trust sport", p. 394).

    Attributes:
        default: Prior where nothing else applies.
        same_group: Prior between units of the same group.
        same_contributor: Prior between units of the same country (before pair overrides).
        groups: Asymmetric group-pair priors, `groups[truster][trustee]`.
        pairs: Per-unit-pair overrides.
    """

    default: float = 0.5
    same_group: float = 0.7
    same_contributor: float = 0.8
    groups: dict[str, dict[str, float]] = field(default_factory=dict)
    pairs: list[TrustPairSpec] = field(default_factory=list)


@dataclass
class GeneratorSpec:
    """Parameters of a generated (generic) structure; `kind: none` for hand-written scenarios.

    The number of units is the scenario's own `n_units` key (`scenario.n_units=2000`).

    Attributes:
        kind: none, hierarchy or edge.
        branching: Children per node (hierarchy).
        sectors: Number of sectors.
        neighbours: Ring neighbours (edge organization, Watts-Strogatz k).
        rewire: Rewiring probability (edge organization).
        structure_seed: Seed of the generated structure (kept apart from the replicate seeds).
        events_per_unit_day: Ground-truth event rate per unit and day, spread over sectors.
    """

    kind: str = "none"
    branching: int = 5
    sectors: int = 4
    neighbours: int = 4
    rewire: float = 0.1
    structure_seed: int = 0
    events_per_unit_day: float = 0.05


@dataclass
class ScenarioSpec:
    """A mission written as data.

    A scenario file may be written as other scenario files plus changes (docs/scenarios.md §0). The two keys
    below are composed away when the file is loaded (`missionfit.scenario.loading.compose_scenario`), so the
    model only ever sees the composed mapping.

    Attributes:
        extends: Scenario files this one builds on, by name in the `scenario` config group (e.g.
            `minusma/structure`), merged in order before this file's own keys
            (`missionfit.scenario.patches.merge_scenarios`: units, sectors, event types, edges and trust pairs
            merge entry by entry, keeping their order; other lists are replaced).
        patches: Name -> patch in the intervention language (`InterventionSpec`, without `mechanisms`),
            applied in order after the merge: how a year differs from the structure it extends.
        information: Facets, sensor profiles and false events of the v2 core (`InformationSpec`); the v1
            engine does not read it.
        days: Default run length when `sim.days` is unset (`None`: `DEFAULT_DAYS`); docs/parameters.md §4.
        civmil_shares: Where `mechanisms.civmil_distance` applies, as rules (`rivalry.civmil_share`, pp. 396-397).
    """

    name: str = "???"
    description: str = ""
    citation: list[str] = field(default_factory=list)
    start_date: str | None = None
    rotation_days: int = 180
    n_units: int | None = None
    mandate_weights: dict[str, float] = field(default_factory=dict)
    sectors: list[SectorSpec] = field(default_factory=list)
    event_types: list[EventTypeSpec] = field(default_factory=list)
    group_defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    kind_defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    units: list[UnitSpec] = field(default_factory=list)
    edges: list[EdgeSpec] = field(default_factory=list)
    trust: TrustSpec = field(default_factory=TrustSpec)
    information: InformationSpec = field(default_factory=InformationSpec)
    days: int | None = None
    civmil_shares: list[dict[str, Any]] = field(default_factory=lambda: [dict(r) for r in DEFAULT_CIVMIL_SHARES])
    generator: GeneratorSpec = field(default_factory=GeneratorSpec)
    extends: list[str] = field(default_factory=list)
    patches: dict[str, InterventionSpec] = field(default_factory=dict)


@dataclass
class InterventionSpec:
    """A composable patch to a scenario, traced to a recommendation of the paper.

    Unit selectors are a unit id, a list of ids, or a mapping of attribute to value(s), e.g.
    `{kind: battalion, group: [west_african, central_african]}`.

    Selector mappings may also name `role` (units holding any of the roles, resolved through
    `kind_defaults`), e.g. `{role: military_intelligence, echelon: headquarters}` for the U2, so that an
    intervention meant for any mission does not name one mission's ids.

    Attributes:
        label: Its name in figures, tables and reports (e.g. "Directive JCB").
        description: What it changes.
        source: The passage of the paper it implements.
        remove_units: Selectors of units to remove, with their edges, trust pairs and places in `rivals`
            lists (applied first).
        add_units: Units to add (skipped if the id exists).
        set_units: `[{select: selector, set: {attribute: value}}]`; nested mappings merge.
        add_edges: `[{source: selector, target: selector, type, same_sector, after, ...}]`: cross product,
            appended, or inserted after the last edge matched by `after: {source, target, type}` (edge order
            drives the order of random draws).
        remove_edges: `[{source: selector, target: selector, type}]`.
        set_edges: `[{select: {source, target, type}, set: {...}}]`.
        set_trust: `[{source: selector, target: selector, value}]`: prior overrides.
        mechanisms: Mechanism parameter overrides.
        target_flows: Contract flows or metrics the patch acts on by design (`missionfit.scenario.targets`).
    """

    label: str = ""
    description: str = ""
    source: str = ""
    remove_units: list[Any] = field(default_factory=list)
    add_units: list[dict[str, Any]] = field(default_factory=list)
    set_units: list[dict[str, Any]] = field(default_factory=list)
    add_edges: list[dict[str, Any]] = field(default_factory=list)
    remove_edges: list[dict[str, Any]] = field(default_factory=list)
    set_edges: list[dict[str, Any]] = field(default_factory=list)
    set_trust: list[dict[str, Any]] = field(default_factory=list)
    mechanisms: dict[str, Any] = field(default_factory=dict)
    target_flows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FitSpec:
    """Fit knobs: 0 = the scenario as observed, 1 = ideal fit on that dimension (docs/contract.md)."""

    strategic: float = 0.0
    cultural: float = 0.0
    operational: float = 0.0


@dataclass
class MechanismSpec:
    """Fine-grained mechanism parameters (stylized; see docs/parameters.md for each one's reasoning)."""

    # transmission: sharing decision (p. 394 "a trust sport"; p. 395 rivalry "keep information to themselves")
    share_steepness: float = 10.0
    rivalry_strength: float = 0.6
    civmil_distance: float = 0.5
    # trust dynamics (issue 16 §1, docs/ODD.md §7.10): competence (trust_*) and goodwill (goodwill_*, board_*)
    trust_gain: float = 0.05
    trust_loss: float = 0.08
    withhold_noticed: float = 0.2
    board_trust_gain: float = 0.01
    goodwill_gain: float = 0.05
    goodwill_loss: float = 0.08
    reporting_duty: float = 0.5  # intel and commander-chain edges toward a commanding unit; in [0, 1)
    trust_conflation: float = 0.3  # p. 404
    leak_rate: float = 0.02  # per level of security gap (p. 400)
    requests_for_information: int = 1  # p. 396 (a switch)
    sanitize_delay_days: float = 0.5
    tech_delay: float = 2.0
    tech_loss: float = 0.3
    language_delay_days: float = 0.5
    language_loss: float = 0.15
    language_quality_loss: float = 0.3
    procedure_loss: float = 0.1
    procedure_quality_loss: float = 0.25
    tasking_boost: float = 1.0
    task_days: int = 7
    max_open_tasks: int = 4  # a new task replaces the one that expires first
    humint_language_access: float = 0.3
    humint_local_knowledge_floor: float = 0.5  # × (floor + (1 − floor) · local_knowledge)
    tasked_detection_cap: float = 0.95
    fusion_delay_days: float = 0.25
    format_boost: float = 0.5
    staffing_gap: float = 1.0
    # decision and outcome (docs/ODD.md §7.9); v2 core below (docs/design/v2-core.md §2.3, docs/parameters.md)
    baseline_mitigation: float = 0.05
    max_mitigation: float = 0.75
    ideal_trust: float = 0.85  # the ideal value reached at fit = 1
    assessment_threshold: float = 0.7
    action_busy_days: float = 1.0
    mitigation_completeness_exponent: float = 1.0
    mitigation_accuracy_weight: float = 0.75
    mitigation_lead_half_days: float = 0.5
    posture_effect: float = 0.15
    posture_days: float = 30.0
    escalation_facet_loss: float = 0.4
    sanitize_metadata_strip: float = 1.0  # p. 400; fusion_corroboration 0 is the ablation "single best report"
    fusion_corroboration: float = 1.0
    analyst_backlog_days: float = 2.0


@dataclass
class SimSpec:
    """Simulation horizon and replication."""

    days: int | None = None  # None: the scenario's `days`, else DEFAULT_DAYS (180)
    replicates: int = 10
    progress: bool = True
    events_table: bool = True  # write events.parquet (docs/design/v2-core.md §6.3); designs turn it off
    trust_table: bool = True  # write trust.parquet; designs turn it off
