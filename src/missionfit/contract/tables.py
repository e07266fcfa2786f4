"""The columns of the run tables, with dtype families and kinds (part of `missionfit.contract`)."""

from __future__ import annotations

from dataclasses import dataclass

from missionfit.contract.files import (
    EVENTS_FILE,
    FC_LATENCY_FILE,
    FLOWS_FILE,
    REPLICATES_FILE,
    TIMESERIES_FILE,
    TRUST_FILE,
    UNITS_FILE,
)
from missionfit.contract.metrics import (
    _BY_NAME,
    _C,
    _D,
    _I,
    _S,
    _SEV,
    UNIT_INTERVAL_KINDS,
    Kind,
    Metric,
    replicate_metrics,
)

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
        Column("mean_trust", "float", "mean trust over the interacting dyads (both components), end of day", _I),
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

TRUST = Table(
    TRUST_FILE,
    (
        _REPLICATE,
        Column("source", "str", "unit id of the truster"),
        Column("target", "str", "unit id of the trustee"),
        Column("competence_initial", "float", "the truster's prior trust in the trustee's competence", _I),
        Column("competence_final", "float", "... at the end of the run", _I),
        Column("goodwill_initial", "float", "the truster's prior trust in the trustee's goodwill", _I),
        Column("goodwill_final", "float", "... at the end of the run", _I),
        Column("interactions", "int", "times the pair's trust was consulted or moved", _C),
    ),
)

#: The run tables by file name (every run directory holds them).
RUN_TABLE_SCHEMAS = {t.file: t for t in (REPLICATES, TIMESERIES, FLOWS, UNITS, FC_LATENCY)}
#: The optional run tables by file name (`OPTIONAL_RUN_TABLES`).
OPTIONAL_TABLE_SCHEMAS = {t.file: t for t in (EVENTS, TRUST)}
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
