"""Metrics of one finished replicate (docs/contract.md), and its tidy tables.

Undefined shares (no denominator, e.g. no ASIFU in a generic scenario) are NaN, never a made-up 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from missionfit import engine as E
from missionfit.scenario import schema

if TYPE_CHECKING:
    from missionfit.model.simulation import Simulation as MissionModel


def _share(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def _geometric_mean(*values: float) -> float:
    vals = [v for v in values if not np.isnan(v)]
    if not vals:
        return float("nan")
    return float(np.prod(np.clip(vals, 0.0, 1.0)) ** (1.0 / len(vals)))


def counters(model: MissionModel) -> dict[str, int]:
    """The engine's counters by name."""
    return {name: int(v) for name, v in zip(E.COUNTER_NAMES, model.engine_state.flow.counters, strict=True)}


def replicate_metrics(model: MissionModel) -> dict[str, Any]:
    """Every metric of the output contract for one replicate (shares in [0, 1], or NaN if undefined).

    Definitions (docs/ODD.md §7.9 and §4.11):
        goal_realization_by_line[l]: severity-weighted share of line l's materialized events mitigated.
        goal_realization: mean of the lines weighted by the scenario's mandate weights (lines with events).
        fc_current_warning_rate: imminent security threats for which the FC received a current warning
            before the event minus its lead time.
        asifu_current_warning_rate: the same threats known at ASIFU HQ by the same deadline.
        asifu_use_rate_fc: ASIFU assessments delivered to the FC that entered its picture with a facet at or above
            the FC's action threshold (contract 2.0; v1: the use rule of `decide`).
        jmac_receipt_from_sf_isr: SOLTG/ISR/helicopter reports of which the report or an assessment derived
            from it reached JMAC (u2_asifu_receipt_from_sf_isr: reached U2 or ASIFU HQ).
        g2_receipt_from_s2: messages from battalion S2 cells delivered at their sector's G2.
        duplication: events assessed by the mission-level cells (U2, ASIFU, JMAC) of which two or more
            cells made independent assessments (without having received another's).
        fit_index: realised fit per dimension (see the comments below).
    """
    net, fl = model.engine_static.net, model.engine_state.flow
    c = counters(model)
    ev = slice(0, c["event_cursor"])
    line_severity = model.engine_state.line_severity
    line_total, line_mitigated = line_severity[:, E.LS_TOTAL], line_severity[:, E.LS_MITIGATED]
    weights = model.mission.mandate_weights
    by_line, num, den = {}, 0.0, 0.0
    for i, line in enumerate(schema.MANDATE_LINES):
        gr = _share(line_mitigated[i], line_total[i])
        by_line[line] = gr
        if not np.isnan(gr) and weights[i] > 0:
            num += weights[i] * gr
            den += weights[i]
    goal = num / den if den > 0 else float("nan")

    ev_time = net.evf[E.EV_TIME, ev]
    true = net.evi[E.EV_FALSE, ev] == 0  # false events never materialize (docs/design/v2-core.md §3)
    threats = (net.evi[E.EV_HORIZON, ev] == E.IMMINENT) & (net.evi[E.EV_LINE, ev] == E.SECURITY) & true
    n_threats = int(threats.sum())
    fc, asifu, jmac = (int(net.roles[role]) for role in (E.R_FC, E.R_ASIFU, E.R_JMAC))
    fc_rate = _share(np.sum(fl.esf[E.ES_FC_WARNED, ev][threats] < np.inf), n_threats) if fc >= 0 else np.nan
    if asifu >= 0 and fc >= 0:
        deadline = ev_time - net.uf[E.U_LEAD, fc]
        asifu_rate = _share(np.sum((fl.esf[E.ES_ASIFU_KNOWN, ev] <= deadline)[threats]), n_threats)
    else:
        asifu_rate = float("nan")
    n_sf = c["n_sf_reports"]
    reached = fl.sf_reached[:n_sf]
    jmac_rate = _share(np.sum(reached & E.SF_REACHED_JMAC > 0), n_sf) if jmac >= 0 else float("nan")
    has_u2_or_asifu = net.roles[E.R_U2] >= 0 or asifu >= 0
    u2_asifu_rate = _share(np.sum(reached & E.SF_REACHED_U2_OR_ASIFU > 0), n_sf) if has_u2_or_asifu else float("nan")
    duplication = _share(np.sum(fl.esi[E.ES_INDEPENDENT] >= 2), np.sum(fl.esi[E.ES_PEER_ASSESSED]))

    hops = c["hops"]
    relevance = _share(c["consumer_relevant"], c["consumer_deliveries"])
    carried = hops - c["withheld"]
    fit_index = {
        # strategic: are products what their consumers need, without duplicated effort?
        "strategic": _geometric_mean(relevance, 1.0 - duplication),
        # cultural: do units report what they see, and share what they hold?
        "cultural": _geometric_mean(
            _share(c["observations_reported"], c["observations"]), 1.0 - _share(c["withheld"], hops)
        ),
        # operational: do channels carry what is shared, without loss or sanitization?
        "operational": 1.0 - _share(c["lost"] + c["sanitized"], carried) if carried > 0 else float("nan"),
    }
    from missionfit.model.awareness import v2_metrics
    from missionfit.model.trust import trust_metrics

    trust = trust_metrics(model)

    return {
        "goal_realization": goal,
        "goal_realization_by_line": by_line,
        "fc_current_warning_rate": float(fc_rate),
        "asifu_current_warning_rate": float(asifu_rate),
        "asifu_use_rate_fc": _share(c["asifu_to_fc_used"], c["asifu_to_fc_delivered"]),
        "jmac_receipt_from_sf_isr": jmac_rate,
        "u2_asifu_receipt_from_sf_isr": u2_asifu_rate,
        "g2_receipt_from_s2": _share(c["s2_to_g2_delivered"], c["s2_created"]),
        "duplication": duplication,
        "fit_index": fit_index,
        "events_total": int(true.sum()),
        "imminent_threats": n_threats,
        "reports_created": c["reports_created"],
        "reports_delivered": c["delivered"],
        "reports_dropped": c["withheld"] + c["lost"],
        "reports_withheld": c["withheld"],
        "reports_lost": c["lost"],
        "reports_sanitized": c["sanitized"],
        "reports_in_flight": c["n_pending"],
        "hops": hops,
        "observations": c["observations"],
        "assessments": c["assessments"],
        "tasks_issued": c["tasks_issued"],
        "mean_trust": trust.pop("mean_trust"),
        **v2_metrics(model, threats, weights),
        **trust,  # contract 3.0, after the v2 core's
    }


#: Day columns that are counts (stored as int64; the rest are floats).
_INT_DAY_COLUMNS = frozenset(
    ("events", "reports_created", "reports_delivered", "reports_dropped", "hops", "fc_warned", "imminent_threats",
     "fusion_queue")
)


def timeseries_table(model: MissionModel) -> pd.DataFrame:
    """One row per simulated day: counts of the day, and goal realization and FC warning rate to date."""
    rec = model.engine_state.day_record[: model.day]
    # built as one mapping of columns: the runner makes this table for every replicate, and pandas' per-column
    # insertion would cost more than the replicate itself
    columns: dict[str, np.ndarray] = {"day": np.arange(model.day)}
    for k, name in enumerate(E.DAY_COLUMNS):
        columns[name] = rec[:, k].astype(np.int64) if name in _INT_DAY_COLUMNS else rec[:, k].copy()
    cum_sev = np.cumsum(rec[:, E.D_SEVERITY])
    cum_mit = np.cumsum(rec[:, E.D_SEVERITY_MITIGATED])
    cum_threats = np.cumsum(rec[:, E.D_IMMINENT_THREATS])
    cum_warned = np.cumsum(rec[:, E.D_FC_WARNED])
    with np.errstate(invalid="ignore", divide="ignore"):
        # severity-weighted share mitigated to date, all lines pooled (not mandate-weighted)
        columns["goal_realization"] = np.where(cum_sev > 0, cum_mit / cum_sev, np.nan)
        columns["fc_current_warning_rate"] = np.where(cum_threats > 0, cum_warned / cum_threats, np.nan)
    return pd.DataFrame(columns)


def flows_table(model: MissionModel) -> pd.DataFrame:
    """Per compiled edge: hops, delivered (crossed the edge), withheld, sanitized, lost."""
    labels = model.mission.labels
    counts = model.engine_state.flow.edge_counts
    n = counts.shape[0]
    return pd.DataFrame(
        {
            "source": labels["edge_source"],
            "target": labels["edge_target"],
            "type": labels["edge_type"][:n],
            "hops": counts[:, E.EC_HOPS],
            "delivered": counts[:, E.EC_DELIVERED],
            "withheld": counts[:, E.EC_WITHHELD],
            "sanitized": counts[:, E.EC_SANITIZED],
            "lost": counts[:, E.EC_LOST],
        }
    )


def fc_latency_table(model: MissionModel) -> pd.DataFrame:
    """Every message delivered to the Force Commander: source, channel, latency since observation."""
    net, fl = model.engine_static.net, model.engine_state.flow
    fc = int(net.roles[E.R_FC])
    n = int(fl.counters[E.C_NMSG])
    cols = ["source", "source_kind", "channel", "kind", "latency_days", "timely"]
    if fc < 0:
        return pd.DataFrame(columns=cols)
    mi, mf = fl.mi[:n].T, fl.mf[:n].T  # the engine stores one message per row
    sel = np.flatnonzero((mi[E.M_STATUS] == E.DELIVERED) & (mi[E.M_DST] == fc))
    labels = model.mission.labels
    origin = mi[E.M_ORIGIN, sel]
    arrive = mf[E.M_READY, sel]
    events = mi[E.M_EVENT, sel]
    return pd.DataFrame(
        {
            "source": labels["unit_id"].take(origin),
            "source_kind": labels["unit_kind"].take(origin),
            "channel": labels["edge_type"].take(mi[E.M_EDGE, sel]),  # -1 (no edge) takes the last, "none"
            "kind": labels["message_kind"].take(mi[E.M_KIND, sel]),
            "latency_days": arrive - mf[E.M_BORN, sel],
            "timely": arrive <= net.evf[E.EV_TIME, events] - net.uf[E.U_LEAD, fc],
        }
    )
