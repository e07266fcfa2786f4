"""Kinds, and every metric a replicate produces or will produce, with its kind and meaning (`missionfit.contract`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from missionfit.contract.files import CONTRACT_VERSION

# ----------------------------------------------------------------------------------------------------------------
# Kinds


class Kind(enum.StrEnum):
    """What a number means, and so how it is summarised and shown.

    `SEVERITY` (contract 2.0) is for summed event severity (`harm_by_line`): nonnegative and additive over events
    and replicates like a count, so it is summed and averaged the same way, but real-valued (severities are not
    integers), so it is not a `COUNT`, whose values are integers (an `int` column), and not a share, since it has
    no denominator. `DISTRIBUTION` marks a group of quantile leaves (`DISTRIBUTIONS`): each leaf is declared with
    the kind of the quantity (`DAYS` for `time_to_awareness.q50`), so it is printed and compared in its unit.
    """

    SHARE = "share"  # a fraction in [0, 1] (NaN when its denominator is empty); shown in per cent
    INDEX = "index"  # a composite score in [0, 1] (a geometric mean, a mean trust); shown in per cent
    COUNT = "count"  # a number of things (events, reports, hops)
    SECONDS = "seconds"  # a wall-clock duration
    DAYS = "days"  # a simulated duration
    DISTRIBUTION = "distribution"  # a group of quantiles (`DISTRIBUTIONS`); its leaves have the quantity's kind
    SEVERITY = "severity"  # summed event severity: nonnegative and additive like a count, but real-valued


#: Kinds whose values lie in [0, 1]: printed in per cent, their differences in percentage points.
UNIT_INTERVAL_KINDS = frozenset({Kind.SHARE, Kind.INDEX})


@dataclass(frozen=True)
class Metric:
    """One metric of the contract.

    Attributes:
        name: The flat name, dotted for a nested metric (`goal_realization_by_line.security`).
        kind: What the number is.
        meaning: One line.
        per_replicate: Whether each replicate has a value (a column of `replicates.parquet`, a mean and CI in
            `metrics.json`); otherwise the metric describes the whole run and is in `metrics.json` only.
        since: The contract version that added the name.
        planned: Declared but not produced by the engine yet: left out of `METRICS`, `REPLICATE_METRICS`,
            `METRICS_JSON_KEYS` and the `REPLICATES` table until it is (module docstring, "Planned metrics").
    """

    name: str
    kind: Kind
    meaning: str
    per_replicate: bool = True
    since: str = "1.0"
    planned: bool = False

    @property
    def group(self) -> str:
        """The top-level key in `metrics.json` (`goal_realization_by_line` for a per-line metric)."""
        return self.name.split(".", 1)[0]


#: Mandate lines, in the order of `goal_realization_by_line` (the scenario schema's `MANDATE_LINES`).
MANDATE_LINES = ("security", "protection_of_civilians", "political_process", "state_authority", "humanitarian")
#: Fit dimensions, in the order of `fit_index`.
FIT_DIMENSIONS = ("strategic", "cultural", "operational")

#: Attribution paths of a realized event, in the order of `goal_realization_by_path` (docs/design/v2-core.md §6.1).
PATHS = (
    "baseline",
    "own_sensing",
    "commander_chain",
    "intel_line",
    "all_source_fusion",
    "mission_analysis",
    "other_analysis",
    "board",
    "liaison",
    "informal",
)
#: Quantile keys of a distribution metric and the probability each stands for.
QUANTILES = {"q10": 0.1, "q50": 0.5, "q90": 0.9}
#: Distribution metrics (kind `DISTRIBUTION`): group -> its leaves (the `QUANTILES` keys, then extra leaves).
DISTRIBUTIONS = {"time_to_awareness": (*QUANTILES, "never_aware_share")}

#: Whether the v2 metrics are still planned (not produced by the engine); set to False when the engine produces them.
_V2_PLANNED = False

_S, _I, _C, _D, _SEV = Kind.SHARE, Kind.INDEX, Kind.COUNT, Kind.DAYS, Kind.SEVERITY


def _v2(name: str, kind: Kind, meaning: str) -> Metric:
    """A metric added by contract 2.0 (the v2 core, docs/design/v2-core.md §6)."""
    return Metric(name, kind, meaning, since="2.0", planned=_V2_PLANNED)


_PATH_MEANINGS = {
    "baseline": "mitigated without any action (the baseline mitigation probability)",
    "own_sensing": "acted on by a consumer whose own sensing made its picture actionable",
    "commander_chain": "made actionable by a raw report whose last hop was a commander-chain edge",
    "intel_line": "made actionable by an S2/G2/U2 assessment or a raw report over an intel edge",
    "all_source_fusion": "made actionable by an ASIFU (all-source fusion) assessment",
    "mission_analysis": "made actionable by a JMAC (mission analysis) assessment",
    "other_analysis": "made actionable by an assessment of any other fusion unit",
    "board": "made actionable by a raw report whose last hop was a board edge",
    "liaison": "made actionable by a raw report whose last hop was a liaison edge",
    "informal": "made actionable by a raw report whose last hop was an informal edge",
}

#: The metrics added by the v2 core (contract 2.0), in the order a replicate will produce them.
_V2_DECLARED: tuple[Metric, ...] = (
    *(
        _v2(f"goal_realization_by_path.{path}", _S, f"goal realization through the {path} path: {_PATH_MEANINGS[path]}")
        for path in PATHS
    ),
    _v2("intelligence_share", _S, "(GR - own_sensing - baseline) / (GR - baseline); NaN when GR equals baseline"),
    _v2("fc_awareness_rate", _S, "imminent true security threats the FC was aware of by the event time minus its lead"),
    _v2("asifu_awareness_rate", _S, "the same threats, ASIFU HQ's picture judged by the FC's needs and deadline"),
    _v2("shared_awareness", _S, "mean over true events of the share of their in-mission responsible consumers aware"),
    _v2("time_to_awareness.q10", _D, "10% quantile of event time minus aware time, over aware (event, consumer) pairs"),
    _v2("time_to_awareness.q50", _D, "median of event time minus aware time, over aware (event, consumer) pairs"),
    _v2("time_to_awareness.q90", _D, "90% quantile of event time minus aware time, over aware (event, consumer) pairs"),
    _v2("time_to_awareness.never_aware_share", _S, "(true event, responsible consumer) pairs never aware in time"),
    _v2("false_alarm_rate", _S, "actions taken on false events / actions taken"),
    _v2("capacity_utilisation", _S, "busy capacity-days / available capacity-days of the acting consumers"),
    *(
        _v2(f"harm_by_line.{line}", _SEV, f"unmitigated, unprevented severity of the {line.replace('_', ' ')} line")
        for line in MANDATE_LINES
    ),
    _v2("external_goal_realization", _S, "goal realization of the events of actors outside the mission"),
    _v2("external_awareness", _S, "share of those events that their responsible outside actors were aware of in time"),
    _v2("asifu_assessments_to_fc", _C, "ASIFU assessments delivered to the FC"),
)



def _v3(name: str, kind: Kind, meaning: str) -> Metric:
    """A metric added by contract 3.0 (living trust, issue 16 §1)."""
    return Metric(name, kind, meaning, since="3.0")


#: The metrics added by contract 3.0 (living trust), in the order a replicate produces them.
_TRUST_DECLARED: tuple[Metric, ...] = (
    _v3("mean_competence", _I, "mean over the interacting dyads of the truster's trust in the trustee's competence"),
    _v3("mean_goodwill", _I, "mean over the interacting dyads of the truster's trust in the trustee's goodwill"),
    _v3("trust_pairs", _C, "interacting dyads: ordered (truster, trustee) pairs whose trust was consulted or moved"),
    _v3("trust_moved_share", _S, "share of the interacting dyads with a component away from its prior at the end"),
    _v3("leaks", _C, "noticed leaks: an originator's content exposed by a holder of lower security (p. 400)"),
    _v3("requests_sent", _C, "requests for information a cell sent to a partner that had assessed the event"),
    _v3("requests_answered", _C, "... of which answered"),
    _v3("escorts", _C, "unit-days a protecting unit escorted a unit that depends on it (pp. 400-401)"),
    _v3("escorts_refused", _C, "unit-days it did not: that unit's escorted sensors collected nothing"),
    _v3("safety_incidents", _C, "safety-order incidents on escorted days (p. 401), each lowering both sides' goodwill"),
)

#: Every declared metric, produced and planned, in the order a replicate produces (or will produce) them.
ALL_METRICS: tuple[Metric, ...] = (
    Metric("goal_realization", _S, "severity-weighted share of materialized events mitigated, mandate-weighted"),
    *(
        Metric(f"goal_realization_by_line.{line}", _S, f"goal realization of the {line.replace('_', ' ')} line")
        for line in MANDATE_LINES
    ),
    Metric(
        "fc_current_warning_rate", _S, "imminent security threats the FC was warned of by the event time minus its lead"
    ),
    Metric("asifu_current_warning_rate", _S, "the same threats known at ASIFU HQ by the same deadline"),
    Metric(
        "asifu_use_rate_fc", _S,
        "ASIFU assessments delivered to the FC that entered its picture with a facet at or above its action threshold",
    ),
    Metric("jmac_receipt_from_sf_isr", _S, "SOLTG/ISR/helicopter reports that reached JMAC (or a derived assessment)"),
    Metric("u2_asifu_receipt_from_sf_isr", _S, "SOLTG/ISR/helicopter reports that reached U2 or ASIFU HQ"),
    Metric("g2_receipt_from_s2", _S, "battalion S2 messages delivered at their sector's G2"),
    Metric("duplication", _S, "events assessed by U2/ASIFU/JMAC with two or more independent assessments"),
    Metric("fit_index.strategic", _I, "measured strategic fit: relevant products, without duplicated effort"),
    Metric("fit_index.cultural", _I, "measured cultural fit: units report what they see and share what they hold"),
    Metric("fit_index.operational", _I, "measured operational fit: channels carry what is shared, unaltered"),
    Metric("events_total", _C, "ground-truth events that materialized"),
    Metric("imminent_threats", _C, "materialized imminent security threats"),
    Metric("reports_created", _C, "messages created (= delivered + dropped + in flight)"),
    Metric("reports_delivered", _C, "messages delivered"),
    Metric("reports_dropped", _C, "messages withheld or lost (= withheld + lost)"),
    Metric("reports_withheld", _C, "messages a sender chose not to pass on"),
    Metric("reports_lost", _C, "messages lost in transmission"),
    Metric("reports_sanitized", _C, "messages delivered with content removed"),
    Metric("reports_in_flight", _C, "messages still in transit at the end of the run"),
    Metric("hops", _C, "transmission attempts over edges"),
    Metric("observations", _C, "sensor observations of events"),
    Metric("assessments", _C, "analytic assessments made"),
    Metric("tasks_issued", _C, "collection tasks issued"),
    Metric(
        "mean_trust", _I,
        "mean over the interacting dyads of their two trust components (competence, goodwill) at the end (3.0)",
    ),
    *_V2_DECLARED,
    *_TRUST_DECLARED,
    Metric("replicates", _C, "replicates of the run", per_replicate=False),
    Metric("wall_seconds", Kind.SECONDS, "wall time of the whole run", per_replicate=False),
)

#: Every metric a replicate produces now, in order (and `replicates.parquet` and `metrics.json` list them).
METRICS: tuple[Metric, ...] = tuple(m for m in ALL_METRICS if not m.planned)
#: Declared metrics the engine does not produce yet (module docstring, "Planned metrics").
PLANNED_METRICS: tuple[Metric, ...] = tuple(m for m in ALL_METRICS if m.planned)
#: The names added by the v2 core (contract 2.0), produced or planned.
V2_METRICS: tuple[str, ...] = tuple(m.name for m in _V2_DECLARED)

_BY_NAME = {m.name: m for m in ALL_METRICS}

#: The key of `metrics.json` that mirrors the per-replicate metrics with `[low, high]` 95% t-intervals.
CI_KEY = "ci95"


def replicate_metrics(include_planned: bool = False) -> tuple[str, ...]:
    """The per-replicate metric names in order; with `include_planned`, the planned ones too (a v2 replicate)."""
    return tuple(m.name for m in ALL_METRICS if m.per_replicate and (include_planned or not m.planned))


def metrics_json_keys(include_planned: bool = False) -> tuple[str, ...]:
    """The top-level keys of `metrics.json` in order; with `include_planned`, as a v2 run will write them."""
    declared = [m for m in ALL_METRICS if include_planned or not m.planned]
    return (
        *dict.fromkeys(m.group for m in declared if m.per_replicate),
        CI_KEY,
        *(m.name for m in declared if not m.per_replicate),
    )


#: The metrics of one replicate (the columns of `replicates.parquet` after `replicate` and `seed`).
REPLICATE_METRICS = replicate_metrics()
#: The top-level keys of `metrics.json`, in order.
METRICS_JSON_KEYS = metrics_json_keys()


def metric(name: str) -> Metric:
    """The declaration of a metric (produced or planned) by its flat (dotted) name.

    Raises:
        KeyError: The name is not part of the contract.
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a metric of the output contract {CONTRACT_VERSION}") from None


def group_kind(group: str) -> Kind | None:
    """The kind of a metric group: `DISTRIBUTION` for a distribution, else the common kind of its leaves (or None).

    Args:
        group: A top-level key of `metrics.json` (`time_to_awareness`, `goal_realization_by_path`, `hops`).
    """
    if group in DISTRIBUTIONS:
        return Kind.DISTRIBUTION
    kinds = {m.kind for m in ALL_METRICS if m.group == group}
    return kinds.pop() if len(kinds) == 1 else None


def is_metric(name: str) -> bool:
    """Whether `name` is a metric of the contract, produced or planned (flat or dotted name)."""
    return name in _BY_NAME
