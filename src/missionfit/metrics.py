"""Metrics of one finished replicate (MODEL.md §4), and its tidy tables.

Undefined shares (no denominator, e.g. no ASIFU in a generic scenario) are NaN, never a made-up 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from missionfit import engine, schema

if TYPE_CHECKING:
    from missionfit.model import MissionModel


def _share(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def _geometric_mean(*values: float) -> float:
    vals = [v for v in values if not np.isnan(v)]
    if not vals:
        return float("nan")
    return float(np.prod(np.clip(vals, 0.0, 1.0)) ** (1.0 / len(vals)))


def replicate_metrics(model: MissionModel) -> dict[str, Any]:
    """Every metric of the output contract for one replicate (all shares in [0, 1] or NaN)."""
    st, s = model.engine_static, model.engine_state
    c = {name: int(s.counters[i]) for i, name in enumerate(engine.COUNTER_NAMES)}
    materialized = c["event_cursor"]
    ev = slice(0, materialized)
    line_total, line_mitigated = s.line_severity[:, 0], s.line_severity[:, 1]
    by_line = {}
    weights = model.scenario.mandate_weights
    num = den = 0.0
    for i, line in enumerate(schema.MANDATE_LINES):
        gr = _share(line_mitigated[i], line_total[i])
        by_line[line] = gr
        if not np.isnan(gr) and weights[i] > 0:
            num += weights[i] * gr
            den += weights[i]
    goal = num / den if den > 0 else float("nan")

    threats = (st.ev_horizon[ev] == engine.IMMINENT) & (st.ev_line[ev] == engine.SECURITY)
    n_threats = int(threats.sum())
    fc, asifu = int(st.roles[0]), int(st.roles[1])
    fc_rate = _share(np.sum(s.fc_warned[ev][threats] < np.inf), n_threats) if fc >= 0 else float("nan")
    if asifu >= 0 and fc >= 0:
        deadline = st.ev_time[ev] - st.consumer_lead[fc]
        asifu_rate = _share(np.sum((s.asifu_known[ev] <= deadline)[threats]), n_threats)
    else:
        asifu_rate = float("nan")
    n_sf = c["n_sf_reports"]
    jmac_rate = _share(s.sf_reached_jmac[:n_sf].sum(), n_sf) if st.roles[2] >= 0 else float("nan")
    duplication = _share(np.sum(s.independent >= 2), np.sum(s.peer_assessed))

    hops = c["hops"]
    relevance = _share(c["consumer_relevant"], c["consumer_deliveries"])
    fit_index = {
        # strategic: are products what consumers need, without duplicated effort?
        "strategic": _geometric_mean(relevance, 1.0 - duplication if not np.isnan(duplication) else np.nan),
        # cultural: do units report what they see and share what they hold?
        "cultural": _geometric_mean(
            _share(c["observations_reported"], c["observations"]), 1.0 - _share(c["withheld"], hops)
        ),
        # operational: do channels carry what is shared, without loss or sanitization?
        "operational": 1.0 - _share(c["lost"] + c["sanitized"], hops - c["withheld"]) if hops > c["withheld"]
        else float("nan"),
    }
    return {
        "goal_realization": goal,
        "goal_realization_by_line": by_line,
        "fc_current_warning_rate": fc_rate,
        "asifu_current_warning_rate": asifu_rate,
        "asifu_use_rate_fc": _share(c["asifu_to_fc_used"], c["asifu_to_fc_delivered"]),
        "jmac_receipt_from_sf_isr": jmac_rate,
        "g2_receipt_from_s2": _share(c["s2_to_g2_delivered"], c["s2_created"]),
        "duplication": duplication,
        "fit_index": fit_index,
        "events_total": materialized,
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
        "mean_trust": float(np.mean(s.trust)),
    }


def timeseries_table(model: MissionModel) -> pd.DataFrame:
    """One row per simulated day: counts of the day and goal realization to date."""
    rec = model.engine_state.day_record[: model.day]
    df = pd.DataFrame(rec, columns=list(engine.DAY_COLUMNS))
    df.insert(0, "day", np.arange(model.day))
    cum_sev = np.cumsum(df["severity"].to_numpy())
    cum_mit = np.cumsum(df["severity_mitigated"].to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"):
        df["mitigated_share"] = np.where(cum_sev > 0, cum_mit / cum_sev, np.nan)
        df["fc_current_warning_rate"] = np.where(
            np.cumsum(df["imminent_threats"]) > 0, np.cumsum(df["fc_warned"]) / np.cumsum(df["imminent_threats"]), np.nan
        )
    df["goal_realization"] = df["mitigated_share"]
    for col in ("events", "reports_created", "reports_delivered", "reports_dropped", "hops", "fc_warned",
                "imminent_threats", "fusion_queue"):
        df[col] = df[col].astype(np.int64)
    return df


def flows_table(model: MissionModel) -> pd.DataFrame:
    """Per compiled edge: hops, delivered (crossed), withheld, sanitized, lost."""
    sc = model.scenario
    counts = model.engine_state.edge_counts
    return pd.DataFrame(
        {
            "source": [e["source"] for e in sc.edges],
            "target": [e["target"] for e in sc.edges],
            "type": [e["type"] for e in sc.edges],
            "hops": counts[:, 0],
            "delivered": counts[:, 1],
            "withheld": counts[:, 2],
            "sanitized": counts[:, 3],
            "lost": counts[:, 4],
        }
    )


def fc_latency_table(model: MissionModel) -> pd.DataFrame:
    """Every message delivered to the Force Commander: source, channel, latency since observation."""
    st, s = model.engine_static, model.engine_state
    fc = int(st.roles[0])
    n = int(s.counters[engine.C_NMSG])
    cols = ["source", "source_kind", "channel", "kind", "latency_days", "timely"]
    if fc < 0:
        return pd.DataFrame(columns=cols)
    sel = np.flatnonzero((s.m_status[:n] == engine.DELIVERED) & (s.m_dst[:n] == fc))
    sc = model.scenario
    edge_types = np.array([e["type"] for e in sc.edges] + ["none"])
    origin = s.m_origin[sel]
    arrive = s.m_ready[sel]
    events = s.m_event[sel]
    return pd.DataFrame(
        {
            "source": [sc.units[i]["id"] for i in origin],
            "source_kind": [sc.units[i]["kind"] for i in origin],
            "channel": edge_types[s.m_edge[sel]],
            "kind": np.where(s.m_kind[sel] == engine.ASSESSMENT, "assessment", "report"),
            "latency_days": arrive - s.m_born[sel],
            "timely": arrive <= st.ev_time[events] - st.consumer_lead[fc],
        }
    )
