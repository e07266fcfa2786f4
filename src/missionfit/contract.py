"""The output contract of missionfit (docs/contract.md), defined once: file names, metric names and kinds, arm keys.

Everything a user's script, a figure or a test may rely on about the files missionfit writes is declared here:

- the names of the files of a run directory and of a sweep directory;
- every metric a replicate produces, with its **kind** (a share or an index in [0, 1], a count, a summed severity,
  seconds, days, a distribution given by quantiles) and a one-line meaning, in the order the model produces them;
- the metrics declared for the v2 core but not produced yet (`PLANNED_METRICS`, see "Planned metrics" below);
- the columns of the run tables (`timeseries.parquet`, `flows.parquet`, `units.parquet`, `fc_latency.parquet`,
  and the optional `events.parquet`), each with its dtype family and kind;
- intervention arms: how an arm is spelled (`"[]"`, `"[a,b]"`, `"a+b"`, `"baseline"`, ...) and its canonical key.

The contract is versioned (`CONTRACT_VERSION`, recorded in every `provenance.json`): the minor version grows when
names are added, the major version when the meaning of an existing name changes or a name is removed. Every change
is recorded, with a migration note, in `CHANGELOG.md` at the repository root (see docs/contract.md).

Planned metrics: a metric declared with `planned=True` is part of the contract (`metric`, `kind_of`, `is_metric`
know it) but left out of `METRICS`, `REPLICATE_METRICS`, `METRICS_JSON_KEYS` and `REPLICATES` until the engine
produces it (`_V2_PLANNED` for the v2 metrics, `V2_METRICS`, docs/design/v2-core.md §6).

This module imports only the standard library, so that analysis code can use it on results copied to a laptop.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass

#: Version of the output contract: "major.minor" (minor: names added; major: a meaning re-defined or removed).
CONTRACT_VERSION = "1.1"

# ----------------------------------------------------------------------------------------------------------------
# Files

#: Means over replicates with their 95% t-intervals; written last, so its presence marks a complete run.
METRICS_FILE = "metrics.json"
#: One row per replicate: `replicate`, `seed` and every metric (nested ones with dotted names).
REPLICATES_FILE = "replicates.parquet"
#: One row per replicate and day.
TIMESERIES_FILE = "timeseries.parquet"
#: One row per edge (source, target, type), counters summed over replicates.
FLOWS_FILE = "flows.parquet"
#: The units as run: identity, placement and every resolved attribute.
UNITS_FILE = "units.parquet"
#: One row per replicate and message delivered to the Force Commander.
FC_LATENCY_FILE = "fc_latency.parquet"
#: The resolved config of the run (plain YAML; Hydra also writes `.hydra/config.yaml`).
CONFIG_FILE = "config.yaml"
#: Versions, git commit, contract version, scenario hash, seeds and wall time.
PROVENANCE_FILE = "provenance.json"

#: One row per event and replicate (truth, awareness, action, path, outcome); optional (`sim.events_table`).
EVENTS_FILE = "events.parquet"

#: The tables of a run directory.
RUN_TABLES = (REPLICATES_FILE, TIMESERIES_FILE, FLOWS_FILE, UNITS_FILE, FC_LATENCY_FILE)
#: Every file a complete run directory holds.
RUN_FILES = (METRICS_FILE, *RUN_TABLES, CONFIG_FILE, PROVENANCE_FILE)
#: Tables a run directory may hold besides `RUN_FILES` (written when asked; absent in large designs).
OPTIONAL_RUN_TABLES = (EVENTS_FILE,)

#: One row per job × replicate: job identity, every swept key, `replicate`, `seed`, every metric.
SUMMARY_FILE = "summary.parquet"
#: Paired differences of every intervention arm from the baseline (`COMPARISON_COLUMNS`).
COMPARISON_FILE = "comparison.parquet"
#: Sobol or Morris indices of a sensitivity design (method, parameter, metric, indices).
SENSITIVITY_FILE = "sensitivity.parquet"
#: The sweep's manifest: its design, swept keys, jobs and comparison settings.
SWEEP_MANIFEST_FILE = "sweep.json"
#: The sweep-level config that Hydra writes.
MULTIRUN_FILE = "multirun.yaml"
#: Markdown report of a sweep (written by `missionfit-figures`).
REPORT_FILE = "report.md"
#: Folder of the failed jobs' error records (`errors/<job>.json`).
ERRORS_DIR = "errors"
#: Folder of the figures (PDF + PNG) of a run or sweep directory.
FIGURES_DIR = "figures"

#: The files a sweep directory holds besides its job run directories (`0/`, `1/`, ...); the last two as they apply.
SWEEP_FILES = (SUMMARY_FILE, SWEEP_MANIFEST_FILE, MULTIRUN_FILE, COMPARISON_FILE, SENSITIVITY_FILE)

# ----------------------------------------------------------------------------------------------------------------
# Kinds


class Kind(enum.StrEnum):
    """What a number means, and so how it is summarised and shown.

    `SEVERITY` (contract 1.1) is for summed event severity (`harm_by_line`): nonnegative and additive over events
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
    """A metric added by contract 1.1 (the v2 core, docs/design/v2-core.md §6)."""
    return Metric(name, kind, meaning, since="1.1", planned=_V2_PLANNED)


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

#: The metrics added by the v2 core (contract 1.1), in the order a replicate will produce them.
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
    Metric("asifu_use_rate_fc", _S, "ASIFU assessments delivered to the FC that the FC used"),
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
    Metric("mean_trust", _I, "mean of the unit × unit trust matrix (every ordered pair, diagonal included) at the end"),
    *_V2_DECLARED,
    Metric("replicates", _C, "replicates of the run", per_replicate=False),
    Metric("wall_seconds", Kind.SECONDS, "wall time of the whole run", per_replicate=False),
)

#: Every metric a replicate produces now, in order (and `replicates.parquet` and `metrics.json` list them).
METRICS: tuple[Metric, ...] = tuple(m for m in ALL_METRICS if not m.planned)
#: Declared metrics the engine does not produce yet (module docstring, "Planned metrics").
PLANNED_METRICS: tuple[Metric, ...] = tuple(m for m in ALL_METRICS if m.planned)
#: The names added by the v2 core (contract 1.1), produced or planned.
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


# ----------------------------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class Column:
    """One column of a run table.

    Attributes:
        name: The column name.
        dtype: Its dtype family: `int`, `float`, `str` or `bool`.
        meaning: One line.
        kind: What the number is (None for identifiers and labels).
    """

    name: str
    dtype: str
    meaning: str
    kind: Kind | None = None


@dataclass(frozen=True)
class Table:
    """The declared columns of one table file, in order.

    Attributes:
        file: The file name.
        columns: The contracted columns, in their order in the file.
        open: Whether further columns follow (the units' attributes, the swept keys); otherwise exactly these.
    """

    file: str
    columns: tuple[Column, ...]
    open: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The column names."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The declaration of one column (KeyError if undeclared)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.file} declares no column {name!r}")


def _metric_column(m: Metric) -> Column:
    return Column(m.name, "int" if m.kind is Kind.COUNT else "float", m.meaning, m.kind)


def replicate_columns(include_planned: bool = False) -> tuple[Column, ...]:
    """The metric columns of `replicates.parquet`, in order; with `include_planned`, the planned ones too.

    Args:
        include_planned: Also declare the planned metrics (the table a v2 replicate will write).
    """
    return tuple(_metric_column(_BY_NAME[n]) for n in replicate_metrics(include_planned))


_REPLICATE = Column("replicate", "int", "replicate index 0, 1, ... (replicate r of every arm sees the same events)")

REPLICATES = Table(
    REPLICATES_FILE,
    (
        _REPLICATE,
        Column("seed", "int", "the run's base seed"),
        *replicate_columns(),
    ),
)
#: `replicates.parquet` as a replicate of the v2 engine will write it: the planned metrics too.
REPLICATES_V2 = Table(REPLICATES_FILE, (*REPLICATES.columns[:2], *replicate_columns(include_planned=True)))

TIMESERIES = Table(
    TIMESERIES_FILE,
    (
        _REPLICATE,
        Column("day", "int", "day of the rotation, from 0"),
        Column("events", "int", "events that materialized that day", _C),
        Column("severity", "float", "summed severity of the day's events", _C),
        Column("severity_mitigated", "float", "summed severity of the day's events that were mitigated", _C),
        Column("reports_created", "int", "messages created that day", _C),
        Column("reports_delivered", "int", "messages delivered that day", _C),
        Column("reports_dropped", "int", "messages withheld or lost that day", _C),
        Column("hops", "int", "transmission attempts that day", _C),
        Column("fc_warned", "int", "imminent threats warned to the FC in time, that day", _C),
        Column("imminent_threats", "int", "imminent security threats that materialized that day", _C),
        Column("mean_trust", "float", "mean trust over the intel and commander-chain edges at the end of the day", _I),
        Column("fusion_queue", "int", "items waiting in the fusion queues at the end of the day", _C),
        Column("goal_realization", "float", "severity-weighted share mitigated to date, all lines pooled", _S),
        Column("fc_current_warning_rate", "float", "imminent threats warned to the FC in time, to date", _S),
    ),
)

FLOWS = Table(
    FLOWS_FILE,
    (
        Column("source", "str", "sending unit id"),
        Column("target", "str", "receiving unit id"),
        Column("type", "str", "edge type: command, intel, commander_chain, liaison, informal, board"),
        Column("hops", "int", "transmission attempts (= delivered + withheld + lost)", _C),
        Column("delivered", "int", "messages delivered", _C),
        Column("withheld", "int", "messages the sender withheld", _C),
        Column("sanitized", "int", "messages delivered with content removed", _C),
        Column("lost", "int", "messages lost", _C),
        Column("replicates", "int", "replicates summed over", _C),
    ),
)

UNITS = Table(
    UNITS_FILE,
    (
        Column("id", "str", "unit id"),
        Column("name", "str", "display name"),
        Column("kind", "str", "unit kind"),
        Column("component", "str", "military, police, civilian or external"),
        Column("contributor", "str", "contributing country or organisation"),
        Column("group", "str", "cultural group"),
        Column("location", "str", "location name"),
        Column("sector", "str", "sector id"),
        Column("strength", "int", "personnel", _C),
        Column("latitude", "float", "latitude, degrees"),
        Column("longitude", "float", "longitude, degrees"),
        Column("roles", "str", "the unit's roles (scenario.codes.ROLES), comma-joined"),
        Column("echelon", "str", "echelon of the unit's kind (network layout), empty if none"),
        Column("actor_block", "str", "actor block of the coherence matrix, empty if none"),
        Column("kind_label", "str", "display name of the unit's kind, empty if none"),
    ),
    open=True,  # then every resolved attribute of the units (lists comma-joined, nested ones dotted)
)

FC_LATENCY = Table(
    FC_LATENCY_FILE,
    (
        _REPLICATE,
        Column("source", "str", "unit id of the message's origin"),
        Column("source_kind", "str", "unit kind of the origin"),
        Column("channel", "str", "edge type of the last hop (`none` for none)"),
        Column("kind", "str", "message kind"),
        Column("latency_days", "float", "days from observation to arrival at the FC", Kind.DAYS),
        Column("timely", "bool", "arrived by the event's time minus the FC's lead time"),
    ),
)

EVENTS = Table(
    EVENTS_FILE,
    (
        _REPLICATE,
        Column("event", "int", "event index within the replicate (world stream: the same event in every arm)"),
        Column("time", "float", "time the event materializes, days from the start of the rotation", _D),
        Column("sector", "str", "sector id"),
        Column("line", "str", "mandate line (MANDATE_LINES)"),
        Column("domain", "str", "domain of the event"),
        Column("horizon", "str", "imminent, mid or long"),
        Column("severity", "float", "severity of the event", _SEV),
        Column("is_false", "bool", "a false event (an indicator without a real event): never enters GR"),
        Column("first_indicator_time", "float", "time of the event's first indicator, days (NaN if none)", _D),
        Column("fc_aware_time", "float", "time the FC became aware by its deadline, days (NaN if never)", _D),
        Column("asifu_aware_time", "float", "the same for ASIFU HQ's picture, judged as for the FC (NaN if never)", _D),
        Column("aware_consumers", "int", "responsible consumers aware by their deadline", _C),
        Column("responsible_consumers", "int", "in-mission consumers responsible for the event", _C),
        Column("action_unit", "str", "unit id of the consumer that acted (empty if none)"),
        Column("action_time", "float", "time of the action, days (NaN if none)", _D),
        Column("completeness", "float", "facets with a value / facets of the type, at the action (NaN if none)", _S),
        Column("accuracy", "float", "share of those values that are right, at the action (NaN if none)", _S),
        Column("mitigated", "bool", "mitigated (by the action, or at the baseline probability)"),
        Column("prevented", "bool", "prevented by a posture in its (sector, domain)"),
        Column("path", "str", "attribution path of a realized event (PATHS), empty if not realized"),
    ),
)

#: The run tables by file name (every run directory holds them).
RUN_TABLE_SCHEMAS = {t.file: t for t in (REPLICATES, TIMESERIES, FLOWS, UNITS, FC_LATENCY)}
#: The optional run tables by file name (`OPTIONAL_RUN_TABLES`).
OPTIONAL_TABLE_SCHEMAS = {t.file: t for t in (EVENTS,)}
#: Every declared run table by file name, required and optional.
TABLE_SCHEMAS = {**RUN_TABLE_SCHEMAS, **OPTIONAL_TABLE_SCHEMAS}

#: Columns of `comparison.parquet` (after any further swept keys that define separate comparisons).
COMPARISON_COLUMNS = ("arm", "metric", "mean_diff", "ci_low", "ci_high", "effect_size", "n")
#: The leading columns of `summary.parquet`; then the swept keys, `replicate`, `seed`, every metric, provenance.
SUMMARY_KEY_COLUMNS = ("job", "job_num", "design_point")


def kind_of(name: str, table: str = REPLICATES_FILE) -> Kind | None:
    """The kind of a metric or of a column of a run table; None for identifiers and undeclared names.

    Args:
        name: A metric (flat or dotted) or column name.
        table: The table the column belongs to (metrics are looked up first).
    """
    if name in _BY_NAME:
        return _BY_NAME[name].kind
    schema = TABLE_SCHEMAS.get(table)
    if schema is not None and name in schema.names:
        return schema.column(name).kind
    return None


def is_unit_interval(name: str, table: str = REPLICATES_FILE) -> bool:
    """Whether a metric or column is a share or an index in [0, 1] (shown in per cent, differences in pp)."""
    return kind_of(name, table) in UNIT_INTERVAL_KINDS


def columns_of_kind(table: str, *kinds: Kind) -> tuple[str, ...]:
    """The columns of a run table (required or optional) whose kind is one of `kinds`, in file order."""
    return tuple(c.name for c in TABLE_SCHEMAS[table].columns if c.kind in kinds)


# ----------------------------------------------------------------------------------------------------------------
# Arms

#: The arm name of the mission as observed (no intervention; the runner's default `comparison.baseline`).
BASELINE_ARM = "baseline"
#: The arm name of every intervention combined (the runner's default `comparison.all_label`).
ALL_ARM = "all"


def parse_arm(value: object) -> tuple[str, ...]:
    """Normalize an intervention arm to a sorted tuple of intervention names.

    Accepts lists, tuples, arrays, `"[a,b]"`, `"a,b"`, the runner's arm labels `"a+b"` and `"baseline"`, a
    mapping (or JSON object) of intervention specs keyed by name, `""` and `None`; `"all"` stays `("all",)`.
    """
    if value is None:
        return ()
    if isinstance(value, float) and value != value:  # NaN
        return ()
    if isinstance(value, str) and value.strip().startswith("{"):
        try:  # a JSON object of intervention specs, keyed by name
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, dict):
        return tuple(sorted(str(k) for k in value))
    if isinstance(value, list | tuple | set) or hasattr(value, "tolist"):
        items = [str(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    else:
        text = str(value).strip().strip("[]()").replace("'", "").replace('"', "")
        items = [t.strip() for t in re.split(r"[,+]", text)]
    return tuple(sorted(i for i in items if i and i.lower() not in ("none", BASELINE_ARM)))


def arm_key(value: object) -> str:
    """A canonical string key for an arm: `"[]"`, `"[a,b]"`."""
    return "[" + ",".join(parse_arm(value)) + "]"
